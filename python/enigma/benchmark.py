"""Small timing helpers for benchmarks/ (never for asserts in tests; SPEC §6).

>>> r = enigma.benchmark.bench(lambda: enigma.compile(k), repeat=50)
>>> print(enigma.benchmark.format_bench_result("compile", r))
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass


@dataclass
class BenchResult:
    """Timings of repeated runs, in microseconds."""

    samples_us: list[float]

    @property
    def median_us(self) -> float:
        return statistics.median(self.samples_us)

    @property
    def min_us(self) -> float:
        return min(self.samples_us)

    @property
    def mean_us(self) -> float:
        return statistics.fmean(self.samples_us)


def bench(fn, *, repeat: int = 20, warmup: int = 2) -> BenchResult:
    """Wall-clock time of `fn()` over `repeat` runs after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return BenchResult(samples)


def bench_gpu(prepared, grid, threads, *, repeat: int = 20, warmup: int = 2) -> BenchResult:
    """Device time of a prepared kernel's dispatch (`PreparedKernel.dispatch_timed`)."""
    for _ in range(warmup):
        prepared.dispatch(grid, threads)
    return BenchResult([prepared.dispatch_timed(grid, threads) for _ in range(repeat)])


def format_bench_result(name: str, result: BenchResult) -> str:
    """One table row: name, median, min and mean in the most readable unit."""

    def fmt(us: float) -> str:
        return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.1f} us"

    return (
        f"{name:<32} median {fmt(result.median_us):>10}  min {fmt(result.min_us):>10}"
        f"  mean {fmt(result.mean_us):>10}"
    )
