"""Compile latency of a few kernels, stage by stage (SPEC §6 targets).

Prints one row per kernel: trace (Python), MLIR import + passes and MSL
emission (C++ core, as it reports them), the whole warm compile(), a cache
hit, and the cpu device's clang build (cold, then cached). Run: `make bench`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))

from demo import block_sum, saxpy, vector_add  # noqa: E402
from transformer_decoder import make_kernel as fused_decoder_layer  # noqa: E402

import enigma  # noqa: E402
from enigma import _core  # noqa: E402
from enigma.compiler import cache  # noqa: E402


def median_us(fn, repeat: int = 30) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def untraced(kernel):
    """Forget the kernel's cached trace so tracing is timed for real."""
    kernel.clear_cache()
    return kernel.trace()


def row(kernel) -> dict:
    trace_us = median_us(lambda: untraced(kernel))
    traced_json = kernel.trace().to_json()
    timings = [_core.compile_kernel(traced_json)["timings_us"] for _ in range(30)]
    mlir_us = statistics.median(t["import"] + t["passes"] for t in timings)
    msl_us = statistics.median(t["emit"] for t in timings)

    def cold_compile():
        cache.clear_memory()
        kernel.clear_cache()
        with tempfile.TemporaryDirectory() as d:
            os.environ["ENIGMA_CACHE_DIR"] = d
            enigma.compile(kernel)

    compile_us = median_us(cold_compile, repeat=10)
    compiled = enigma.compile(kernel)
    hit_us = median_us(lambda: enigma.compile(kernel))
    from enigma.runtime.cpu.build import build_object

    with tempfile.TemporaryDirectory() as d:
        os.environ["ENIGMA_CACHE_DIR"] = d
        start = time.perf_counter()
        build_object(compiled)
        cpu_cold_us = (time.perf_counter() - start) * 1e6
        cpu_hit_us = median_us(lambda: build_object(compiled), repeat=10)
    return {
        "kernel": kernel.name,
        "msl bytes": len(compiled.metal_source),
        "trace": trace_us,
        "mlir": mlir_us,
        "msl": msl_us,
        "compile": compile_us,
        "cache hit": hit_us,
        "cpu build": cpu_cold_us,
        "cpu cached": cpu_hit_us,
    }


def main() -> None:
    # The fused decoder layer (examples/transformer_decoder.py): SPEC §6's ~10 KB-of-MSL kernel.
    rows = [row(k) for k in (vector_add, saxpy, block_sum, fused_decoder_layer())]
    cols = [
        "kernel",
        "msl bytes",
        "trace",
        "mlir",
        "msl",
        "compile",
        "cache hit",
        "cpu build",
        "cpu cached",
    ]
    print("times in microseconds (median); compile = trace + core, no cache")
    print("  ".join(f"{c:>11}" for c in cols))
    for r in rows:
        print(
            "  ".join(f"{r[c]:>11.0f}" if isinstance(r[c], float) else f"{r[c]:>11}" for c in cols)
        )


if __name__ == "__main__":
    main()
