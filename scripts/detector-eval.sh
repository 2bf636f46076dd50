#!/usr/bin/env bash
# The detectors' synthetic-stream evaluation at full size (200 injected shifts and 11,160
# stationary buckets per detector): prints one EVAL line per detector with the share of shifts
# detected within two buckets and false alerts per 1,000 stationary buckets (ARCHITECTURE.md,
# "trends and detectors"). Exits non-zero when a detector misses its target (>= 95%, <= 1 per 1,000).
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
DYADWATCH_FULL_EVAL=1 swift test -Xcxx -DNDEBUG --filter DetectorEvaluationTests >"$log" 2>&1
status=$?
grep '^EVAL' "$log"
[ "$status" -eq 0 ] || { grep -E 'error:' "$log" >&2; echo "detector evaluation failed (status $status)" >&2; }
exit "$status"
