#!/usr/bin/env bash
# The test command (README, .ci/run): installs missing system packages, builds, runs every test.
# Tests that need ../shared (evaluation data) skip visibly when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --build-tests
swift test --skip-build
