#!/usr/bin/env bash
# Runs each given test file in its own pytest process with ENIGMA_TEST_DEVICE=cuda, so a
# kernel fault (which ends the CUDA context for the rest of its process) costs only that
# file; prints one line per file, then the totals. Called by run-gpu.sh.
set -uo pipefail
PY=${PYTHON:-python3}
passed=0 failed=0 skipped=0
for f in "$@"; do
  log=$(mktemp)
  ENIGMA_TEST_DEVICE=cuda "$PY" -m pytest -q -p no:cacheprovider -o addopts="" -rfs \
    --tb=short "$f" >"$log" 2>&1
  line=$(tail -1 "$log")
  printf '%-45s %s\n' "$f" "$line"
  # Failures in full (the step's log comes back; one file per test file would not).
  grep -q "failed\|error" <<<"$line" && grep -E "^(FAILED|ERROR|E  )" "$log" | cut -c1-300 | head -40
  rm -f "$log"
  for kind in passed failed skipped; do
    n=$(grep -oE "[0-9]+ $kind" <<<"$line" | grep -oE "^[0-9]+")
    (( $kind += ${n:-0} ))
  done
done
echo "all files: $passed passed, $failed failed, $skipped skipped"
