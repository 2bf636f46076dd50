#!/usr/bin/env bash
# Scores `dyadwatch analyze --jsonl` with ../shared/eval/analysis_eval.py on every public gold set
# (English headlines, Russian and Chinese items), each next to the script's keyword+VADER
# baselines, and checks the floors of issue 10. Creates .venv-eval (vaderSentiment) when missing.
# Usage: scripts/eval-analysis.sh [extra analysis_eval.py flags, e.g. --errors]
#        MODEL=path/to/model.json scripts/eval-analysis.sh   # score with a trained stance model
set -euo pipefail
cd "$(dirname "$0")/.."
GOLD_DIR=../shared/eval/gold
[ -d "$GOLD_DIR" ] || { echo "eval-analysis: $GOLD_DIR not found (needs ../shared next to the repository)" >&2; exit 2; }

VENV=.venv-eval
if ! "$VENV/bin/python" -c 'import vaderSentiment' 2>/dev/null; then
    echo "eval-analysis: creating $VENV with vaderSentiment" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q vaderSentiment
fi

swift build -c release --product dyadwatch -Xcxx -DNDEBUG >&2
CMD=".build/release/dyadwatch analyze --jsonl${MODEL:+ --model $MODEL}"
status=0
# set, then floors: dyad F1, stance macro-F1, China F1, Russia F1 (0 = no floor)
while read -r set dyad stance china russia; do
    echo "#### $set"
    line=$("$VENV/bin/python" ../shared/eval/analysis_eval.py --cmd "$CMD" --gold "$GOLD_DIR/$set.jsonl" --baselines "$@" | tee /dev/stderr | tail -1)
    python3 - "$line" "$dyad" "$stance" "$china" "$russia" <<'PY' || status=1
import re, sys
line, floors = sys.argv[1], dict(zip(("dyadF1", "stanceMacroF1", "chinaF1", "russiaF1"), map(float, sys.argv[2:6])))
got = dict(re.findall(r"(\w+)=([0-9.]+)", line))
bad = [f"{k} {float(got[k]):.3f} < {v}" for k, v in floors.items() if float(got[k]) < v]
print("floors: " + ("ok" if not bad else "BELOW: " + ", ".join(bad)))
sys.exit(1 if bad else 0)
PY
done <<'SETS'
headlines-public 0 0.80 0.95 0.95
ru-public 0.85 0.60 0.95 0.95
zh-public 0.92 0 0.95 0.95
SETS
exit $status
