#!/usr/bin/env bash
# The main job (README): installs missing system packages, builds a release binary and runs the
# daemon in the foreground with the shipped feeds.conf: state in ./state, alerts and the
# operational log in ./logs (logs/dyadwatch.log, also on the terminal), trend files in ./trends.
# Ctrl-C stops it cleanly. Extra arguments go to `dyadwatch run` (e.g. --config other.conf).
# `scripts/run.sh --demo` instead replays the saved 2022 headline history offline (no network
# needed; examples/replay-2022.conf) into logs/demo/ and prints its alert log.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build -c release -Xcxx -DNDEBUG --product dyadwatch >&2
bin=.build/release/dyadwatch
mkdir -p logs

if [ "${1:-}" = "--demo" ]; then
    shift
    history="${DYADWATCH_DEMO_FEEDS:-../shared/corpus/headlines-2022/feeds}"
    if [ ! -d "$history" ]; then
        echo "run.sh --demo: no feed history at $history (set DYADWATCH_DEMO_FEEDS to a folder of FEED_ID/TIMESTAMP.xml snapshots)" >&2
        exit 1
    fi
    "$bin" replay --feeds "$history" --config examples/replay-2022.conf --out logs/demo --fresh "$@"
    echo "--- the alerts of the replayed period (logs/demo/logs/alerts.log):" >&2
    cat logs/demo/logs/alerts.log
    exit 0
fi

exec "$bin" run --config feeds.conf --log-file logs/dyadwatch.log "$@"
