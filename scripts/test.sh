#!/usr/bin/env bash
# The test command (README, .ci/run): installs missing system packages, builds, runs every test.
# Tests that need ../shared (evaluation data) skip visibly when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --build-tests
# XCTest only: Swift Testing would close the run with a "0 tests" line that reads as no tests.
swift test --skip-build --disable-swift-testing
# The trend page in a real browser (installs Debian's chromium when missing): no script error, not blank.
scripts/check-page.sh
