# Throw-away PostgreSQL for the tests. Source it, then call `pg_test_server_start`:
#
#   - `$DYADWATCH_TEST_PG` already set (a `postgresql://…` URL of a server the caller runs): used as is.
#   - otherwise Debian's `postgresql` is installed when missing, a cluster is created with `initdb`
#     in a temporary directory (as the `postgres` user when running as root: initdb refuses root),
#     started with `pg_ctl` on a free 127.0.0.1 port (its socket in the same directory), and
#     `DYADWATCH_TEST_PG=postgresql://dyadwatch@127.0.0.1:PORT/dyadwatch_test` is exported.
#     `pg_test_server_stop` (registered on EXIT) stops it and removes the directory.
#   - when PostgreSQL cannot be installed or started, `DYADWATCH_TEST_PG_UNAVAILABLE` says why and
#     the tests that need a server skip, printing that reason.
#
# Nothing listens beyond loopback; the cluster trusts local connections and lives only as long as
# the calling script.

pg_test_log() { echo "postgres.sh: $*" >&2; }

# The directory holding initdb/pg_ctl of the newest installed server, or nothing.
pg_test_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

pg_test_install() {
    [ -n "$(pg_test_bindir)" ] && return 0
    pg_test_log "installing Debian's postgresql (server for the storage tests)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    export DEBIAN_FRONTEND=noninteractive
    # The package's own cluster is not wanted: the tests make their own in a temp dir.
    $sudo mkdir -p /etc/postgresql-common/createcluster.d 2>/dev/null &&
        echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/dyadwatch-tests.conf >/dev/null 2>&1
    $sudo apt-get update -qq >/dev/null 2>&1
    $sudo apt-get install -y -qq postgresql >/dev/null 2>&1 || return 1
    [ -n "$(pg_test_bindir)" ]
}

pg_test_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs a command as the cluster's owner (the `postgres` user when we are root).
pg_test_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

pg_test_server_start() {
    if [ -n "${DYADWATCH_TEST_PG:-}" ]; then
        pg_test_log "using the server given in DYADWATCH_TEST_PG"
        return 0
    fi
    if ! pg_test_install; then
        export DYADWATCH_TEST_PG_UNAVAILABLE="Debian's postgresql package could not be installed"
        pg_test_log "$DYADWATCH_TEST_PG_UNAVAILABLE; PostgreSQL tests will skip"
        return 0
    fi
    local bin port
    bin=$(pg_test_bindir)
    PG_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dyadwatch-pg.XXXXXX")
    chmod 755 "$PG_TEST_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_TEST_DIR"
    port=$(pg_test_free_port)
    trap pg_test_server_stop EXIT
    if ! pg_test_as_owner "$bin/initdb" -D "$PG_TEST_DIR/data" -A trust -U dyadwatch -E UTF8 --no-locale \
            >"$PG_TEST_DIR/initdb.log" 2>&1; then
        export DYADWATCH_TEST_PG_UNAVAILABLE="initdb failed (see $PG_TEST_DIR/initdb.log)"
        pg_test_log "$DYADWATCH_TEST_PG_UNAVAILABLE"; cat "$PG_TEST_DIR/initdb.log" >&2
        return 0
    fi
    # fsync off: a test cluster is thrown away, durability only costs time.
    if ! pg_test_as_owner "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
            -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
        export DYADWATCH_TEST_PG_UNAVAILABLE="pg_ctl start failed (see $PG_TEST_DIR/server.log)"
        pg_test_log "$DYADWATCH_TEST_PG_UNAVAILABLE"; cat "$PG_TEST_DIR/server.log" >&2
        return 0
    fi
    PG_TEST_BIN=$bin
    pg_test_as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U dyadwatch dyadwatch_test
    export DYADWATCH_TEST_PG="postgresql://dyadwatch@127.0.0.1:$port/dyadwatch_test"
    pg_test_log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PG_TEST_DIR)"
}

pg_test_server_stop() {
    [ -n "${PG_TEST_DIR:-}" ] || return 0
    if [ -n "${PG_TEST_BIN:-}" ]; then
        pg_test_as_owner "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TEST_DIR"
    PG_TEST_DIR=""
}
