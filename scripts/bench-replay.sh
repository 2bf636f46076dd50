#!/usr/bin/env bash
# Replay benchmark and checks on the 2022 headline history (../shared/corpus/headlines-2022):
#   1. time of `dyadwatch replay` over the whole history (release build), with a peer in the same
#      run: `dyadwatch parse --jsonl` of the same snapshots (the parsing share of the work);
#   2. determinism: a second replay into another directory gives byte-identical files;
#   3. resume: a replay killed midway (SIGKILL) and rerun gives the same files, no duplicate alert.
# Usage: scripts/bench-replay.sh [FEEDS_DIR]   (default ../shared/corpus/headlines-2022/feeds)
set -euo pipefail
cd "$(dirname "$0")/.."
feeds=${1:-../shared/corpus/headlines-2022/feeds}
[ -d "$feeds" ] || { echo "bench-replay: no feed history at $feeds" >&2; exit 1; }
swift build -c release -Xcxx -DNDEBUG --product dyadwatch >&2
bin=.build/release/dyadwatch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=("$feeds"/*/*.xml)
outputs=(logs/alerts.log logs/alerts.jsonl trends/daily.csv trends/hourly.csv trends/latest.json)

now() { date +%s.%N; }
t0=$(now); "$bin" parse --jsonl "${files[@]}" >/dev/null; t1=$(now)
"$bin" replay --feeds "$feeds" --config examples/replay-2022.conf --out "$work/a" >/dev/null; t2=$(now)
"$bin" replay --feeds "$feeds" --config examples/replay-2022.conf --out "$work/b" >/dev/null
calc() { awk "BEGIN { print $1 }"; }
parse=$(calc "$t1 - $t0"); replay=$(calc "$t2 - $t1")
printf 'snapshots: %d\nparse (peer): %.1f s\nreplay: %.1f s (%.1f x parse)\n' "${#files[@]}" "$parse" "$replay" "$(calc "$replay / $parse")"

same=yes
for f in "${outputs[@]}"; do cmp -s "$work/a/$f" "$work/b/$f" || { same=no; echo "differs: $f" >&2; }; done
echo "two replays byte-identical: $same"

kill_after=$(printf '%.0f' "$(calc "$replay / 2 + 1")")
( timeout --foreground -s KILL "$kill_after" "$bin" replay --feeds "$feeds" --config examples/replay-2022.conf --out "$work/c" >/dev/null 2>&1 ) 2>/dev/null || true
partial=$(wc -l < "$work/c/logs/alerts.log" 2>/dev/null || echo 0)
"$bin" replay --feeds "$feeds" --config examples/replay-2022.conf --out "$work/c" >/dev/null
resumed=yes
for f in "${outputs[@]}"; do cmp -s "$work/a/$f" "$work/c/$f" || { resumed=no; echo "differs after resume: $f" >&2; }; done
dups=$(sed 's/.* id=//' "$work/c/logs/alerts.log" | sort | uniq -d | wc -l)
echo "killed after ${kill_after} s with $partial alert(s) logged, rerun: identical to an uninterrupted run: $resumed; duplicate alert ids: $dups"
echo "alerts: $(wc -l < "$work/a/logs/alerts.log")"
[ "$same" = yes ] && [ "$resumed" = yes ] && [ "$dups" -eq 0 ]
