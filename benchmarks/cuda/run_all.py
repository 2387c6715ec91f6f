"""Every CUDA benchmark in one run, for the lent GPU: python benchmarks/cuda/run_all.py.

Runs copy bandwidth (the ceiling), launch overhead, vector add, RMSNorm, softmax, GEMM, decode
attention and compile latency, each a module of this folder, within a global
time budget (`--budget` seconds: a benchmark that would start past it is
skipped with a note). Prints the compact table last and, when $OUT is set,
writes every row (errors and exceptions included) to $OUT/bench.json.
`--quick` uses small sizes; `--gemm-large` adds 8192^3. `--dry-run` needs no
GPU, torch or Triton: it traces every Enigma kernel of kernels.py, emits its
CUDA and compiles it with NVRTC for sm_90, so the GPU run cannot die on a
compile error (a kernel the emitter does not lower yet is reported, not fatal).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from timing import Row, table  # noqa: E402

BENCHMARKS = [
    "bench_copy",
    "bench_launch",
    "bench_vector_add",
    "bench_rmsnorm",
    "bench_softmax",
    "bench_gemm",
    "bench_decode_attention",
    "bench_compile",
]


def dry_run() -> int:
    """Trace, emit and NVRTC-compile every kernel (full and quick sizes); 1 on a failure."""
    import kernels

    import enigma
    from enigma.compiler import nvrtc

    failures = 0
    labelled = kernels.variants() | kernels.variants(quick=True)
    labelled["gemm_8192_f32"] = kernels.make_gemm(8192, 8192, 8192, "f32")
    for label, kernel in labelled.items():
        start = time.perf_counter()
        try:
            source = enigma.compile(kernel).cuda_source
            binary = nvrtc.compile_cuda(source, name=f"{label}.cu", arch="sm_90")
            status = f"ok ({len(binary.cubin)} B cubin)" + (
                f" log: {binary.log}" if binary.log else ""
            )
        except enigma.EnigmaError as e:
            if "has no CUDA lowering yet" not in str(e):
                failures += 1
                status = f"FAILED: {e}"
            else:
                status = "not lowered yet (reported as a row on the GPU)"
        print(f"{label:<22} {(time.perf_counter() - start) * 1000:7.0f} ms  {status}")
    print("dry run:", "all kernels compile" if not failures else f"{failures} failed")
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--gemm-large", action="store_true", help="also GEMM 8192^3")
    parser.add_argument("--budget", type=float, default=240.0, help="seconds for all benchmarks")
    parser.add_argument("--only", nargs="*", help="run these modules only (e.g. bench_gemm)")
    parser.add_argument("--dry-run", action="store_true", help="no GPU: compile every kernel")
    args = parser.parse_args(argv)
    if args.dry_run:
        return dry_run()

    import importlib

    import torch

    print(f"device: {torch.cuda.get_device_name()}  torch {torch.__version__}", flush=True)
    start, rows, log = time.perf_counter(), [], []
    for name in args.only or BENCHMARKS:
        elapsed = time.perf_counter() - start
        if elapsed > args.budget:
            log.append(f"{name}: skipped, {elapsed:.0f} s spent of a {args.budget:.0f} s budget")
            rows.append(
                Row(name.removeprefix("bench_"), "-", "-", "-", 0.0, note="skipped: budget")
            )
            continue
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(name)
            kwargs = {"large": True} if name == "bench_gemm" and args.gemm_large else {}
            got = module.run(args.quick, **kwargs)
        except Exception as e:  # a benchmark that cannot even start: note it, go on
            traceback.print_exc()
            got = [Row(name.removeprefix("bench_"), "-", "-", "-", 0.0, note=f"crashed: {e}"[:120])]
        rows += got
        torch.cuda.empty_cache()
        log.append(f"{name}: {time.perf_counter() - t0:.1f} s")
        print(f"{log[-1]}\n{table(got, None)}\n", flush=True)

    copy = [r.rate for r in rows if r.bench == "copy" and r.rate is not None]
    copy_gbps = max(copy) if copy else None
    print("\n".join(log))
    print(
        f"\ncopy bandwidth (the ceiling): {copy_gbps or 0:.0f} GB/s; vs peer = best peer time /"
        " Enigma time (>= 1: as fast as every peer)"
    )
    print(table(rows, copy_gbps))
    out = os.environ.get("OUT")
    if out:
        with open(os.path.join(out, "bench.json"), "w") as f:
            info = {"device": torch.cuda.get_device_name(), "torch": torch.__version__}
            json.dump({"info": info, "copy_gbps": copy_gbps, "log": log,
                       "rows": [r.as_dict() for r in rows]}, f, indent=1)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
