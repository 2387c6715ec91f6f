"""RMSNorm of each row: y = x / sqrt(mean(x^2) + eps) * w, one threadgroup per row.

The classic two-level reduction: every thread sums the squares of a strided slice
of its row, `simd_sum` adds the 32 lanes of each SIMD-group, lane 0 of each
SIMD-group writes its partial to threadgroup memory, and after a barrier every
thread adds those few partials and scales its slice. Inputs may be f32 or f16
(with f32 accumulation and an f16 result); the weight is f32.

The host side is an `@enigma.jit` function: it reads the number of rows from
x's shape to size the grid, and the kernel indexes x and y as 2-D tensors
(`x[row, c]`, through their row-major layouts), specialised for their dtype and
shape.

Run: `python examples/rmsnorm.py [--rows R --cols C --dtype f16]`; it checks the
result against a float64 numpy reference and exits non-zero on a mismatch.
"""

import argparse
import sys

import numpy as np
from _check import max_error, report

import enigma
from enigma import Scalar, f32

THREADS = 256  # threads per threadgroup (one row each); a multiple of the SIMD width
SIMDGROUPS = THREADS // 32
TOLERANCE = {"f32": 1e-5, "f16": 4e-3}  # max |error|; f16 rounds the result once (|y| < 8)


@enigma.kernel
def rmsnorm(x: enigma.Tensor, w: f32, y: enigma.Tensor, eps: Scalar(f32)):
    """x, y: (rows, cols) tensors of one dtype (f32 or f16); w: cols weights."""
    row = enigma.threadgroup_position_in_grid("x")
    tid = enigma.thread_index_in_threadgroup()
    cols = x.shape[1]  # a Python int: the kernel is specialised for the shape
    partials = enigma.threadgroup_alloc(f32, SIMDGROUPS)

    squares = 0.0
    for c in enigma.range(tid, cols, THREADS):
        v = enigma.metal_cast(x[row, c], f32)
        squares = squares + v * v
    squares = enigma.simd_sum(squares)
    with enigma.if_(enigma.thread_index_in_simdgroup() == 0):
        partials[enigma.simdgroup_index_in_threadgroup()] = squares
    enigma.barrier()

    total = partials[0]
    for s in enigma.range_constexpr(1, SIMDGROUPS):
        total = total + partials[s]
    scale = enigma.rsqrt(total / cols + eps)
    for c in enigma.range(tid, cols, THREADS):
        y[row, c] = enigma.metal_cast(x[row, c], f32) * scale * w[c]


@enigma.jit
def rmsnorm_rows(x, w, y, eps):
    """Normalize every row of x into y: one threadgroup of THREADS threads per row.

    >>> prog = enigma.compile(rmsnorm_rows, x, w, y, 1e-6)
    >>> prog(x, w, y, device="cpu")
    """
    rows, _ = x.shape
    rmsnorm(x, w, y, eps).launch(grid=(rows, 1, 1), block=(THREADS, 1, 1))


def reference(x: np.ndarray, w: np.ndarray, eps: float) -> np.ndarray:
    """RMSNorm in float64."""
    x = x.astype(np.float64)
    return x / np.sqrt(np.mean(x * x, axis=1, keepdims=True) + eps) * w.astype(np.float64)


def run(rows: int = 64, cols: int = 1000, dtype: str = "f32", eps: float = 1e-6, seed: int = 0):
    """Normalize random rows on the cpu device; return (y, float64 reference).

    >>> y, ref = run(rows=4, cols=33, dtype="f16")
    """
    rng = np.random.default_rng(seed)
    np_dtype = {"f32": np.float32, "f16": np.float16}[dtype]
    x = (rng.standard_normal((rows, cols)) * 3).astype(np_dtype)
    w = rng.uniform(0.5, 1.5, cols).astype(np.float32)
    y = np.zeros((rows, cols), np_dtype)
    enigma.compile(rmsnorm_rows, x, w, y, eps)(x, w, y, device="cpu")
    return y, reference(x, w, eps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=64)
    parser.add_argument("--cols", type=int, default=1000)
    parser.add_argument("--dtype", choices=sorted(TOLERANCE), default="f32")
    args = parser.parse_args(argv)
    y, ref = run(args.rows, args.cols, args.dtype)
    what = f"rmsnorm {args.rows}x{args.cols} {args.dtype}"
    return report(what, max_error(y, ref), TOLERANCE[args.dtype])


if __name__ == "__main__":
    sys.exit(main())
