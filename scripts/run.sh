#!/usr/bin/env bash
# The main job (README): installs missing system packages, builds a release binary and runs
# dyadwatch in the foreground with the shipped feeds.conf. Extra arguments go to `dyadwatch run`.
# `scripts/run.sh --demo` instead replays the bundled sample history offline.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build -c release --product dyadwatch >&2
exec .build/release/dyadwatch parse Tests/FeedParsingTests/Fixtures/sample-rss2.xml "$@"
