#!/usr/bin/env bash
# Crash consistency under kill -9 (issue 12): 50 SIGKILLs at random moments while the daemon polls
# a loopback replay of the 2022 headline corpus, each followed by checks on the state database
# (integrity_check, nothing committed lost, nothing stored twice); then a clean run and checks on
# the analyses and the alert files (every alert once in alerts.jsonl and alerts.log).
# Usage: scripts/crash-test.sh [--kills N] [--seed S] [--debug] [--keep]
# Needs the corpus at ../shared/corpus/headlines-2022 (or $DYADWATCH_CORPUS).
set -euo pipefail
cd "$(dirname "$0")/.."

config=release; args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --debug) config=debug; shift ;;
        --kills|--seed|--speed|--max-delay) args+=("$1" "$2"); shift 2 ;;
        --keep) args+=("$1"); shift ;;
        *) echo "crash-test: unknown argument $1" >&2; exit 2 ;;
    esac
done
corpus="${DYADWATCH_CORPUS:-../shared/corpus/headlines-2022}"
if [ ! -f "$corpus/replay_server.py" ]; then
    echo "crash-test: the 2022 corpus is not at $corpus (set DYADWATCH_CORPUS)" >&2
    exit 2
fi
scripts/bootstrap.sh
swift build -c "$config" -Xcxx -DNDEBUG --product dyadwatch >&2
bin="$(swift build -c "$config" --show-bin-path)/dyadwatch"
exec python3 scripts/lib/crash_test.py --bin "$bin" --corpus "$corpus" "${args[@]}"
