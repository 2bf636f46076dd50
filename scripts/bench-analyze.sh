#!/usr/bin/env bash
# Analyzer throughput against vaderSentiment on the same text, both single-threaded, in one run:
#   1. the 20,679 headlines of ../shared/corpus/headlines-2022 analyzed one by one, and the same
#      headlines joined into ~5 KB article-sized documents (dyadwatch: analysis time only, via
#      `analyze --timing`; VADER: polarity_scores time only); the ratio is of MB/s. One dyadwatch
#      pass over the documents takes only ~40 ms of CPU, too short to time reliably on a shared
#      machine, so dyadwatch analyzes the same texts REPEAT times in one process and its rate is
#      total bytes / total analysis time (VADER's single pass already takes seconds);
#   2. one 50 MB single-line input (headlines joined by spaces), plus a 10 MB one to show that
#      time grows linearly; wall time and peak RSS from /usr/bin/time.
# Creates .venv-eval (vaderSentiment) when missing. Prints the ratios; exits 1 if the last
# (article-sized documents) is below 100x.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared
CORPUS="$SHARED/corpus/headlines-2022/headlines.jsonl"
[ -f "$CORPUS" ] || { echo "bench-analyze: $CORPUS not found (needs ../shared)" >&2; exit 2; }
MIN_RATIO=100
# Passes dyadwatch makes over the same texts (see above); the single-pass rate is printed too.
REPEAT=10

VENV=.venv-eval
if ! "$VENV/bin/python" -c 'import vaderSentiment' 2>/dev/null; then
    echo "bench-analyze: creating $VENV with vaderSentiment" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q vaderSentiment
fi
swift build -c release -Xcxx -DNDEBUG --product dyadwatch >&2
BIN=.build/release/dyadwatch

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Same text for both: the headline titles. Both sides are timed in thread CPU time (the machine
# may be shared), covering the analysis calls only, not input parsing or output.
python3 - "$CORPUS" "$WORK" <<'PY'
import json, sys
corpus, work = sys.argv[1], sys.argv[2]
titles = [json.loads(l)["title"] for l in open(corpus, encoding="utf-8") if l.strip()]
with open(f"{work}/titles.jsonl", "w", encoding="utf-8") as f:
    for i, t in enumerate(titles):
        f.write(json.dumps({"id": str(i), "title": t, "text": ""}, ensure_ascii=False) + "\n")
with open(f"{work}/titles.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(titles))
# Article-sized documents: consecutive headlines joined into ~5 KB texts (typical news article size).
docs, cur = [], []
for t in titles:
    cur.append(t)
    if sum(len(x) + 2 for x in cur) >= 5000:
        docs.append(". ".join(cur)); cur = []
if cur: docs.append(". ".join(cur))
with open(f"{work}/docs.jsonl", "w", encoding="utf-8") as f:
    for i, d in enumerate(docs):
        f.write(json.dumps({"id": str(i), "title": "", "text": d}, ensure_ascii=False) + "\n")
with open(f"{work}/docs.txt", "w", encoding="utf-8") as f:
    f.write("\x1e".join(docs))
joined = " ".join(titles)
for name, size in (("big10", 10_000_000), ("big50", 50_000_000)):
    data = (joined + " ") * (size // (len(joined.encode()) + 1) + 1)
    raw = data.encode()[:size].decode("utf-8", "ignore")
    with open(f"{work}/{name}.txt", "w", encoding="utf-8") as f:
        f.write(raw)
PY

# run_pair LABEL JSONL TXT SEPARATOR: analysis-only time for both tools on the same texts.
run_pair() {
    local label=$1 jsonl=$2 txt=$3 sep=$4
    echo "== $label, single-threaded"
    echo "dyadwatch, single pass: $("$BIN" analyze --timing "$jsonl" 2>&1 >/dev/null)"
    local passes=()
    for _ in $(seq "$REPEAT"); do passes+=("$jsonl"); done
    OURS=$("$BIN" analyze --timing "${passes[@]}" 2>&1 >/dev/null)
    echo "dyadwatch, $REPEAT passes: $OURS"
    VADER=$("$VENV/bin/python" - "$txt" "$sep" <<'PY'
import sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
sep = "\n" if sys.argv[2] == "nl" else "\x1e"
texts = open(sys.argv[1], encoding="utf-8").read().split(sep)
size = sum(len(t.encode()) for t in texts) / 1e6
v = SentimentIntensityAnalyzer()
t0 = time.thread_time()
for t in texts:
    v.polarity_scores(t)
dt = time.thread_time() - t0
print(f"analyzed {len(texts)} articles, {size:.2f} MB in {dt:.3f} s: {len(texts)/dt:.1f} articles/s, {size/dt:.2f} MB/s")
PY
)
    echo "vaderSentiment: $VADER"
    local ours_rate vader_rate
    ours_rate=$(sed -E 's/.* ([0-9.]+) MB\/s.*/\1/' <<<"$OURS")
    vader_rate=$(sed -E 's/.* ([0-9.]+) MB\/s.*/\1/' <<<"$VADER")
    ratio=$(python3 -c "print(f'{$ours_rate / $vader_rate:.1f}')")
    echo "throughput ratio (dyadwatch / vaderSentiment): ${ratio}x (floor ${MIN_RATIO}x)"
}
run_pair "headlines (one article each)" "$WORK/titles.jsonl" "$WORK/titles.txt" nl
run_pair "article-sized documents (~5 KB each)" "$WORK/docs.jsonl" "$WORK/docs.txt" rs

echo "== single-line inputs (linear time, bounded memory)"
for name in big10 big50; do
    /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$BIN" analyze --jsonl "$WORK/$name.txt" > "$WORK/$name.out"
    read -r secs kb < "$WORK/$name.time"
    out_kb=$(( $(stat -c %s "$WORK/$name.out") / 1024 ))
    echo "$name: $(( $(stat -c %s "$WORK/$name.txt") / 1000000 )) MB in ${secs} s, peak RSS $(( kb / 1024 )) MiB, output ${out_kb} KiB"
done

python3 -c "import sys; sys.exit(0 if $ratio >= $MIN_RATIO else 1)" || { echo "bench-analyze: ratio below ${MIN_RATIO}x" >&2; exit 1; }
