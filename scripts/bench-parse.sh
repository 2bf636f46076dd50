#!/usr/bin/env bash
# Benchmark: `dyadwatch parse --jsonl` against Python feedparser (../shared/eval/feedparser_adapter.py)
# over the same feed files; prints CPU-time (single-core equivalent) and wall-clock ratios. Not a test: run by hand.
#
#   scripts/bench-parse.sh [--no-build] [--runs N] [DIR_OR_FILE...]
#
# Default input: every .xml under ../shared/corpus/headlines-2022/feeds. feedparser is installed
# into a local venv (.venv-bench) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
runs=3
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --runs) runs="$2"; shift ;;
        *) args+=("$1") ;;
    esac
    shift
done

if [ "$build" = 1 ]; then
    scripts/bootstrap.sh
    swift build -c release -Xcxx -DNDEBUG --product dyadwatch >&2
fi

adapter=../shared/eval/feedparser_adapter.py
[ -f "$adapter" ] || { echo "bench-parse: $adapter not found (../shared is needed)" >&2; exit 2; }

venv=.venv-bench
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import feedparser' 2>/dev/null; then
    echo "bench-parse: creating $venv with feedparser" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check feedparser
fi

[ ${#args[@]} -gt 0 ] || args=(../shared/corpus/headlines-2022/feeds)
exec python3 scripts/bench_parse.py --dyadwatch .build/release/dyadwatch \
    --python "$venv/bin/python" --adapter "$adapter" --runs "$runs" "${args[@]}"
