"""One process of the compile-latency benchmark: times the first run of each kernel.

`python compile_probe.py enigma|triton` prints a JSON {kernel: milliseconds}: for
each kernel, compile (Enigma: trace, MLIR, CUDA, NVRTC; Triton: its whole
pipeline) plus the first launch, synchronized. The caches are whatever
ENIGMA_CACHE_DIR / TRITON_CACHE_DIR hold (bench_compile.py sets them: empty for
cold, filled by a previous probe for cached); in-memory caches are always empty,
as in a new process. A warm-up kernel first pays the one-time costs (CUDA
context, loading NVRTC or Triton's backend), which belong to no kernel.
"""

from __future__ import annotations

import json
import sys
import time

ROWS, COLS = 256, 4096


def _time(fn) -> float:
    import torch

    start = time.perf_counter()
    fn()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) * 1000.0


def enigma_times() -> dict[str, float]:
    import kernels
    import torch

    import enigma

    @enigma.kernel
    def warm_up(a: enigma.f32, b: enigma.f32):
        i = enigma.thread_position_in_grid
        b[i] = a[i] * 2.0

    x = torch.randn(ROWS, COLS, device="cuda")
    y, w = torch.empty_like(x), torch.ones(COLS, device="cuda")
    n, rt = x.numel(), kernels.row_threads(COLS)

    def run(kernel, args, grid, threads):
        enigma.compile(kernel)(*args, grid=grid, threads=threads, device="cuda")

    _time(lambda: run(warm_up, (x, y), (n, 1, 1), (256, 1, 1)))
    row_grid = (ROWS * rt, 1, 1)
    return {
        "vector_add": _time(lambda: run(kernels.vector_add, (x, x, y), (n, 1, 1), (256, 1, 1))),
        "rmsnorm": _time(
            lambda: run(kernels.make_rmsnorm(COLS), (x, w, y, 1e-6), row_grid, (rt, 1, 1))
        ),
        "softmax": _time(lambda: run(kernels.make_softmax(COLS), (x, y), row_grid, (rt, 1, 1))),
    }


def triton_times() -> dict[str, float]:
    import torch
    import triton
    import triton.language as tl
    import triton_peers

    @triton.jit
    def warm_up(a, b, BLOCK: tl.constexpr):
        offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        tl.store(b + offsets, tl.load(a + offsets) * 2.0)

    x = torch.randn(ROWS, COLS, device="cuda")
    y, w = torch.empty_like(x), torch.ones(COLS, device="cuda")
    _time(lambda: warm_up[(x.numel() // 1024,)](x, y, BLOCK=1024))
    return {
        "vector_add": _time(lambda: triton_peers.add(x, x, y)),
        "rmsnorm": _time(lambda: triton_peers.rmsnorm(x, w, y, 1e-6)),
        "softmax": _time(lambda: triton_peers.softmax(x, y)),
    }


if __name__ == "__main__":
    tool = sys.argv[1]
    print(json.dumps(enigma_times() if tool == "enigma" else triton_times()))
