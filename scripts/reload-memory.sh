#!/usr/bin/env bash
# Memory cost of configuration reloads (issue 12): runs the daemon on the shipped feeds.conf (its
# 56 feeds pointed at a closed loopback port, so no traffic leaves the machine), sends SIGHUP
# RELOADS times (default 1,000) alternating between two valid versions of the file — each reload
# parses, validates and applies a configuration — and reports VmRSS after a warm-up and at the end.
# Passes when the growth is under 1 MiB.
# Usage: scripts/reload-memory.sh [--reloads N] [--warmup N] [--debug]
set -euo pipefail
cd "$(dirname "$0")/.."

reloads=1000; warmup=50; config=release
while [ $# -gt 0 ]; do
    case "$1" in
        --reloads) reloads="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --debug) config=debug; shift ;;
        *) echo "reload-memory: unknown argument $1" >&2; exit 2 ;;
    esac
done

scripts/bootstrap.sh
swift build -c "$config" -Xcxx -DNDEBUG --product dyadwatch >&2
bin="$(swift build -c "$config" --show-bin-path)/dyadwatch"

work="$(mktemp -d /tmp/dyadwatch-reload.XXXXXX)"
daemon=""
cleanup() {
    [ -n "$daemon" ] && kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Version A: the shipped file, feeds on a closed port (connection refused at once), long intervals.
sed -E 's#^url = "[^"]*"#url = "http://127.0.0.1:9/feed.xml"#; s#^(interval = )"[^"]*"#\1"24h"#' feeds.conf |
    awk '/^url = /{ n++; sub(/feed.xml/, "feed" n ".xml") } { print }' > "$work/a.conf"
# Version B: the same with the first feed renamed (a change that the reload applies).
sed '0,/^name = "/s//name = "Renamed /' "$work/a.conf" > "$work/b.conf"
cp "$work/a.conf" "$work/feeds.conf"
"$bin" check-config --config "$work/b.conf" >&2

"$bin" run --config "$work/feeds.conf" 2> "$work/daemon.log" &
daemon=$!
for _ in $(seq 300); do grep -q 'msg=started' "$work/daemon.log" && break; sleep 0.1; done
grep -q 'msg=started' "$work/daemon.log" || { cat "$work/daemon.log" >&2; exit 1; }
sleep 2  # let the first (failing) polls of all feeds finish

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$daemon/status"; }
reload() {  # $1 = which version; waits until the daemon logged the reload's outcome
    cp "$work/$1.conf" "$work/feeds.conf.new" && mv "$work/feeds.conf.new" "$work/feeds.conf"
    local before; before="$(grep -Ec 'msg=reloaded|reload failed' "$work/daemon.log" || true)"
    kill -HUP "$daemon"
    for _ in $(seq 2000); do
        [ "$(grep -Ec 'msg=reloaded|reload failed' "$work/daemon.log" || true)" -gt "$before" ] && return 0
        sleep 0.005
    done
    echo "reload-memory: no reload outcome logged" >&2; exit 1
}

for i in $(seq "$warmup"); do reload $([ $((i % 2)) -eq 0 ] && echo a || echo b); done
start_kb="$(rss)"; t0="$(date +%s.%N)"
for i in $(seq "$reloads"); do reload $([ $((i % 2)) -eq 0 ] && echo a || echo b); done
end_kb="$(rss)"; t1="$(date +%s.%N)"
failed="$(grep -c 'reload failed' "$work/daemon.log" || true)"
kill -0 "$daemon"
grow_kb=$((end_kb - start_kb))
awk -v n="$reloads" -v cfg="$config" -v feeds="$(grep -c '^\[\[feed\]\]' "$work/a.conf")" -v a="$start_kb" -v w="$warmup" \
    -v b="$end_kb" -v t0="$t0" -v t1="$t1" -v f="$failed" 'BEGIN {
    printf "reload-memory: %d reloads (%s build, %d feeds), VmRSS %d KiB after %d warm-up reloads -> %d KiB: %+d KiB (%.2f KiB per reload); %.1f ms per reload; failed reloads: %s\n",
        n, cfg, feeds, a, w, b, b - a, (b - a) / n, (t1 - t0) * 1000 / n, f }'
[ "$failed" -eq 0 ] && [ "$grow_kb" -lt 1024 ]
