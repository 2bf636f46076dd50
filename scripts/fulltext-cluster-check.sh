#!/usr/bin/env bash
# Several daemons on one PostgreSQL sharing the full-text page queue (issue 13), printing the
# figures (scripts/fulltext_cluster_check.py): every page fetched once, how the pages split; then
# with one daemon killed (-9) mid-fetch, its claimed pages taken over when their claims expire.
# A throw-away PostgreSQL is started on loopback unless $DYADWATCH_TEST_PG names a server.
# $DYADWATCH_BIN: a dyadwatch binary to use instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/cluster-setup.sh
cluster_setup fulltext-cluster-check
echo "== 1. three daemons, one page queue"
python3 scripts/fulltext_cluster_check.py --binary "$bin" --pg "$(fresh_db dw_fulltext)" "$@"
echo "== 2. the same, one daemon killed (-9) while it fetches"
python3 scripts/fulltext_cluster_check.py --binary "$bin" --pg "$(fresh_db dw_fulltext_kill)" --kill "$@"
