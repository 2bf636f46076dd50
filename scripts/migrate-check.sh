#!/usr/bin/env bash
# `dyadwatch migrate --to-postgres` on the state of a 2022 replay (issue 13): the same `status`,
# trend files and alerts afterwards.
#   1. replay the 2022 history into SQLite (state, alerts, trend files);
#   2. migrate that state into an empty PostgreSQL database;
#   3. `status` on SQLite and on PostgreSQL (the first line, the report's own time, left out);
#   4. the replay run again on PostgreSQL with the same log and trends directories: nothing new
#      is stored, the trend files are rewritten from PostgreSQL and must be byte-identical, and
#      alerts.log / alerts.jsonl must not change (no alert lost, none delivered twice).
# A throw-away PostgreSQL is started on loopback unless $DYADWATCH_TEST_PG names a server.
# Usage: scripts/migrate-check.sh [FEEDS_DIR]   (default ../shared/corpus/headlines-2022/feeds)
set -euo pipefail
cd "$(dirname "$0")/.."
feeds=${1:-../shared/corpus/headlines-2022/feeds}
[ -d "$feeds" ] || { echo "migrate-check: no feed history at $feeds" >&2; exit 1; }
source scripts/lib/cluster-setup.sh
cluster_setup migrate-check   # $DYADWATCH_BIN: a dyadwatch binary to use instead of the release build
work=$(mktemp -d)
trap 'rm -rf "$work"; pg_test_server_stop' EXIT
url=$(fresh_db dw_migrate)

{ printf '[daemon]\nstate_dir = "%s/out/state"\n\n' "$work"; cat examples/replay-2022.conf; } > "$work/sqlite.conf"
{ printf '[storage]\nurl = "%s"\ntls = "disable"\n\n' "$url"; cat "$work/sqlite.conf"; } > "$work/pg.conf"

"$bin" replay --feeds "$feeds" --config examples/replay-2022.conf --out "$work/out" >/dev/null
cp -r "$work/out/logs" "$work/logs-before"; cp -r "$work/out/trends" "$work/trends-before"
"$bin" status --config "$work/sqlite.conf" | tail -n +2 > "$work/status-sqlite.txt"

"$bin" migrate --config "$work/sqlite.conf" --to-postgres "$url" --tls disable
"$bin" status --config "$work/pg.conf" | tail -n +2 > "$work/status-pg.txt"
status_same=yes
diff "$work/status-sqlite.txt" "$work/status-pg.txt" >&2 || status_same=no
echo "status identical after migrate: $status_same ($(wc -l < "$work/status-sqlite.txt") lines)"

"$bin" replay --feeds "$feeds" --config "$work/pg.conf" --out "$work/out" 2>&1 >/dev/null | tail -1
files_same=yes
for f in trends/daily.csv trends/hourly.csv trends/latest.json; do
    cmp -s "$work/trends-before/${f#trends/}" "$work/out/$f" || { files_same=no; echo "differs: $f" >&2; }
done
alerts_same=yes
for f in alerts.log alerts.jsonl; do
    cmp -s "$work/logs-before/$f" "$work/out/logs/$f" || { alerts_same=no; echo "differs: logs/$f" >&2; }
done
echo "trend files rewritten from PostgreSQL identical: $files_same; alerts.log and alerts.jsonl unchanged ($(wc -l < "$work/out/logs/alerts.log") alerts): $alerts_same"
[ "$status_same" = yes ] && [ "$files_same" = yes ] && [ "$alerts_same" = yes ]
