#!/usr/bin/env bash
# The test command (README, .ci/run): installs missing system packages, builds, runs every test.
# Tests that need ../shared (evaluation data) skip visibly when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# A throw-away PostgreSQL on loopback for the storage conformance tests (unless $DYADWATCH_TEST_PG
# names one); stopped and removed when this script exits.
source scripts/lib/postgres.sh
pg_test_server_start
swift build --build-tests
# XCTest only: Swift Testing would close the run with a "0 tests" line that reads as no tests.
swift test --skip-build --disable-swift-testing
