"""`gemm`: C += A * B on tiles, per thread (scalar path) or per SIMD-group (simdgroup matrices).

The operands follow CuTe's convention: A is M x K, B is N x K and C is M x N, so
``C[m, n] += sum_k A[m, k] * B[n, k]``. A transposed operand is only a layout
with other strides: a row-major K x N array is the N x K view with strides
(1, N). Operands are Tensor views (or `MatrixView`s of plain buffers).

* Scalar path, ``gemm(frag, a, b)`` with `frag` a per-thread register fragment of
  shape (m, n): each thread accumulates its own small product, reading A and B
  from device or threadgroup memory. Any m, n, k.
* Simdgroup path, ``gemm(acc, a, b)`` with `acc` the list of 8x8 matrices made by
  `simdgroup_accumulator(m, n)` (or the `Carry` of a loop that carries them):
  the 32 lanes of a SIMD-group compute the m x n tile together with Metal's
  `simdgroup_multiply_accumulate`. M, N and K must be multiples of 8 and each
  operand must have a unit stride in one mode (it is loaded transposed when the
  unit stride is along the other mode). Every lane of the SIMD-group must make
  the call (it is cooperative), with the same arguments.

>>> acc = enigma.tile.simdgroup_accumulator(16, 16)        # inside an @enigma.kernel body
>>> enigma.gemm(acc, sA, sB)                               # sA: 16 x K, sB: 16 x K
>>> enigma.tile.store_accumulator(acc, gC)
"""

from __future__ import annotations

from .. import dtypes as dt
from ..errors import TraceError
from ..language.control_flow import for_range
from ..language.core import resolve_dtype
from ..language.range_loop import range_constexpr
from ..language.simdgroup_matrix import (
    SimdgroupMatrix,
    make_filled_simdgroup_matrix,
    simdgroup_matrix_load,
    simdgroup_matrix_store,
    simdgroup_multiply_accumulate,
)
from ..language.tracing import current, user_location
from .matrix import MatrixView
from .views import matrix_view, scalar_gemm

__all__ = ["gemm", "simdgroup_accumulator", "store_accumulator"]

# Up to this many 8-deep steps the K loop is unrolled; beyond, it is a kernel loop that
# carries the accumulators (the MSL stays small for device-memory operands of any K).
_UNROLL_K_STEPS = 8


