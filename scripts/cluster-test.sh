#!/usr/bin/env bash
# Several daemons on one PostgreSQL (issue 13's "must show"), printing the figures:
#   1. three daemons poll 300 loopback feeds for ten minutes; node-2 is killed (-9) midway
#      (scripts/cluster_test.py: request-log gaps, late polls, takeover delay, entries and
#      analyses stored once);
#   2. the 2022 headline history served live (the corpus's replay server, stepped with the
#      daemons' file clock) to three daemons on PostgreSQL and to one daemon on SQLite: their
#      alerts must be identical (scripts/lib/cluster_replay.py; needs ../shared/corpus).
# A throw-away PostgreSQL is started on loopback unless $DYADWATCH_TEST_PG names a server; the
# release binary is built unless $DYADWATCH_BIN names one. Exits non-zero when a must-show fails.
# Usage: scripts/cluster-test.sh [--minutes M] [--feeds N] [--interval S] [--lease S] [--kill-at S]
#                                [--replay-until YYYY-MM-DD | --no-replay]
set -euo pipefail
cd "$(dirname "$0")/.."

replay_until=2022-09-08; replay=yes; pass=()
while [ $# -gt 0 ]; do
    case "$1" in
        --replay-until) replay_until="$2"; shift 2 ;;
        --no-replay) replay=no; shift ;;
        --minutes|--feeds|--interval|--lease|--kill-at|--hosts) pass+=("$1" "$2"); shift 2 ;;
        *) echo "cluster-test: unknown argument $1" >&2; exit 2 ;;
    esac
done

source scripts/lib/cluster-setup.sh
cluster_setup cluster-test    # PostgreSQL, $bin; fresh_db: a database per part

status=0
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "== 1. three daemons on PostgreSQL, loopback feeds, kill -9 of one"
python3 scripts/cluster_test.py --binary "$bin" --pg "$(fresh_db dw_cluster)" ${pass[@]+"${pass[@]}"} || status=1

corpus=../shared/corpus/headlines-2022
if [ "$replay" = no ]; then
    echo "== 2. skipped (--no-replay)"
elif [ -f "$corpus/replay_server.py" ]; then
    echo "== 2. the 2022 history (before $replay_until) served live: three daemons on PostgreSQL vs one on SQLite"
    python3 scripts/lib/cluster_replay.py --binary "$bin" --pg "$(fresh_db dw_replay)" --corpus "$corpus" \
        --until "$replay_until" || status=1
else
    echo "== 2. SKIPPED: no 2022 history at $corpus (the alert comparison needs ../shared/corpus)"
fi
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== cluster-test: $([ $status = 0 ] && echo PASS || echo FAIL)"
exit $status
