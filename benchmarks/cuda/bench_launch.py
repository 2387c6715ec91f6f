"""Launch overhead: host time per launch of a tiny kernel, Enigma vs CuPy RawKernel and peers.

The issue's target: a prepared Enigma kernel's `dispatch()` costs less host
time than a CuPy `RawKernel` call, measured in the same run. Every
implementation launches a one-element add (the GPU work is negligible) in
batches of BATCH launches timed on the host with `perf_counter`; the GPU is
synchronized between batches, outside the timed region, so the launch queue
never fills and blocks the host. The time is the median batch divided by
BATCH. Rows: Enigma's prepared `dispatch()`, Enigma's direct call on torch
tensors (argument checks every call), CuPy `RawKernel`, Triton and torch eager.
"""

from __future__ import annotations

import statistics
import time

import kernels
from timing import Row, skipped, standalone

BATCH = 200
BATCHES = 25

_CUPY_SOURCE = r"""
extern "C" __global__ void add(const float* a, const float* b, float* c, unsigned n) {
  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}
"""


def host_us_per_launch(launch) -> float:
    """Median host microseconds per call of `launch()` over BATCHES batches of BATCH."""
    import torch

    for _ in range(BATCH):  # warm-up: compiles, caches, first-call paths
        launch()
    torch.cuda.synchronize()
    samples = []
    for _ in range(BATCHES):
        start = time.perf_counter()
        for _ in range(BATCH):
            launch()
        samples.append((time.perf_counter() - start) / BATCH * 1e6)
        torch.cuda.synchronize()
    return statistics.median(samples)


def _row(impl: str, launch) -> Row:
    row = Row("launch", "1 element", "f32", impl, 0.0, unit="us")
    try:
        row.us = host_us_per_launch(launch)
        row.note = "host time per launch"
    except Exception as e:  # a peer that is missing or fails must not end the run
        row.note = f"{type(e).__name__}: {str(e)[:90]}"
    return row


def run(quick: bool = False) -> list[Row]:
    import numpy as np
    import torch

    import enigma

    compiled = enigma.compile(kernels.vector_add)
    host = [np.ones(1, np.float32), np.ones(1, np.float32)]
    prepared = enigma.runtime("cuda").prepare(compiled, host, 4, grid=(1,), threads=(32,))
    a, b, c = (torch.ones(1, device="cuda") for _ in range(3))
    rows = [
        _row("enigma-prepared", prepared.dispatch),
        _row(
            "enigma-call",
            lambda: compiled(a, b, c, grid=(1, 1, 1), threads=(32, 1, 1), device="cuda"),
        ),
    ]
    prepared.release()
    try:
        import cupy

        raw = cupy.RawKernel(_CUPY_SOURCE, "add")
        x, y, z = (cupy.ones(1, cupy.float32) for _ in range(3))
        n = np.uint32(1)
        rows.append(_row("cupy RawKernel", lambda: raw((1,), (32,), (x, y, z, n))))
    except ImportError:
        rows.append(skipped("launch", "1 element", "f32", "cupy RawKernel", "cupy missing", "us"))
    try:
        import triton_peers

        rows.append(_row("triton", lambda: triton_peers.add(a, b, c)))
    except ImportError:
        rows.append(skipped("launch", "1 element", "f32", "triton", "triton missing", "us"))
    rows.append(_row("torch", lambda: torch.add(a, b, out=c)))
    return rows


if __name__ == "__main__":
    standalone(run, __doc__.splitlines()[0])
