#!/usr/bin/env bash
# Scores `dyadwatch analyze --jsonl` on the public gold set with ../shared/eval/analysis_eval.py,
# next to the script's keyword+VADER baselines. Creates .venv-eval (vaderSentiment) when missing.
# Usage: scripts/eval-analysis.sh [extra analysis_eval.py flags, e.g. --errors]
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared
GOLD="$SHARED/eval/gold/headlines-public.jsonl"
[ -f "$GOLD" ] || { echo "eval-analysis: $GOLD not found (needs ../shared next to the repository)" >&2; exit 2; }

VENV=.venv-eval
if ! "$VENV/bin/python" -c 'import vaderSentiment' 2>/dev/null; then
    echo "eval-analysis: creating $VENV with vaderSentiment" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q vaderSentiment
fi

swift build -c release -Xcxx -DNDEBUG --product dyadwatch >&2
"$VENV/bin/python" "$SHARED/eval/analysis_eval.py" \
    --cmd ".build/release/dyadwatch analyze --jsonl" --gold "$GOLD" --baselines "$@"
