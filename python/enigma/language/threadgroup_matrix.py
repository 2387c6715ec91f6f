"""Threadgroup matrices: an R x C float accumulator spread over a threadgroup's threads.

`make_filled_threadgroup_matrix` makes one, `threadgroup_multiply_accumulate(a, b, acc, k=...)`
adds the product of an R x k tile of device buffer `a` and a k x C tile of device buffer `b`
(half or bfloat, the inputs of tensor cores; the products sum in float) and
`threadgroup_matrix_store` writes it (or its top-left corner) to a float, half or bfloat
device buffer. R is 64 or 128, C is 64, 128 or 256. A threadgroup-scope tile GEMM, like Metal
4's `matmul2d` with a cooperative destination; the CUDA target lowers it to Hopper's wgmma.

Every call is cooperative: all threads of the threadgroup reach it together (not inside
divergent control flow) with the same arguments. A kernel using threadgroup matrices runs
with exactly (2R + 128, 1, 1) threads per threadgroup (2R hold the matrix; on CUDA the last
128 stage its tiles), so all its matrices have the same R.
Element (i, kk) of A is a[a_offset + i * a_stride + kk] for i < a_rows (zero beyond), element
(kk, j) of B is b[b_offset + kk * b_stride + j] for j < b_cols (zero beyond). A matrix is
carried through `for_range`/`if_` (`init=[acc]`) and `enigma.range` loops like a simdgroup
matrix.

>>> acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=128, cols=256)
>>> acc = enigma.threadgroup_multiply_accumulate(a, b, acc, k=K, a_stride=K, b_stride=N)
>>> enigma.threadgroup_matrix_store(acc, c, N)
"""

from __future__ import annotations

from .. import dtypes as dt
from ..dtypes import DType
from ..errors import TraceError
from .builtins import query
from .core import IRValue, emit
from .memory import Buffer, uint_operand
from .simdgroup_matrix import OpaqueMatrix, SimdgroupMatrix, fill_value
from .tracing import current, user_location

ROWS = (64, 128)
COLS = (64, 128, 256)


class _ThreadgroupMatrixType(DType):
    """The type of an R x C threadgroup matrix of float; no arithmetic applies."""

    kind = "matrix"

    def __init__(self, rows: int, cols: int):
        self.name = f"threadgroup_float{rows}x{cols}"
        self.short = f"f32_{rows}x{cols}"
        self.bits = 32
        self.lanes = rows * cols
        self.rows, self.cols = rows, cols
        self._scalar = dt.f32


_TYPES = {(r, c): _ThreadgroupMatrixType(r, c) for r in ROWS for c in COLS}


class ThreadgroupMatrix(OpaqueMatrix):
    """An R x C threadgroup matrix of float; pass it to the threadgroup_* functions.

    It has no operators: accumulate with `enigma.threadgroup_multiply_accumulate`.
    """

    __slots__ = ()
    _kind = "threadgroup matrix"
    _hint = (
        "accumulate with enigma.threadgroup_multiply_accumulate(a, b, acc, k=...) and"
        " read the result through enigma.threadgroup_matrix_store(acc, buf, elements_per_row)"
    )

    @property
    def dtype(self) -> DType:
        """The element type (f32)."""
        return dt.f32

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        return self.value.dtype.rows, self.value.dtype.cols


MATRIX_TYPES = (SimdgroupMatrix, ThreadgroupMatrix)


def wrap_matrix(v: IRValue) -> SimdgroupMatrix | ThreadgroupMatrix:
    """The matrix object of a traced matrix value (a loop's or if_'s result)."""
    return (
        ThreadgroupMatrix(v) if isinstance(v.dtype, _ThreadgroupMatrixType) else SimdgroupMatrix(v)
    )


def carried_matrix(value, t: DType, what: str, loc) -> IRValue:
    """The traced value of `value` set into a loop-carried (or if_-carried) matrix of type `t`."""
    if not isinstance(value, MATRIX_TYPES) or value.value.dtype is not t:
        got = f"a `{value.value.dtype.name}`" if isinstance(value, MATRIX_TYPES) else repr(value)
        example = (
            "threadgroup_multiply_accumulate(a, b, acc, k=...) of such a matrix"
            if isinstance(t, _ThreadgroupMatrixType)
            else f"simdgroup_multiply_accumulate(a, b, c) of {t.name} matrices"
        )
        raise TraceError(
            f"{what} carries a `{t.name}`; it cannot be set to {got}",
            loc,
            hint=f"set it to a {t.name}, e.g. {example}",
        )
    return value.value


def _matrix(fn: str, m, loc) -> IRValue:
    if not isinstance(m, ThreadgroupMatrix):
        raise TraceError(
            f"{fn} needs a threadgroup matrix, not {m!r}",
            loc,
            hint="make one with enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=128,"
            " cols=256)",
        )
    return m.value


def _device_buffer(fn: str, buf, what: str, allowed: tuple[str, ...], loc) -> Buffer:
    if not isinstance(buf, Buffer) or buf.space != "device":
        got = f"the {buf.space} array `{buf.name}`" if isinstance(buf, Buffer) else repr(buf)
        raise TraceError(
            f"{fn}: {what} must be a device buffer (a kernel parameter), not {got}",
            loc,
            hint="pass the kernel's buffer parameter with an offset; threadgroup matrices read"
            " and write device memory",
        )
    if buf.dtype.name not in allowed:
        names = " or ".join(dt.dtype(n).short for n in allowed)
        why = " (tensor-core inputs are half or bfloat)" if "float" not in allowed else ""
        raise TraceError(
            f"{fn}: {what} (`{buf.name}`) holds `{buf.dtype.short}`; it must hold {names}{why}",
            loc,
            hint=f"convert the data to {names} before the kernel",
        )
    return buf


