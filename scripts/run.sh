#!/usr/bin/env bash
# The main job (README): installs missing system packages, builds a release binary and runs the
# daemon in the foreground with the shipped feeds.conf: state in ./state, alerts and the
# operational log in ./logs (logs/dyadwatch.log, also on the terminal), trend files in ./trends.
# Ctrl-C stops it cleanly. Extra arguments go to `dyadwatch run` (e.g. --config other.conf).
# `scripts/run.sh --demo` instead replays a saved 2022 feed history offline (no network needed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build -c release --product dyadwatch >&2
bin=.build/release/dyadwatch
mkdir -p logs

if [ "${1:-}" = "--demo" ]; then
    shift
    history="${DYADWATCH_DEMO_FEEDS:-../shared/corpus/headlines-2022/feeds}"
    if [ ! -d "$history" ]; then
        echo "run.sh --demo: no feed history at $history (set DYADWATCH_DEMO_FEEDS to a folder of FEED_ID/TIMESTAMP.xml snapshots)" >&2
        exit 1
    fi
    exec "$bin" replay --feeds "$history" --out logs/demo --config feeds.conf "$@"
fi

exec "$bin" run --config feeds.conf --log-file logs/dyadwatch.log "$@"
