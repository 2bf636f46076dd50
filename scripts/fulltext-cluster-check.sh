#!/usr/bin/env bash
# Several daemons on one PostgreSQL sharing the full-text page queue (issue 13), printing the
# figures (scripts/fulltext_cluster_check.py): every page fetched once, how the pages split; then
# with one daemon killed (-9) mid-fetch, its claimed pages taken over when their claims expire.
# A throw-away PostgreSQL is started on loopback unless $DYADWATCH_TEST_PG names a server.
# $DYADWATCH_BIN: a dyadwatch binary to use instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
pg_test_server_start
[ -n "${DYADWATCH_TEST_PG:-}" ] || { echo "fulltext-cluster-check: no PostgreSQL: ${DYADWATCH_TEST_PG_UNAVAILABLE:-}" >&2; exit 1; }
if [ -n "${DYADWATCH_BIN:-}" ]; then bin=$DYADWATCH_BIN; else
    swift build -c release --product dyadwatch -Xcxx -DNDEBUG >&2
    bin=$PWD/.build/release/dyadwatch
fi
fresh_db() {
    psql "$DYADWATCH_TEST_PG" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    echo "${DYADWATCH_TEST_PG%/*}/$1"
}
echo "== 1. three daemons, one page queue"
python3 scripts/fulltext_cluster_check.py --binary "$bin" --pg "$(fresh_db dw_fulltext)" "$@"
echo "== 2. the same, one daemon killed (-9) while it fetches"
python3 scripts/fulltext_cluster_check.py --binary "$bin" --pg "$(fresh_db dw_fulltext_kill)" --kill "$@"
