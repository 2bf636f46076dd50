#!/usr/bin/env bash
# Analyzer throughput against vaderSentiment on the same text, both single-threaded, in one run:
#   1. the 20,679 headlines of ../shared/corpus/headlines-2022 analyzed one by one
#      (dyadwatch: analysis time only, via `analyze --timing`; VADER: polarity_scores time only);
#   2. one 50 MB single-line input (headlines joined by spaces), plus a 10 MB one to show that
#      time grows linearly; wall time and peak RSS from /usr/bin/time.
# Creates .venv-eval (vaderSentiment) when missing. Prints the ratio; exits 1 if below 100x.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared
CORPUS="$SHARED/corpus/headlines-2022/headlines.jsonl"
[ -f "$CORPUS" ] || { echo "bench-analyze: $CORPUS not found (needs ../shared)" >&2; exit 2; }
MIN_RATIO=100

VENV=.venv-eval
if ! "$VENV/bin/python" -c 'import vaderSentiment' 2>/dev/null; then
    echo "bench-analyze: creating $VENV with vaderSentiment" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q vaderSentiment
fi
swift build -c release --product dyadwatch >&2
BIN=.build/release/dyadwatch

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Same text for both: the headline titles.
python3 - "$CORPUS" "$WORK" <<'PY'
import json, sys
corpus, work = sys.argv[1], sys.argv[2]
titles = [json.loads(l)["title"] for l in open(corpus, encoding="utf-8") if l.strip()]
with open(f"{work}/titles.jsonl", "w", encoding="utf-8") as f:
    for i, t in enumerate(titles):
        f.write(json.dumps({"id": str(i), "title": t, "text": ""}, ensure_ascii=False) + "\n")
with open(f"{work}/titles.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(titles))
joined = " ".join(titles)
for name, size in (("big10", 10_000_000), ("big50", 50_000_000)):
    data = (joined + " ") * (size // (len(joined.encode()) + 1) + 1)
    raw = data.encode()[:size].decode("utf-8", "ignore")
    with open(f"{work}/{name}.txt", "w", encoding="utf-8") as f:
        f.write(raw)
PY

echo "== headlines (one article each), single-threaded"
OURS=$("$BIN" analyze --timing "$WORK/titles.jsonl" 2>&1 >/dev/null)
echo "dyadwatch: $OURS"
VADER=$("$VENV/bin/python" - "$WORK/titles.txt" <<'PY'
import sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
titles = open(sys.argv[1], encoding="utf-8").read().split("\n")
size = sum(len(t.encode()) for t in titles) / 1e6
v = SentimentIntensityAnalyzer()
t0 = time.perf_counter()
for t in titles:
    v.polarity_scores(t)
dt = time.perf_counter() - t0
print(f"analyzed {len(titles)} articles, {size:.2f} MB in {dt:.3f} s: {len(titles)/dt:.1f} articles/s, {size/dt:.2f} MB/s")
PY
)
echo "vaderSentiment: $VADER"
ours_rate=$(sed -E 's/.* ([0-9.]+) articles\/s.*/\1/' <<<"$OURS")
vader_rate=$(sed -E 's/.* ([0-9.]+) articles\/s.*/\1/' <<<"$VADER")
ratio=$(python3 -c "print(f'{$ours_rate / $vader_rate:.1f}')")
echo "throughput ratio (dyadwatch / vaderSentiment): ${ratio}x (floor ${MIN_RATIO}x)"

echo "== single-line inputs (linear time, bounded memory)"
for name in big10 big50; do
    /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$BIN" analyze --jsonl "$WORK/$name.txt" > "$WORK/$name.out"
    read -r secs kb < "$WORK/$name.time"
    out_kb=$(( $(stat -c %s "$WORK/$name.out") / 1024 ))
    echo "$name: $(( $(stat -c %s "$WORK/$name.txt") / 1000000 )) MB in ${secs} s, peak RSS $(( kb / 1024 )) MiB, output ${out_kb} KiB"
done

python3 -c "import sys; sys.exit(0 if $ratio >= $MIN_RATIO else 1)" || { echo "bench-analyze: ratio below ${MIN_RATIO}x" >&2; exit 1; }
