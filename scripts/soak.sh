#!/usr/bin/env bash
# Memory soak of the daemon: 1,000 loopback feeds, a simulated clock running SCALE× real time
# (default: 6 simulated hours in 2 real minutes), resident memory sampled over the run.
# Reports RSS after warm-up (default: the first simulated hour) and at the end, the ratio of the
# last third's mean to the first third's after warm-up, and the fitted slope per simulated hour.
# Usage: scripts/soak.sh [--feeds N] [--outlets N] [--hours H] [--warmup H] [--scale X] [--debug]
# (--outlets: how many outlets the feeds belong to; default one per feed, the most trend scopes.)
# Output: a CSV of samples and the daemon log under logs/soak-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

feeds=1000; outlets=0; hours=6; warmup=1; scale=180; config=release
while [ $# -gt 0 ]; do
    case "$1" in
        --feeds) feeds="$2"; shift 2 ;;
        --hours) hours="$2"; shift 2 ;;
        --scale) scale="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --outlets) outlets="$2"; shift 2 ;;
        --debug) config=debug; shift ;;
        *) echo "soak: unknown argument $1" >&2; exit 2 ;;
    esac
done

scripts/bootstrap.sh
swift build -c "$config" -Xcxx -DNDEBUG --product dyadwatch >&2
bin="$(swift build -c "$config" --show-bin-path)/dyadwatch"

out="logs/soak-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

python3 scripts/lib/soak_server.py --feeds "$feeds" > "$out/server.port" &
server=$!
daemon=""
cleanup() {
    [ -n "$daemon" ] && kill -TERM "$daemon" 2>/dev/null || true
    kill "$server" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$out/server.port" ] && break; sleep 0.1; done
port="$(head -1 "$out/server.port")"

{
    cat <<CONF
[daemon]
state_dir = "state"
log_dir = "logs"
trends_dir = "trends"
interval = "30m"
concurrency = 16
per_host_concurrency = 8
log_level = "warning"
stale_after = "30d"

CONF
    for i in $(seq 0 $((feeds - 1))); do
        outlet="Soak outlet $i"
        [ "$outlets" -gt 0 ] && outlet="Soak outlet $((i % outlets))"
        printf '[[feed]]\nid = "soak-%d"\nname = "Soak feed %d"\noutlet = "%s"\nurl = "http://127.0.0.1:%s/feed/%d.xml"\ngroup = "%s"\nlanguage = "en"\n\n' \
            "$i" "$i" "$outlet" "$port" "$i" "$( case $((i % 3)) in 0) echo western;; 1) echo cn-state;; 2) echo ru-state;; esac )"
    done
} > "$out/feeds.conf"

real_seconds=$(python3 -c "print(int($hours * 3600 / $scale))")
warmup_seconds=$(python3 -c "print(int($warmup * 3600 / $scale))")
echo "soak: $feeds feeds, $hours simulated hours at ${scale}x = ${real_seconds}s real; output in $out" >&2

DYADWATCH_CLOCK_SCALE="$scale" "$bin" run --config "$out/feeds.conf" 2> "$out/daemon.log" &
daemon=$!
echo "real_s,simulated_h,rss_kib" > "$out/rss.csv"
start=$(date +%s)
while true; do
    now=$(date +%s); elapsed=$((now - start))
    [ "$elapsed" -ge "$real_seconds" ] && break
    kill -0 "$daemon" 2>/dev/null || { echo "soak: the daemon exited early; see $out/daemon.log" >&2; exit 1; }
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$daemon/status")
    python3 -c "print(f'$elapsed,{$elapsed * $scale / 3600:.2f},$rss')" >> "$out/rss.csv"
    sleep 2
done
polls=$(python3 -c "import json,urllib.request; print(json.load(urllib.request.urlopen('http://127.0.0.1:$port/_stats'))['requests'])")
kill -TERM "$daemon"
wait "$daemon" && status=0 || status=$?
echo "soak: $polls polls served ($(python3 -c "print(f'{$polls / $feeds:.1f}')") per feed; a 30-minute interval asks for $(python3 -c "print(int($hours * 2))"))"
daemon=""
"$bin" status --config "$out/feeds.conf" > "$out/status.txt" 2>&1 || true

python3 - "$out/rss.csv" "$warmup_seconds" "$status" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))]
warm = int(sys.argv[2])
after = [r for r in rows if int(r["real_s"]) >= warm]
if len(after) < 2:
    sys.exit("soak: too few samples after warm-up")
base = int(after[0]["rss_kib"]); end = int(after[-1]["rss_kib"]); peak = max(int(r["rss_kib"]) for r in rows)
# Compare the means of the first and last thirds after warm-up: robust to allocator noise.
third = max(1, len(after) // 3)
first = sum(int(r["rss_kib"]) for r in after[:third]) / third
last = sum(int(r["rss_kib"]) for r in after[-third:]) / third
print(f"soak: samples={len(rows)} exit_status={sys.argv[3]}")
print(f"soak: rss after warm-up {base/1024:.1f} MiB, at end {end/1024:.1f} MiB, peak {peak/1024:.1f} MiB")
print(f"soak: growth after warm-up: last third / first third = {last/first:.3f} ({(last-first)/1024:+.1f} MiB)")
xs = [float(r["simulated_h"]) for r in after]; ys = [int(r["rss_kib"]) / 1024 for r in after]
mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / max(1e-9, sum((x - mx) ** 2 for x in xs))
print(f"soak: fitted slope after warm-up: {slope:+.2f} MiB per simulated hour")
PY
head -3 "$out/status.txt" >&2 || true