def _thread(trace, loc) -> IRValue:
    return uint_operand("threadgroup matrix", trace, query("thread_index_in_threadgroup"),
                        "thread", loc)  # fmt: skip


def _checked_shape(fn: str, rows, cols, loc) -> _ThreadgroupMatrixType:
    t = _TYPES.get((rows, cols)) if all(type(x) is int for x in (rows, cols)) else None
    if t is None:
        raise TraceError(
            f"{fn}: a threadgroup matrix has {' or '.join(map(str, ROWS))} rows and"
            f" {', '.join(map(str, COLS))} columns, not {rows!r} x {cols!r}",
            loc,
            hint="pass rows=64 or 128 and cols=64, 128 or 256 (Python ints); cover other sizes"
            " with partial tiles (a_rows, b_cols) or several matrices",
        )
    return t


def make_filled_threadgroup_matrix(dtype, value, rows: int = 128, cols: int = 256
                                   ) -> ThreadgroupMatrix:  # fmt: skip
    """A rows x cols threadgroup matrix of float with every element `value`.

    >>> acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=128)
    """
    fn = "make_filled_threadgroup_matrix"
    loc = user_location()
    trace = current(fn)
    t = _checked_shape(fn, rows, cols, loc)
    if dt.dtype(dtype) is not dt.f32:
        raise TraceError(
            f"{fn}: threadgroup matrices hold f32 (the accumulator of f16 or bf16 products),"
            f" not `{dt.dtype(dtype).name}`",
            loc,
            hint="pass enigma.f32; the inputs of threadgroup_multiply_accumulate are f16 or bf16",
        )
    v = fill_value(fn, trace, value, dt.f32, loc)
    return ThreadgroupMatrix(emit(trace, "threadgroup_matrix_fill", [v], t, {}, loc))


def threadgroup_multiply_accumulate(
    a, b, acc, *, k=None, a_stride=None, b_stride=None, a_offset=0, b_offset=0, a_rows=None,
    b_cols=None,
) -> ThreadgroupMatrix:  # fmt: skip
    """acc + A @ B: A the R x k tile of `a` at `a_offset` (rows `a_stride` elements apart,
    zero from row `a_rows` on), B the k x C tile of `b` at `b_offset` (rows `b_stride` apart,
    zero from column `b_cols` on). a and b are device buffers of one type, f16 or bf16.

    >>> acc = enigma.threadgroup_multiply_accumulate(a, b, acc, k=64, a_stride=K, b_stride=N,
    ...                                              a_offset=row0 * K + k0, b_offset=k0 * N)
    """
    fn = "threadgroup_multiply_accumulate"
    loc = user_location()
    trace = current(fn)
    missing = [name for name, x in (("k", k), ("a_stride", a_stride), ("b_stride", b_stride))
               if x is None]  # fmt: skip
    if missing:
        raise TraceError(
            f"{fn} needs {', '.join(f'{m}=' for m in missing)}: the length of the product and"
            " the elements between rows of a and of b",
            loc,
            hint=f"{fn}(a, b, acc, k=K, a_stride=K, b_stride=N) for row-major A (M x K) and"
            " B (K x N)",
        )
    c = _matrix(fn, acc, loc)
    rows, cols = c.dtype.rows, c.dtype.cols
    _device_buffer(fn, a, "a", ("half", "bfloat"), loc)
    _device_buffer(fn, b, "b", ("half", "bfloat"), loc)
    if a.dtype is not b.dtype:
        raise TraceError(
            f"{fn}: a (`{a.name}`) holds `{a.dtype.short}` and b (`{b.name}`) `{b.dtype.short}`;"
            " they must hold one type",
            loc,
            hint="convert both to f16 or both to bf16",
        )
    a_rows = rows if a_rows is None else a_rows
    b_cols = cols if b_cols is None else b_cols
    sizes = [(a_offset, "a_offset"), (a_stride, "a_stride"), (a_rows, "a_rows"),
             (b_offset, "b_offset"), (b_stride, "b_stride"), (b_cols, "b_cols"),
             (k, "k")]  # fmt: skip
    idx = [uint_operand(fn, trace, x, what, loc) for x, what in sizes]
    operands = [a.ref, *idx[0:3], b.ref, *idx[3:7], c, _thread(trace, loc)]
    return ThreadgroupMatrix(emit(trace, fn, operands, c.dtype, {}, loc))


def threadgroup_matrix_store(acc, buf, elements_per_row, offset=0, rows=None, cols=None) -> None:
    """Writes the top-left rows x cols (default: all) of `acc` into device buffer `buf`
    (f32, f16 or bf16, rounded to nearest even): buf[offset + i * elements_per_row + j].

    >>> enigma.threadgroup_matrix_store(acc, c, N, offset=row0 * N + col0, rows=M - row0)
    """
    fn = "threadgroup_matrix_store"
    loc = user_location()
    trace = current(fn)
    m = _matrix(fn, acc, loc)
    _device_buffer(fn, buf, "the destination", ("float", "half", "bfloat"), loc)
    sizes = [(offset, "offset"), (elements_per_row, "elements_per_row"),
             (m.dtype.rows if rows is None else rows, "rows"),
             (m.dtype.cols if cols is None else cols, "cols")]  # fmt: skip
    idx = [uint_operand(fn, trace, x, what, loc) for x, what in sizes]
    emit(trace, fn, [m, buf.ref, *idx, _thread(trace, loc)], None, {}, loc)


THREADGROUP_MATRIX_FUNCTIONS = (
    "make_filled_threadgroup_matrix", "threadgroup_multiply_accumulate",
    "threadgroup_matrix_store",
)  # fmt: skip
