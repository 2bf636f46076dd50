#!/usr/bin/env bash
# Replay benchmark and checks on the 2022 headline history (../shared/corpus/headlines-2022):
#   1. `dyadwatch replay` over the whole history (release build), each run from an empty state,
#      with peers in the same command: `dyadwatch parse --jsonl` of the same snapshots (the parsing
#      share of the work) and, with --before BIN, another dyadwatch binary (an older build) replaying
#      the same history. Runs alternate between the binaries (the machine is shared and noisy);
#      medians of wall time and CPU time (user+sys of the whole process), µs of CPU per entry, and
#      the before/after ratio;
#   2. determinism: two replays into different directories give byte-identical files, and with
#      --before, the older binary's files are byte-identical to this build's;
#   3. resume: a replay killed midway (SIGKILL) and rerun gives the same files, no duplicate alert.
# Usage: scripts/bench-replay.sh [--before BIN] [--rounds N] [FEEDS_DIR]
#   (default FEEDS_DIR ../shared/corpus/headlines-2022/feeds, N = 3; N ≥ 2)
set -euo pipefail
cd "$(dirname "$0")/.."
before=""
rounds=3
while [ $# -gt 0 ]; do
    case "$1" in
        --before) before=$(realpath "$2"); shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) break ;;
    esac
done
feeds=${1:-../shared/corpus/headlines-2022/feeds}
[ -d "$feeds" ] || { echo "bench-replay: no feed history at $feeds" >&2; exit 1; }
[ -z "$before" ] || [ -x "$before" ] || { echo "bench-replay: --before $before is not an executable" >&2; exit 1; }
[ "$rounds" -ge 2 ] 2>/dev/null || { echo "bench-replay: --rounds must be at least 2" >&2; exit 1; }
swift build -c release -Xcxx -DNDEBUG --product dyadwatch >&2
bin=.build/release/dyadwatch
config=examples/replay-2022.conf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=("$feeds"/*/*.xml)
outputs=(logs/alerts.log logs/alerts.jsonl trends/daily.csv trends/hourly.csv trends/latest.json)

# "WALL CPU" of one whole process (start to exit): wall seconds, user+sys CPU seconds.
measure() {
    local log=$1; shift
    if ! /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>"$log"; then
        echo "bench-replay: failed: $*" >&2; tail -n 5 "$log" >&2; exit 1
    fi
    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$work/time"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { print $1 }"; }
same_outputs() {  # DIR_A DIR_B LABEL: 0 when every output file is byte-identical
    local ok=0
    for f in "${outputs[@]}"; do cmp -s "$1/$f" "$2/$f" || { ok=1; echo "differs ($3): $f" >&2; }; done
    return $ok
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "$work/parse.err" "$bin" parse --jsonl "${files[@]}" > "$work/parse.time"
read -r parse_wall parse_cpu < "$work/parse.time"

# Rounds alternate which binary goes first, so drift in the machine's load hits both alike.
: > "$work/after.times"; : > "$work/before.times"
run_after() { measure "$work/after-$1.err" "$bin" replay --feeds "$feeds" --config "$config" --out "$work/after-$1" >> "$work/after.times"; }
run_before() { measure "$work/before-$1.err" "$before" replay --feeds "$feeds" --config "$config" --out "$work/before-$1" >> "$work/before.times"; }
for r in $(seq "$rounds"); do
    if [ -n "$before" ] && [ $((r % 2)) -eq 1 ]; then run_before "$r"; run_after "$r"
    elif [ -n "$before" ]; then run_after "$r"; run_before "$r"
    else run_after "$r"; fi
done
# Entries handled: new + changed entries of the replay summary line (stderr).
entries=$(sed -n 's/.* snapshots, \([0-9]*\) new and \([0-9]*\) changed entries.*/\1 \2/p' "$work/after-1.err" | awk '{ print $1 + $2 }')
[ -n "$entries" ] && [ "$entries" -gt 0 ] || { echo "bench-replay: no summary line from the replay:" >&2; cat "$work/after-1.err" >&2; exit 1; }

report() {  # LABEL TIMES_FILE → prints the line, sets med_wall med_cpu
    med_wall=$(cut -d' ' -f1 "$2" | median); med_cpu=$(cut -d' ' -f2 "$2" | median)
    printf '%-7s replay: wall %.2f s, CPU %.2f s (median of %d; runs: %s), %.0f µs CPU per entry\n' "$1" "$med_wall" "$med_cpu" \
        "$rounds" "$(cut -d' ' -f2 "$2" | paste -sd' ')" "$(calc "$med_cpu * 1e6 / $entries")"
}
printf 'snapshots: %d, entries (new + changed): %d\n' "${#files[@]}" "$entries"
printf 'parse (peer): wall %.2f s, CPU %.2f s\n' "$parse_wall" "$parse_cpu"
report after "$work/after.times"; after_wall=$med_wall; after_cpu=$med_cpu
printf 'after  replay / parse: %.1fx wall, %.1fx CPU\n' "$(calc "$after_wall / $parse_wall")" "$(calc "$after_cpu / $parse_cpu")"
identical_before=yes
if [ -n "$before" ]; then
    report before "$work/before.times"; before_wall=$med_wall; before_cpu=$med_cpu
    printf 'before / after: %.2fx CPU, %.2fx wall (above 1: this build is faster)\n' \
        "$(calc "$before_cpu / $after_cpu")" "$(calc "$before_wall / $after_wall")"
    same_outputs "$work/before-1" "$work/after-1" "before vs after" || identical_before=no
    echo "before and after outputs byte-identical: $identical_before"
fi
echo "load average after the timed runs: $(cut -d' ' -f1-3 /proc/loadavg)"

same=yes
same_outputs "$work/after-1" "$work/after-2" "two replays" || same=no
echo "two replays byte-identical: $same"

kill_after=$(printf '%.0f' "$(calc "$after_wall / 2 + 1")")
( timeout --foreground -s KILL "$kill_after" "$bin" replay --feeds "$feeds" --config "$config" --out "$work/c" >/dev/null 2>&1 ) 2>/dev/null || true
partial=$(wc -l < "$work/c/logs/alerts.log" 2>/dev/null || echo 0)
"$bin" replay --feeds "$feeds" --config "$config" --out "$work/c" >/dev/null 2>&1
resumed=yes
same_outputs "$work/after-1" "$work/c" "after resume" || resumed=no
dups=$(sed 's/.* id=//' "$work/c/logs/alerts.log" | sort | uniq -d | wc -l)
echo "killed after ${kill_after} s with $partial alert(s) logged, rerun: identical to an uninterrupted run: $resumed; duplicate alert ids: $dups"
echo "alerts: $(wc -l < "$work/after-1/logs/alerts.log")"
[ "$same" = yes ] && [ "$resumed" = yes ] && [ "$dups" -eq 0 ] && [ "$identical_before" = yes ]
