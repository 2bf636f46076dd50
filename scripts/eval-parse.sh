#!/usr/bin/env bash
# Evaluation of the feed parser: feedparser's own test cases (feedsuite.py) and date cases
# (datesuite.py) from ../shared/eval, run against the release `dyadwatch parse`.
#
#   scripts/eval-parse.sh [--no-build] [--list-failures]
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
extra=()
for a in "$@"; do
    case "$a" in
        --no-build) build=0 ;;
        --list-failures) extra+=(--list-failures) ;;
        *) echo "eval-parse: unknown option $a" >&2; exit 2 ;;
    esac
done
[ -d ../shared/eval ] || { echo "eval-parse: ../shared/eval not found" >&2; exit 2; }
if [ "$build" = 1 ]; then
    scripts/bootstrap.sh
    swift build -c release -Xcxx -DNDEBUG --product dyadwatch >&2
fi

python3 ../shared/eval/feedsuite.py --cmd ".build/release/dyadwatch parse" \
    --cases ../shared/eval/feedparser-cases "${extra[@]}"
echo
python3 ../shared/eval/datesuite.py --cmd ".build/release/dyadwatch parse" "${extra[@]}"
