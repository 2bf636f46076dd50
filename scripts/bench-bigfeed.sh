#!/usr/bin/env bash
# Peak memory of the whole daemon on one huge feed (issue 12, item 2): a loopback server serves
# a feed of N items (default 50,000, ~9 MB, under the default max_body); `dyadwatch run` polls it once (max_items keeps the
# newest 1,000, which are then analyzed) and is stopped; /usr/bin/time reports the peak RSS.
# The same is measured with a 20-item feed for comparison, and for `poll --once --all`.
# Usage: scripts/bench-bigfeed.sh [--items N] [--debug]
set -euo pipefail
cd "$(dirname "$0")/.."

items=50000; config=release
while [ $# -gt 0 ]; do
    case "$1" in
        --items) items="$2"; shift 2 ;;
        --debug) config=debug; shift ;;
        *) echo "bench-bigfeed: unknown argument $1" >&2; exit 2 ;;
    esac
done

scripts/bootstrap.sh
swift build -c "$config" -Xcxx -DNDEBUG --product dyadwatch >&2
bin="$(swift build -c "$config" -Xcxx -DNDEBUG --show-bin-path)/dyadwatch"
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 - "$work" "$items" <<'PY'
import email.utils, sys, time
work, n = sys.argv[1], int(sys.argv[2])
now = time.time()
def feed(count):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Big</title><link>https://example.org/</link>']
    for i in range(count):
        out.append(f'<item><guid>urn:big:{i}</guid><title>Story {i}</title><link>https://example.org/{i}</link>'
                   f'<pubDate>{email.utils.formatdate(now - i * 60, usegmt=True)}</pubDate><description>Body {i}</description></item>')
    return ''.join(out) + '</channel></rss>\n'
open(f'{work}/big.xml', 'w').write(feed(n))
open(f'{work}/small.xml', 'w').write(feed(20))
PY
python3 -m http.server 0 --bind 127.0.0.1 --directory "$work" > "$work/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 50); do
    port="$(grep -o 'port [0-9]*' "$work/server.log" | head -1 | cut -d' ' -f2 || true)"
    [ -n "$port" ] && break; sleep 0.1
done

measure() {  # name file command...
    local name="$1" file="$2"; shift 2
    local dir="$work/$name"; mkdir -p "$dir"
    printf '[daemon]\nstate_dir = "state"\nlog_dir = "logs"\ntrends_dir = "trends"\nlog_level = "info"\n\n[[feed]]\nid = "feed"\nname = "Feed"\nurl = "http://127.0.0.1:%s/%s"\ngroup = "western"\nlanguage = "en"\n' \
        "$port" "$file" > "$dir/feeds.conf"
    if [ "$1" = run ]; then
        /usr/bin/time -v "$bin" run --config "$dir/feeds.conf" > "$dir/out.log" 2> "$dir/err.log" &
        local pid=$!
        for _ in $(seq 600); do grep -qE 'msg="poll (ok|failed)' "$dir/err.log" 2>/dev/null && break; sleep 0.1; done
        kill -TERM "$(pgrep -P "$pid" dyadwatch)" 2>/dev/null || true
        wait "$pid" || true
    else
        /usr/bin/time -v "$bin" poll --once --all --config "$dir/feeds.conf" > "$dir/out.log" 2> "$dir/err.log" || true
    fi
    local rss; rss="$(grep 'Maximum resident' "$dir/err.log" | awk '{print $NF}')"
    local line; line="$( (grep -hE 'msg="poll (ok|failed)|^feed ' "$dir/err.log" "$dir/out.log" || true) | head -1 | sed 's/.*msg=/msg=/' | cut -c1-150)"
    printf '%-22s peak RSS %6.1f MiB   %s\n' "$name" "$(echo "$rss / 1024" | bc -l)" "$line"
}

echo "feed of $items items: $(du -h "$work/big.xml" | cut -f1)"
measure "run, $items items" big.xml run
measure "run, 20 items" small.xml run
measure "poll, $items items" big.xml poll
measure "poll, 20 items" small.xml poll