def simdgroup_accumulator(m: int, n: int, dtype=dt.f32, fill=0.0) -> list[SimdgroupMatrix]:
    """The (m/8) x (n/8) simdgroup matrices of an m x n accumulator tile, row-major by
    tile: entry ``i * (n // 8) + j`` holds rows 8i.. and columns 8j... Carry it through a
    loop with ``enigma.for_range(..., init=acc)``.

    >>> acc = enigma.tile.simdgroup_accumulator(16, 32)     # 8 matrices of zeros
    """
    loc = user_location()
    current("simdgroup_accumulator")
    t = resolve_dtype(dtype, "simdgroup_accumulator dtype", loc)
    _check_multiple("simdgroup_accumulator", {"m": m, "n": n}, loc)
    return [make_filled_simdgroup_matrix(t, fill) for _ in range((m // 8) * (n // 8))]


def _check_multiple(fn: str, extents: dict, loc) -> None:
    for name, extent in extents.items():
        if not isinstance(extent, int) or extent <= 0 or extent % 8:
            raise TraceError(
                f"{fn}: the simdgroup-matrix path needs M, N and K multiples of 8, but {name} is"
                f" {extent!r}",
                loc,
                hint="pad or tile the problem to multiples of 8, or use the scalar path"
                " (gemm into a per-thread fragment)",
            )


def _is_accumulator(acc) -> bool:
    try:
        return len(acc) > 0 and isinstance(acc[0], SimdgroupMatrix)
    except TypeError:
        return False


def gemm(acc, a, b):
    """``acc += a * b^T`` over the whole K extent of `a` (M x K) and `b` (N x K).

    `acc` is a per-thread fragment of shape (M, N) (scalar path) or the simdgroup
    accumulator of an M x N tile (simdgroup path, see the module docstring). Returns
    `acc`, updated in place.

    >>> enigma.gemm(frag, sA[(tid, None)], sB)          # scalar: frag is 1 x N
    >>> enigma.gemm(acc, sA, sB)                        # simdgroup: acc of 32 x 32
    """
    loc = user_location()
    current("gemm")
    if _is_accumulator(acc):
        _simdgroup_gemm(acc, matrix_view("gemm", "A", a, loc), matrix_view("gemm", "B", b, loc),
                        loc)  # fmt: skip
        return acc
    return scalar_gemm(acc, a, b, loc)


def _shapes(fn: str, acc, a: MatrixView, b: MatrixView, loc) -> tuple[int, int, int]:
    m, k = a.rows, a.cols
    n = b.rows
    if b.cols != k:
        raise TraceError(
            f"{fn}: A is {m} x {k} and B is {n} x {b.cols}; B must be N x K with the K of A",
            loc,
            hint="B follows CuTe's convention (N x K); view a K x N array with strides (1, N)",
        )
    _check_multiple(fn, {"M": m, "N": n, "K": k}, loc)
    if len(acc) != (m // 8) * (n // 8):
        raise TraceError(
            f"{fn}: the accumulator holds {len(acc)} 8x8 matrices, but an {m} x {n} tile needs"
            f" {(m // 8) * (n // 8)}",
            loc,
            hint=f"make it with enigma.tile.simdgroup_accumulator({m}, {n})",
        )
    types = {acc[0].dtype.name, a.dtype.name, b.dtype.name}
    if len(types) != 1:
        raise TraceError(
            f"{fn}: the accumulator ({acc[0].dtype.name}), A ({a.dtype.name}) and B"
            f" ({b.dtype.name}) must have one element type on the simdgroup path",
            loc,
            hint="keep A and B in buffers of the accumulator's type (float, half or bfloat)",
        )
    return m, n, k


def _unit_stride(fn: str, what: str, v: MatrixView, loc) -> bool:
    """Whether `v` is loaded transposed: its unit stride is along the rows."""
    if v.col_stride == 1:
        return False
    if v.row_stride == 1:
        return True
    raise TraceError(
        f"{fn}: {what} has strides ({v.row_stride}, {v.col_stride}); the simdgroup-matrix path"
        " needs a unit stride in one mode",
        loc,
        hint="stage the tile through threadgroup memory in a row- or column-major layout"
        " (enigma.copy), or use the scalar path",
    )


def _load(v: MatrixView, r0, c0, transposed: bool) -> SimdgroupMatrix:
    """The 8x8 block (r0.., c0..) of `v` as a matrix (rows of the block = rows of `v`)."""
    if transposed:  # rows are contiguous: load the (c, r) block transposed
        return simdgroup_matrix_load(v.buffer, v.col_stride, v.element(r0, c0), transpose=True)
    return simdgroup_matrix_load(v.buffer, v.row_stride, v.element(r0, c0))


def _simdgroup_gemm(acc, a: MatrixView, b: MatrixView, loc) -> None:
    m, n, k = _shapes("gemm", acc, a, b, loc)
    # A's block (i, kk) is an 8x8 (m x k) matrix; B's must be k x n, i.e. B^T's block.
    a_transposed = _unit_stride("gemm", "A", a, loc)
    bt = b.transposed()
    bt_transposed = _unit_stride("gemm", "B", bt, loc)
    mt, nt = m // 8, n // 8

    def step(matrices, k0):
        a_tiles = [_load(a, 8 * i, k0, a_transposed) for i in range_constexpr(mt)]
        b_tiles = [_load(bt, k0, 8 * j, bt_transposed) for j in range_constexpr(nt)]
        for i in range_constexpr(mt):
            for j in range_constexpr(nt):
                t = i * nt + j
                matrices[t] = simdgroup_multiply_accumulate(a_tiles[i], b_tiles[j], matrices[t])

    if k // 8 <= _UNROLL_K_STEPS:
        for k0 in range_constexpr(0, k, 8):
            step(acc, k0)
        return
    with for_range(0, k, 8, dtype=dt.u32, init=[acc[t] for t in range(len(acc))]) as (k0, c):
        step(c, k0)
    for t in range_constexpr(len(acc)):
        acc[t] = c[t]


def store_accumulator(acc, c) -> None:
    """Writes the simdgroup accumulator of an M x N tile into the M x N view `c` (a
    Tensor or MatrixView of the accumulator's element type, unit stride in one mode).

    >>> enigma.tile.store_accumulator(acc, gC)
    """
    fn = "store_accumulator"
    loc = user_location()
    current(fn)
    if not _is_accumulator(acc):
        raise TraceError(
            f"{fn} takes the list of simdgroup matrices of an accumulator, not {acc!r}",
            loc,
            hint="make one with enigma.tile.simdgroup_accumulator(m, n)",
        )
    v = matrix_view(fn, "C", c, loc)
    _check_multiple(fn, {"M": v.rows, "N": v.cols}, loc)
    nt = v.cols // 8
    if len(acc) != (v.rows // 8) * nt:
        raise TraceError(
            f"{fn}: the accumulator holds {len(acc)} 8x8 matrices, but C is {v.rows} x {v.cols}",
            loc,
            hint="store into a view of the accumulator's shape",
        )
    if v.dtype is not acc[0].dtype:
        raise TraceError(
            f"{fn}: the accumulator holds {acc[0].dtype.name}, C is {v.dtype.name}",
            loc,
            hint="store into a buffer of the accumulator's type, then convert element-wise",
        )
    transposed = _unit_stride(fn, "C", v, loc)
    for t in range_constexpr(len(acc)):
        r0, c0 = 8 * (t // nt), 8 * (t % nt)
        if transposed:
            simdgroup_matrix_store(acc[t], v.buffer, v.col_stride, v.element(r0, c0),
                                   transpose=True)  # fmt: skip
        else:
            simdgroup_matrix_store(acc[t], v.buffer, v.row_stride, v.element(r0, c0))
