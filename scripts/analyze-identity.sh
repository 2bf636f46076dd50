#!/usr/bin/env bash
# scripts/analyze-identity.sh BASE_BIN NEW_BIN — do two dyadwatch builds give byte-identical
# `analyze` output (stdout, stderr, exit code)? The check behind every analyzer speed change, which
# must not change a single byte. Inputs, from ../shared: the corpus headlines (x1), the three gold
# sets, the 91 article bodies of the extraction set, the seed article (JSON line and plain report),
# crafted malformed, escaped and invalid-UTF-8 lines, a 20 MB single line; also `--jobs 1` and
# standard input. Prints one line per case; exits 1 on any difference. Each binary must have its
# `dyadwatch_ArticleAnalysis.resources` beside it (a copied binary otherwise reads the data files
# of the build directory it was built in). Run each binary with the data it was built with.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BASE_BIN NEW_BIN" >&2; exit 2; }
A=$(realpath "$1"); B=$(realpath "$2")
cd "$(dirname "$0")/.."
[ -d ../shared/corpus ] || { echo "analyze-identity: ../shared not found" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
IN=$WORK/inputs
mkdir -p "$IN"
{
  python3 - "$IN" <<'PY'
import json, sys, random
d = sys.argv[1]
rows = [json.loads(l) for l in open('../shared/corpus/headlines-2022/headlines.jsonl', encoding='utf-8') if l.strip()]
with open(f'{d}/corpus.jsonl', 'w') as f:
    for r in rows: f.write(json.dumps({"id": r['id'], "title": r.get('title',''), "text": r.get('text',''), "outlet": r.get('outlet',''), "published": r.get('published','')}, ensure_ascii=False) + "\n")
gt = json.load(open('../shared/eval/extraction/ground-truth.json'))
with open(f'{d}/long.jsonl', 'w') as f:
    for k, v in gt.items(): f.write(json.dumps({"id": k, "title": v.get('title') or '', "text": v.get('articleBody') or ''}, ensure_ascii=False) + "\n")
seed = open('../shared/corpus/seed/global-times-2017-china-russia.txt', encoding='utf-8').read()
t, _, body = seed.partition('\n')
with open(f'{d}/seed.jsonl', 'w') as f: f.write(json.dumps({"id": "seed", "title": t, "text": body}, ensure_ascii=False) + "\n")
open(f'{d}/seed.txt', 'w').write(seed)
random.seed(7)
bad = [
 '{"id":"a","title":"China and Russia \\u0000 deepen ties","text":"x"}',
 '{"id":"b","title":"\\ud83d\\ude00 Китай и Россия","text":"\\ud800 lone"}',
 '{"id":"c","title":"中俄关系 \\"不断\\" 深化\\n\\t","text":"两国 \\/ 合作"}',
 '{"id":"d","title":"unterminated',
 '{"id":"e","title":["not","a","string"],"text":{"a":1}}',
 '{"id":5,"title":"Russia China","text":null,"published":12}',
 '{"id":"f","title":"dup","title":"China Russia strains","text":""}',
 'not json at all',
 '[1,2,3]',
 '{"id":"g","title":"x"} trailing',
 '{"id":"h","title":"Москва и Пекин \xff\xfe bad utf8","text":""}',
 '{}',
 '   ',
 '{"id":"i","title":"' + 'China Russia ' * 5000 + '","text":""}',
 '{"id":"j","language":"ru","title":"","text":"Россия и Китай укрепляют стратегическое партнёрство."}',
 '{"id":"k","title":"","text":"' + 'Xi Putin. ' * 300 + '"}',
]
with open(f'{d}/bad.jsonl', 'wb') as f:
    for l in bad: f.write(l.encode('utf-8', 'surrogatepass').replace('\xff\xfe'.encode('utf-8'), b'\xff\xfe') + b'\n')   # raw 0xFF 0xFE: invalid UTF-8
joined = " ".join(r.get("title", "") for r in rows)
data = (joined + " ") * (20_000_000 // (len(joined.encode()) + 1) + 1)
open(f'{d}/big20.txt', 'w').write(data.encode()[:20_000_000].decode('utf-8', 'ignore'))
PY
  cp ../shared/eval/gold/*.jsonl "$IN/"
}
fail=0
run_case() {  # NAME ARGS...
  local name=$1; shift
  "$A" "$@" > $WORK/a.out 2> $WORK/a.err; local ra=$?
  "$B" "$@" > $WORK/b.out 2> $WORK/b.err; local rb=$?
  if cmp -s $WORK/a.out $WORK/b.out && cmp -s $WORK/a.err $WORK/b.err && [ $ra = $rb ]; then
    echo "same  $name ($(wc -l < $WORK/a.out) lines, rc $ra)"
  else
    echo "DIFF  $name (rc $ra vs $rb)"; diff <(head -c 3000000 $WORK/a.out) <(head -c 3000000 $WORK/b.out) | head -6; diff $WORK/a.err $WORK/b.err | head -4; fail=1
  fi
}
for f in corpus headlines-public ru-public zh-public long seed bad; do
  run_case "$f --jsonl" analyze --jsonl "$IN/$f.jsonl"
done
run_case "corpus --jsonl --jobs 1" analyze --jsonl --jobs 1 "$IN/corpus.jsonl"
run_case "long via stdin" analyze --jsonl - < "$IN/long.jsonl"
run_case "seed report" analyze "$IN/seed.txt"
run_case "bad report" analyze "$IN/bad.jsonl"
run_case "big20 --jsonl" analyze --jsonl "$IN/big20.txt"
exit $fail
