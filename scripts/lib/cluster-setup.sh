# Start-up shared by the scripts that run daemons on PostgreSQL (cluster-test.sh,
# fulltext-cluster-check.sh, migrate-check.sh). Source it from the repository root, then:
#
#   cluster_setup NAME   a throw-away PostgreSQL on loopback (scripts/lib/postgres.sh; or the server
#                        $DYADWATCH_TEST_PG names), and the binary to run in $bin: $DYADWATCH_BIN,
#                        else the release build. Exits, saying why under NAME, without a server.
#   fresh_db NAME        drops and creates database NAME on that server; prints its URL.
source scripts/lib/postgres.sh

cluster_setup() {
    local name=$1
    pg_test_server_start
    [ -n "${DYADWATCH_TEST_PG:-}" ] || { echo "$name: no PostgreSQL: ${DYADWATCH_TEST_PG_UNAVAILABLE:-}" >&2; exit 1; }
    if [ -n "${DYADWATCH_BIN:-}" ]; then bin=$DYADWATCH_BIN; else
        swift build -c release --product dyadwatch -Xcxx -DNDEBUG >&2
        bin=$PWD/.build/release/dyadwatch
    fi
}

fresh_db() {
    psql "$DYADWATCH_TEST_PG" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    echo "${DYADWATCH_TEST_PG%/*}/$1"
}
