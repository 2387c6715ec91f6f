"""Enigma demo: compile a few kernels, show the MSL of one, run them on the cpu device.

Run with `make demo` (or `.venv/bin/python examples/demo.py` after `make build`).
"""

import numpy as np

import enigma
from enigma import Scalar, f32, u32


@enigma.kernel
def vector_add(a: f32, b: f32, c: f32):
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


@enigma.kernel
def saxpy(x: f32, y: f32, out: f32, alpha: Scalar(f32), n: Scalar(u32)):
    i = enigma.thread_position_in_grid
    with enigma.if_(i < n):
        out[i] = alpha * x[i] + y[i]


@enigma.kernel
def block_sum(x: f32, partial: f32):
    """Each 256-thread threadgroup sums its slice of x through threadgroup memory."""
    tid = enigma.thread_index_in_threadgroup()
    shared = enigma.threadgroup_alloc(f32, 256)
    shared[tid] = x[enigma.thread_position_in_grid]
    enigma.barrier()
    with enigma.for_range(0, 8) as level:  # strides 128, 64, ..., 1
        stride = enigma.metal_cast(128 >> level, u32)
        with enigma.if_(tid < stride):
            shared[tid] = shared[tid] + shared[tid + stride]
        enigma.barrier()
    with enigma.if_(tid == 0):
        partial[enigma.threadgroup_position_in_grid("x")] = shared[0]


def main() -> None:
    rng = np.random.default_rng(0)
    n = 100_000

    add = enigma.compile(vector_add)
    print(f"--- MSL generated for `{add.kernel_name}` ---")
    print(add.metal_source)

    a, b = rng.standard_normal(n, dtype=np.float32), rng.standard_normal(n, dtype=np.float32)
    c = np.zeros(n, np.float32)
    add(a, b, c, grid=(n, 1, 1), threads=(256, 1, 1), device="cpu")
    print(f"vector_add  n={n:<8} max |error| = {np.max(np.abs(c - (a + b))):.3g}")

    out = np.zeros(n, np.float32)
    enigma.compile(saxpy)(a, b, out, 2.5, n, grid=(n, 1, 1), threads=(256, 1, 1), device="cpu")
    ref = 2.5 * a.astype(np.float64) + b
    print(f"saxpy       n={n:<8} max |error| = {np.max(np.abs(out - ref)):.3g}")

    groups = 64
    x = rng.standard_normal(groups * 256, dtype=np.float32)
    partial = np.zeros(groups, np.float32)
    enigma.compile(block_sum)(
        x, partial, grid=(groups * 256, 1, 1), threads=(256, 1, 1), device="cpu"
    )
    ref = x.astype(np.float64).reshape(groups, 256).sum(axis=1)
    print(f"block_sum   groups={groups:<3} max |error| = {np.max(np.abs(partial - ref)):.3g}")


if __name__ == "__main__":
    main()
