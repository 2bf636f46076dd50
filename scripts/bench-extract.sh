#!/usr/bin/env bash
# Benchmark: `dyadwatch extract --jsonl` against trafilatura 2.3 on the development pages of
# ../shared/eval/extraction: both F1s from the scorer in the same run, then end-to-end run times
# (process start, reading the pages, JSON lines out) and their ratio. Not a test: run by hand.
#
#   scripts/bench-extract.sh [--no-build] [--runs N]
#
# trafilatura (+ lxml_html_clean) is installed into a local venv (.venv-extract) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
runs=5
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --runs) runs="$2"; shift ;;
        *) echo "usage: scripts/bench-extract.sh [--no-build] [--runs N]" >&2; exit 2 ;;
    esac
    shift
done

data=../shared/eval/extraction
[ -f "$data/ground-truth.json" ] || { echo "bench-extract: $data not found (../shared is needed)" >&2; exit 2; }

if [ "$build" = 1 ]; then
    scripts/bootstrap.sh
    swift build -c release -Xcxx -DNDEBUG --product dyadwatch >&2
fi

venv=.venv-extract
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import trafilatura, lxml_html_clean' 2>/dev/null; then
    echo "bench-extract: creating $venv with trafilatura 2.3" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'trafilatura==2.3.*' lxml_html_clean
fi

exec python3 scripts/bench_extract.py --data "$data" --dyadwatch .build/release/dyadwatch \
    --python "$venv/bin/python" --runs "$runs"
