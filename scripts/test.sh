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
# -Xcxx -DNDEBUG: TOMLKit's bundled toml++ keeps C++ assertions otherwise, and some malformed
# TOML would abort instead of failing to parse (issue 12). Every script that builds passes it.
swift build --build-tests -Xcxx -DNDEBUG
# XCTest only: Swift Testing would close the run with a "0 tests" line that reads as no tests.
# The trend page in a real browser (installs Debian's chromium when missing): no script error, not blank.
scripts/check-page.sh
swift test --skip-build --disable-swift-testing -Xcxx -DNDEBUG
