#!/usr/bin/env bash
# The one script the lead runs on the lent GPU machine (Python 3.12, torch, triton,
# cupy, cuda-bindings; no MLIR, no compiler for the cpu device), from the repo root,
# with build/device/stage carried (scripts/device/build-cp312.sh makes it here):
#
#   run(command="bash scripts/device/run-gpu.sh", carry=["build/device/stage"], timeout_s=600)
#
# Steps, each with its own time limit so the whole run fits in ~9 minutes, each
# step's full output in $OUT/<step>.log:
#   env       the GPU, the Python packages, where NVRTC and the headers were found
#   runtime   pytest -m cuda tests/python/test_runtime_cuda.py
#   suites    the kernel-language and examples suites with ENIGMA_TEST_DEVICE=cuda
#   bench     python benchmarks/cuda/run_all.py (its table; $OUT/bench.json)
# A compact summary table comes last on stdout. STEPS="runtime bench" runs only those
# steps (env always runs); BENCH_ARGS goes to run_all.py (e.g. "--only bench_gemm").
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-$PWD/build/device/out}
mkdir -p "$OUT"
STAGE=${ENIGMA_STAGE:-$PWD/build/device/stage}
[[ -f $(ls "$STAGE"/enigma/_core*.so 2>/dev/null | head -1) ]] || {
  echo "no staged enigma/_core*.so under $STAGE: carry build/device/stage" >&2; exit 2; }
# The staged binaries (_core, lib/) with this working tree's Python sources, so only a
# C++ change needs build-cp312.sh run again before the GPU run.
(cd python && tar cf - --exclude=__pycache__ --exclude='*.so' enigma) | tar xf - -C "$STAGE"
export PYTHONPATH=$STAGE${PYTHONPATH:+:$PYTHONPATH}
export PYTHONDONTWRITEBYTECODE=1
PY=${PYTHON:-python3}
TOTAL=${ENIGMA_GPU_RUN_SECONDS:-540}
SUITES="async_copy atomics barriers compile function_constants geometry integer jit jit_errors
  layout_traced masked math pack pipeline quad range register_tensor shift_counts simd
  simd_divergence simdgroup_matrix tensor tensor_fragment tensor_predication tensor_swizzle
  tile_copy tile_gemm tile_pipeline tile_quantize vectors examples examples_tile
  threadgroup_matrix bench_kernels_gemm bench_kernels_attention bench_kernels_mma bench_kernels_tgm"
SUITE_FILES=$(for s in $SUITES; do printf 'tests/python/test_%s.py ' "$s"; done)
declare -a SUMMARY

step() {  # step NAME LIMIT_SECONDS COMMAND...: runs it, logs it, records a summary line
  local name=$1 limit=$2; shift 2
  local start=$SECONDS
  echo "=== $name (limit ${limit}s): $*"
  timeout --kill-after=10 "$limit" "$@" >"$OUT/$name.log" 2>&1
  local rc=$?
  local took=$((SECONDS - start))
  local tail_line
  tail_line=$(grep -E "passed|failed|error|skipped|Traceback|EnigmaError" "$OUT/$name.log" | tail -1)
  [[ $rc == 124 || $rc == 137 ]] && tail_line="TIMED OUT after ${limit}s; $tail_line"
  SUMMARY+=("$(printf '%-8s rc=%-3s %4ss  %s' "$name" "$rc" "$took" "${tail_line:0:150}")")
  tail -n "${TAIL_LINES:-15}" "$OUT/$name.log"
}

left() { echo $((TOTAL - SECONDS)); }

step env 60 bash -c "nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; $PY - <<'PY'
import sys, importlib
print(sys.version)
for m in ('numpy', 'torch', 'triton', 'cupy', 'cuda.bindings', 'pytest'):
    try:
        mod = importlib.import_module(m)
        print(m, getattr(mod, '__version__', '?'))
    except Exception as e:
        print(m, 'MISSING', e)
import enigma
from enigma.compiler import nvrtc
print('enigma from', enigma.__file__)
print('nvrtc', nvrtc._library()._name, nvrtc.version(), 'headers', nvrtc.include_dir())
rt = enigma.runtime('cuda')
print('cuda device', rt.gpu.name, rt.arch, 'default device', enigma.runtime().device)
PY"

STEPS=${STEPS:-runtime suites bench}
wants() { [[ " $STEPS " == *" $1 "* ]]; }

wants runtime && TAIL_LINES=25 step runtime 120 "$PY" -m pytest -q -o addopts="" -m cuda -rs tests/python/test_runtime_cuda.py \
  tests/python/test_program_cuda.py

SUITE_LIMIT=$(( $(left) - 200 )); (( SUITE_LIMIT > 300 )) && SUITE_LIMIT=300
(( SUITE_LIMIT < 60 )) && SUITE_LIMIT=60
# shellcheck disable=SC2086
wants suites && TAIL_LINES=40 step suites "$SUITE_LIMIT" env OUT="$OUT" bash scripts/device/run-suites.sh $SUITE_FILES

BENCH_BUDGET=$(( $(left) - 45 )); (( BENCH_BUDGET < 30 )) && BENCH_BUDGET=30
# shellcheck disable=SC2086
wants bench && TAIL_LINES=40 step bench $(( BENCH_BUDGET + 40 )) "$PY" benchmarks/cuda/run_all.py \
  --budget "$BENCH_BUDGET" ${BENCH_ARGS:-}

echo
echo "=== summary (full logs in \$OUT: env.log runtime.log suites.log bench.log) — ${SECONDS}s"
printf '%s\n' "${SUMMARY[@]}"
