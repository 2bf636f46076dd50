#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS (default 600) on one core, at low priority.
#
#   scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags...]
#   scripts/fuzz.sh list
#
# Targets: feed-parser, config, analyzer, dates, extractor, robots (see Fuzz/Package.swift). The fuzz package is built
# in release mode with -sanitize=fuzzer,address into Fuzz/.build, apart from the main build (linked
# with lld: gold fails on these objects with an internal DWARF error).
# Seeds: Fuzz/Seeds/TARGET plus the test fixtures; the growing corpus and crash artifacts live in
# Fuzz/.work/TARGET (not in git). A crashing, hanging or out-of-memory input is copied to
# Fuzz/Regressions/TARGET/, where the unit tests replay it (commit it with the fix); the script
# then exits 1. The last line is a summary: target, seconds, executions, corpus size, findings.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

declare -A products=([feed-parser]=FuzzFeedParser [config]=FuzzConfig [analyzer]=FuzzAnalyzer [dates]=FuzzDates [extractor]=FuzzExtractor [robots]=FuzzRobots)
declare -A seeds=(
    [feed-parser]="Fuzz/Seeds/feed-parser Tests/FeedParsingTests/Fixtures Tests/PipelineTests/ReplayFixtures/feeds"
    [config]="Fuzz/Seeds/config examples Fuzz/Regressions/config"
    [analyzer]="Fuzz/Seeds/analyzer"
    [dates]="Fuzz/Seeds/dates"
    [extractor]="Fuzz/Seeds/extractor Fuzz/Seeds/analyzer"
    [robots]="Fuzz/Seeds/robots"
)
# Per-target libFuzzer flags. The config loader runs TOMLKit, which leaks by design (issue 12);
# that leak is contained by parsing in a child process, so leak reports are off for it.
declare -A flags=([feed-parser]="-max_len=262144" [config]="-max_len=16384 -detect_leaks=0" [analyzer]="-max_len=65536" [dates]="-max_len=128" [extractor]="-max_len=262144" [robots]="-max_len=65536")

target="${1:-}"
if [[ -z "$target" || "$target" == list || -z "${products[$target]+x}" ]]; then
    echo "usage: scripts/fuzz.sh TARGET [SECONDS] [libFuzzer flags...]; targets: ${!products[*]}" >&2
    [[ "$target" == list ]] && exit 0 || exit 64
fi
seconds="${2:-600}"
shift $(( $# >= 2 ? 2 : 1 ))
product="${products[$target]}"

echo "fuzz: building $product (release, -sanitize=fuzzer,address)" >&2
nice -n 10 swift build -c release --package-path Fuzz --scratch-path Fuzz/.build --product "$product" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xcxx -DNDEBUG -Xcxx -fsanitize=fuzzer-no-link,address -Xswiftc -use-ld=lld >&2
bin="$(swift build -c release --package-path Fuzz --scratch-path Fuzz/.build --show-bin-path)/$product"

work="Fuzz/.work/$target"
mkdir -p "$work/corpus" "$work/artifacts" "Fuzz/Regressions/$target"
seed_dirs=()
for d in ${seeds[$target]}; do [[ -d "$d" ]] && seed_dirs+=("$d"); done
log="$work/last-run.log"
echo "fuzz: $target for ${seconds}s; log $log" >&2
set +e
# Swift's backtracer under ASan reports a false overflow; libFuzzer prints its own stack.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0}" nice -n 10 "$bin" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" ${flags[$target]} "$@" \
    "$work/corpus" "${seed_dirs[@]}" >"$log" 2>&1
status=$?
set -e
tail -n 25 "$log" >&2
execs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')"
corpus="$(find "$work/corpus" -type f | wc -l)"
found=0
for f in "$work"/artifacts/*; do
    [[ -f "$f" ]] || continue
    cp "$f" "Fuzz/Regressions/$target/"
    echo "fuzz: finding kept as Fuzz/Regressions/$target/$(basename "$f")" >&2
    rm -f "$f"
    found=$((found + 1))
done
echo "fuzz: target=$target seconds=$seconds executions=$execs corpus=$corpus findings=$found exit=$status"
[[ $found -eq 0 && $status -eq 0 ]]
