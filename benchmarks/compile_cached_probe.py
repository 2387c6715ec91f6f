"""Cached compile latency on the CUDA path, stage by stage, without a GPU.

What a fresh process pays to get the cubin of a kernel whose results are already
in ENIGMA_CACHE_DIR: the trace (loop rewrite included), the IR's JSON and the
compile-cache lookups of `enigma.compile`, `.cuda_source`, and NVRTC's cache
lookup. Each sample is a new process (no in-memory cache helps); a warm-up kernel
first pays the one-time costs (imports, the C++ core, finding NVRTC), reported as
its own row; `(json)` is the part of `compile` that serializes the IR. The kernels
are benchmarks/cuda/kernels.py's, as compile_probe.py times them on the GPU with
the launch added.

Run: `.venv/bin/python benchmarks/compile_cached_probe.py [--runs 9]` (needs NVRTC,
no GPU); prints the median milliseconds of each stage over the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COLS = 4096


def _stages(kernel, nvrtc) -> dict[str, float]:
    """Milliseconds of each stage of one cached compile (compile: JSON, key, lookup)."""
    import enigma

    times, start = {}, time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal start
        now = time.perf_counter()
        times[stage] = (now - start) * 1000.0
        start = now

    traced = kernel.trace()
    lap("trace")
    compiled = enigma.compile(kernel)
    lap("compile")
    source = compiled.cuda_source
    lap("cuda_source")
    nvrtc.compile_cuda(source, name=f"{compiled.kernel_name}.cu", arch="sm_90")
    lap("nvrtc")
    times["total"] = sum(times.values())
    traced.to_json()  # again, alone: the part of `compile` that serializes the IR
    lap("(json)")
    return times


def sample() -> dict[str, dict[str, float]]:
    """One fresh process's times: {kernel: {stage: ms}} plus the warm-up's total."""
    sys.path.insert(0, os.path.join(HERE, "cuda"))
    start = time.perf_counter()
    import kernels

    from enigma.compiler import nvrtc

    imported = (time.perf_counter() - start) * 1000.0
    warm_up = _stages(kernels.vector_add_ilp, nvrtc)["total"]
    out = {"(one-time)": {"import": imported, "warm-up kernel": warm_up}}
    for name, kernel in (
        ("vector_add", kernels.vector_add),
        ("rmsnorm", kernels.make_rmsnorm(COLS)),
        ("softmax", kernels.make_softmax(COLS)),
    ):
        out[name] = _stages(kernel, nvrtc)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh processes to sample")
    parser.add_argument("--sample", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sample:
        print(json.dumps(sample()))
        return
    with tempfile.TemporaryDirectory() as cache_dir:
        env = dict(os.environ, ENIGMA_CACHE_DIR=os.environ.get("ENIGMA_CACHE_DIR", cache_dir))
        runs = []
        for _ in range(args.runs + 1):  # the first run fills the cache
            done = subprocess.run(
                [sys.executable, __file__, "--sample"], env=env, capture_output=True, text=True
            )
            if done.returncode != 0:
                sys.exit(done.stderr)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    for kernel, stages in runs[1].items():
        cells = [
            f"{stage} {statistics.median(r[kernel][stage] for r in runs[1:]):7.2f}"
            for stage in stages
        ]
        print(f"{kernel:11s} " + "  ".join(cells))


if __name__ == "__main__":
    main()
