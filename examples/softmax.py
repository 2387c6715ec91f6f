"""Row softmax, y = exp(x - max(x)) / sum(exp(x - max(x))), one threadgroup per row.

Two block reductions of the row: its maximum (`simd_max` per SIMD-group, then the
partials of the SIMD-groups through threadgroup memory) and the sum of
exp(x - max) (`simd_sum`, the same way). Subtracting the maximum keeps every
exponent <= 0, so rows of huge magnitudes (±3e38) do not overflow; an entry of
-inf contributes exactly 0, and a row that is entirely -inf gives zeros (no
NaN): its maximum is replaced by 0 and a zero sum by an output of 0. +inf and
NaN inputs are outside the contract (the result is NaN, as in numpy). The host
side is an `@enigma.jit` function that sizes the grid from x's shape.

Run: `python examples/softmax.py [--rows R --cols C]`; it checks the result
against a float64 numpy reference (rows with -inf entries and huge values
included) and exits non-zero on a mismatch.
"""

import argparse
import sys

import numpy as np
from _check import max_error, report

import enigma
from enigma import f32

THREADS = 256  # threads per threadgroup (one row each)
SIMDGROUPS = THREADS // 32
TOLERANCE = 1e-6  # max |error| on outputs in [0, 1]


def block_reduce(value, simd_op, combine, partials, simdgroups: int):
    """Reduce `value` over the whole threadgroup: `simd_op` within each SIMD-group, then the
    SIMD-groups' partials (one slot each in the threadgroup array `partials`) with `combine`.
    Every thread gets the result. A plain Python function: traced inline in the kernel."""
    value = simd_op(value)
    with enigma.if_(enigma.thread_index_in_simdgroup() == 0):
        partials[enigma.simdgroup_index_in_threadgroup()] = value
    enigma.barrier()
    result = partials[0]
    for s in enigma.range_constexpr(1, simdgroups):
        result = combine(result, partials[s])
    return result


@enigma.kernel
def softmax(x: f32, y: f32):
    """x, y: (rows, cols) tensors; one threadgroup per row."""
    row = enigma.threadgroup_position_in_grid("x")
    tid = enigma.thread_index_in_threadgroup()
    cols = x.shape[1]  # a Python int: the kernel is specialised for the shape
    # Two arrays: the sum's partials must not overwrite the max's before all have read them.
    max_partials = enigma.threadgroup_alloc(f32, SIMDGROUPS)
    sum_partials = enigma.threadgroup_alloc(f32, SIMDGROUPS)

    m = -float("inf")
    for c in enigma.range(tid, cols, THREADS):
        m = enigma.fmax(m, x[row, c])
    m = block_reduce(m, enigma.simd_max, enigma.fmax, max_partials, SIMDGROUPS)
    shift = enigma.where(m, 0.0, m == -float("inf"))  # an all -inf row: exp(-inf) = 0

    total = 0.0
    for c in enigma.range(tid, cols, THREADS):
        total = total + enigma.exp(x[row, c] - shift)
    total = block_reduce(total, enigma.simd_sum, lambda a, b: a + b, sum_partials, SIMDGROUPS)
    inv = enigma.where(0.0, 1.0 / total, total > 0.0)

    for c in enigma.range(tid, cols, THREADS):
        y[row, c] = enigma.exp(x[row, c] - shift) * inv


@enigma.jit
def softmax_rows(x, y):
    """Softmax of every row of x into y: one threadgroup of THREADS threads per row.

    >>> enigma.compile(softmax_rows, x, y)(x, y, device="cpu")
    """
    rows, _ = x.shape
    softmax(x, y).launch(grid=(rows, 1, 1), block=(THREADS, 1, 1))


def reference(x: np.ndarray) -> np.ndarray:
    """Softmax of each row in float64; a row of only -inf gives zeros."""
    x = x.astype(np.float64)
    m = x.max(axis=1, keepdims=True)
    m = np.where(np.isneginf(m), 0.0, m)
    e = np.exp(x - m)
    s = e.sum(axis=1, keepdims=True)
    return np.divide(e, s, out=np.zeros_like(e), where=s > 0)


def test_rows(rows: int, cols: int, seed: int = 0) -> np.ndarray:
    """Random rows, with the hard cases mixed in: -inf entries, a row of only -inf (row 1),
    huge magnitudes (row 2), a row of one repeated value (row 3)."""
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((rows, cols)) * 4).astype(np.float32)
    x[rng.random((rows, cols)) < 0.05] = -np.inf
    special = [
        np.full(cols, -np.inf),
        rng.choice([3e38, -3e38, 1e30, -1e30], cols),
        np.full(cols, 7.5),
    ]
    for r, values in enumerate(special[: max(rows - 1, 0)], start=1):
        x[r] = values
    return x


def run(rows: int = 64, cols: int = 1000, x: np.ndarray | None = None, seed: int = 0):
    """Softmax of `x` (default: `test_rows(rows, cols)`) on the cpu device; return
    (y, float64 reference).

    >>> y, ref = run(x=np.float32([[0, -np.inf, 88.0]]))
    """
    if x is None:
        x = test_rows(rows, cols, seed)
    x = np.ascontiguousarray(x, np.float32)
    y = np.zeros_like(x)
    enigma.compile(softmax_rows, x, y)(x, y, device="cpu")
    return y, reference(x)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=64)
    parser.add_argument("--cols", type=int, default=1000)
    args = parser.parse_args(argv)
    y, ref = run(args.rows, args.cols)
    return report(f"softmax {args.rows}x{args.cols}", max_error(y, ref), TOLERANCE)


if __name__ == "__main__":
    sys.exit(main())
