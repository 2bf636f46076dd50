#!/usr/bin/env bash
# Several daemons on one PostgreSQL (issue 13's "must show"), printing the figures:
#   1. three daemons poll 300 loopback feeds for ten minutes; node-2 is killed (-9) midway
#      (scripts/cluster_test.py: request-log gaps, takeover delay, entries stored once);
#   2. the 2022 history replayed into PostgreSQL gives the same alerts and trend files as into
#      SQLite (when ../shared/corpus is present).
# A throw-away PostgreSQL is started on loopback unless $DYADWATCH_TEST_PG names a server.
# Usage: scripts/cluster-test.sh [--minutes M] [--feeds N] [--interval S] [--lease S]  (passed on)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
pg_test_server_start
[ -n "${DYADWATCH_TEST_PG:-}" ] || { echo "cluster-test: no PostgreSQL: ${DYADWATCH_TEST_PG_UNAVAILABLE:-}" >&2; exit 1; }
# $DYADWATCH_BIN: a dyadwatch binary to use instead of building the release one.
if [ -n "${DYADWATCH_BIN:-}" ]; then bin=$DYADWATCH_BIN; else
    swift build -c release --product dyadwatch -Xcxx -DNDEBUG >&2
    bin=$PWD/.build/release/dyadwatch
fi

# A fresh database per part, on the same server.
fresh_db() {
    local name=$1
    psql "$DYADWATCH_TEST_PG" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
    echo "${DYADWATCH_TEST_PG%/*}/$name"
}

echo "== 1. three daemons, 300 loopback feeds, kill -9 of one"
python3 scripts/cluster_test.py --binary "$bin" --pg "$(fresh_db dw_cluster)" "$@"

history=../shared/corpus/headlines-2022/feeds
if [ -d "$history" ]; then
    echo "== 2. the 2022 history replayed into SQLite and into PostgreSQL"
    work=$(mktemp -d)
    trap 'rm -rf "$work"; pg_test_server_stop' EXIT
    "$bin" replay --feeds "$history" --config examples/replay-2022.conf --out "$work/sqlite" >/dev/null
    { printf '[storage]\nurl = "%s"\ntls = "disable"\n\n' "$(fresh_db dw_replay)"; cat examples/replay-2022.conf; } > "$work/pg.conf"
    "$bin" replay --feeds "$history" --config "$work/pg.conf" --out "$work/pg" >/dev/null
    same=yes
    for f in logs/alerts.log logs/alerts.jsonl trends/daily.csv trends/hourly.csv trends/latest.json; do
        cmp -s "$work/sqlite/$f" "$work/pg/$f" || { same=no; echo "differs: $f" >&2; }
    done
    echo "alerts: $(wc -l < "$work/sqlite/logs/alerts.log") (SQLite), $(wc -l < "$work/pg/logs/alerts.log") (PostgreSQL); alert log and trend files identical: $same"
    [ "$same" = yes ]
else
    echo "== 2. skipped: no 2022 history at $history"
fi
