#!/usr/bin/env bash
# The detectors' synthetic-stream evaluation at full size (ARCHITECTURE.md, "trends and detectors"):
#  - EVAL lines: the headline streams (200 injected shifts and 11,160 stationary buckets per
#    detector): share of shifts detected within two buckets, mean delay, false alerts per 1,000
#    stationary buckets;
#  - EVAL-ARTICLES lines: article-level streams of 3, 5, 8 and 15 dyad articles per group and day
#    (full text), for the current defaults and, beside them, the 0.1.0 defaults: detection delay
#    (share within 2 and 7 buckets, missed after 14, mean and median delay) and false alerts per
#    1,000 quiet buckets.
# Exits non-zero when a detector misses its target (headline streams: >= 95% within two buckets,
# <= 1 false alert per 1,000; article streams: <= 1 per 1,000 and no fewer detections than 0.1.0).
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --build-tests -Xcxx -DNDEBUG >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
DYADWATCH_FULL_EVAL=1 swift test --skip-build --filter 'DetectorEvaluationTests|ArticleStreamEvaluationTests' >"$log" 2>&1
status=$?
grep '^EVAL ' "$log"
grep '^EVAL-ARTICLES ' "$log" | sort -s -k2,2
[ "$status" -eq 0 ] || { grep -E 'error:' "$log" >&2; echo "detector evaluation failed (status $status)" >&2; }
exit "$status"
