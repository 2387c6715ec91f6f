"""Simdgroup matrices: Metal's 8x8 tiles that the 32 lanes of a SIMD-group hold together.

`simdgroup_matrix_load` reads a tile of a device buffer or threadgroup array into a
`SimdgroupMatrix` (Metal `simdgroup_float8x8`, `simdgroup_half8x8`, `simdgroup_bfloat8x8`),
`simdgroup_multiply_accumulate(a, b, c)` computes a*b + c, `make_filled_simdgroup_matrix`
makes one with every element equal and `simdgroup_matrix_store` writes one back. They are
SIMD-group cooperative: as Metal requires, every lane of the SIMD-group must call them
together (not inside divergent control flow) with the same arguments.

A tile at `origin=(col, row)` of a row-major buffer with `elements_per_row` columns, starting
`elem` elements into the buffer, is element (r, c) = buf[elem + (row + r) * elements_per_row
+ col + c]; `transpose=True` loads (stores) its transpose. Element types are float, half and
bfloat; a multiply-accumulate's a and b share one type, and c (and the result) has it too
or is float with half or bfloat inputs (Metal's overloads: `simdgroup_float8x8` accumulators
with `simdgroup_half8x8` or `simdgroup_bfloat8x8` inputs).
A matrix is carried through `for_range`/`while_`/`if_` (`init=[acc]`) and `enigma.range`
loops like a value, keeping its type (threadgroup_matrix.carried_matrix checks what is set).

>>> a = enigma.simdgroup_matrix_load(x, 64, origin=(k, row))
>>> acc = enigma.simdgroup_multiply_accumulate(a, b, acc)
>>> enigma.simdgroup_matrix_store(acc, out, 64, origin=(col, row))
"""

from __future__ import annotations

from .. import dtypes as dt
from ..dtypes import DType
from ..errors import TraceError
from .core import IRValue, convert, emit, traced, value_of
from .memory import Buffer, uint_operand
from .tracing import current, user_location

_ELEMENTS = ("float", "half", "bfloat")


class _MatrixType(DType):
    """The Metal type of a simdgroup matrix (`simdgroup_float8x8`); no arithmetic applies."""

    kind = "matrix"
    lanes = 64

    def __init__(self, element: DType):
        self.name = f"simdgroup_{element.name}8x8"
        self.short = f"{element.short}_8x8"
        self.bits = element.bits
        self._scalar = element


_TYPES = {name: _MatrixType(dt.dtype(name)) for name in _ELEMENTS}


class OpaqueMatrix:
    """A matrix value that kernels only pass to the functions of its kind: it has no
    operators and no elements (subclasses name the kind and how to use it)."""

    __slots__ = ("value",)
    _kind = "matrix"
    _hint = ""

    def __init__(self, value: IRValue):
        self.value = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(%{self.value.value.id}: {self.value.dtype.name})"

    def _no_operator(self, *args):
        raise TraceError(
            f"a {self._kind} has no operators or elements in the kernel language",
            user_location(),
            hint=self._hint,
        )

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __matmul__ = _no_operator
    __truediv__ = __neg__ = __getitem__ = __setitem__ = __bool__ = _no_operator


class SimdgroupMatrix(OpaqueMatrix):
    """An 8x8 simdgroup matrix value; pass it to the simdgroup_* functions.

    It has no operators: multiply with `enigma.simdgroup_multiply_accumulate(a, b, c)`.
    """

    __slots__ = ()
    _kind = "simdgroup matrix"
    _hint = (
        "compute with enigma.simdgroup_multiply_accumulate(a, b, c) and read the"
        " result through enigma.simdgroup_matrix_store(m, buf, elements_per_row)"
    )

    @property
    def dtype(self) -> DType:
        """The element type (f32, f16 or bf16)."""
        return self.value.dtype.scalar


def _check_shape(fn: str, rows, cols, loc) -> None:
    if rows != 8 or cols != 8:
        raise TraceError(
            f"{fn}: Metal's simdgroup matrices are 8x8, not {rows}x{cols}",
            loc,
            hint="use rows=8, cols=8 and cover larger tiles with several 8x8 matrices",
        )


def _element(fn: str, t: DType, what: str, loc) -> DType:
    if t.lanes != 1 or t.name not in _ELEMENTS:
        raise TraceError(
            f"{fn}: simdgroup matrices hold float, half or bfloat, not `{t.name}` ({what})",
            loc,
            hint="keep matrix data in an f32, f16 or bf16 buffer",
        )
    return t


def _access(fn: str, trace, buf, elements_per_row, elem, origin, loc) -> list[IRValue]:
    """The buffer and uint offsets operands of a load or store."""
    if not isinstance(buf, Buffer):
        raise TraceError(
            f"{fn} needs a buffer (a kernel parameter or a threadgroup_alloc array), not {buf!r}",
            loc,
            hint=f"pass the buffer itself: enigma.{fn}(..., buf, elements_per_row, ...)",
        )
    try:
        col, row = origin
    except (TypeError, ValueError):
        raise TraceError(
            f"{fn}'s origin must be a pair (col, row), not {origin!r}", loc,
            hint="origin=(col, row), as Metal's ulong2 matrix_origin",
        ) from None  # fmt: skip
    offsets = [(elem, "elem"), (elements_per_row, "elements_per_row"), (col, "origin column"),
               (row, "origin row")]  # fmt: skip
    return [buf.ref] + [uint_operand(fn, trace, x, what, loc) for x, what in offsets]


def _matrix(fn: str, m, what: str, loc) -> IRValue:
    if not isinstance(m, SimdgroupMatrix):
        raise TraceError(
            f"{fn}'s {what} must be a simdgroup matrix, not {m!r}",
            loc,
            hint="make one with enigma.simdgroup_matrix_load or make_filled_simdgroup_matrix",
        )
    return m.value


def make_filled_simdgroup_matrix(dtype, value, rows: int = 8, cols: int = 8) -> SimdgroupMatrix:
    """An 8x8 matrix of `dtype` (f32, f16, bf16) with every element `value` (Metal
    `make_filled_simdgroup_matrix<T, 8, 8>(value)`).

    >>> acc = enigma.make_filled_simdgroup_matrix(enigma.f32, 0.0)
    """
    fn = "make_filled_simdgroup_matrix"
    loc = user_location()
    trace = current(fn)
    _check_shape(fn, rows, cols, loc)
    t = _element(fn, dt.dtype(dtype), "the dtype", loc)
    v = fill_value(fn, trace, value, t, loc)
    return SimdgroupMatrix(emit(trace, "simdgroup_matrix_fill", [v], _TYPES[t.name], {}, loc))


def fill_value(fn: str, trace, value, t: DType, loc) -> IRValue:
    """`value` (a scalar: traced, or a Python number) as a `t`, to fill a matrix with."""
    v = traced(value)
    if v is None:
        return value_of(trace, value, t, loc)
    if v.dtype.lanes != 1 or v.dtype.kind == "matrix":
        raise TraceError(f"{fn} fills with a scalar, not `{v.dtype.name}`", loc,
                         hint="pass a scalar value")  # fmt: skip
    return convert(trace, v, t, loc)


def simdgroup_matrix_load(
    buf, elements_per_row, elem=0, rows: int = 8, cols: int = 8, origin=(0, 0),
    transpose: bool = False,
) -> SimdgroupMatrix:  # fmt: skip
    """The 8x8 tile of `buf` at `origin=(col, row)`, `elem` elements into the buffer, of a
    row-major matrix with `elements_per_row` columns (Metal `simdgroup_load`); its
    transpose when `transpose`.

    >>> a = enigma.simdgroup_matrix_load(x, 64, origin=(k, row))
    """
    fn = "simdgroup_matrix_load"
    loc = user_location()
    trace = current(fn)
    _check_shape(fn, rows, cols, loc)
    operands = _access(fn, trace, buf, elements_per_row, elem, origin, loc)
    t = _element(fn, buf.dtype, f"the element type of `{buf.name}`", loc)
    attrs = {"transpose": bool(transpose)}
    return SimdgroupMatrix(emit(trace, "simdgroup_matrix_load", operands, _TYPES[t.name],
                                attrs, loc))  # fmt: skip


def simdgroup_matrix_store(
    m, buf, elements_per_row, elem=0, rows: int = 8, cols: int = 8, origin=(0, 0),
    transpose: bool = False,
) -> None:  # fmt: skip
    """Writes matrix `m` into the 8x8 tile of `buf` that `simdgroup_matrix_load` with the
    same arguments reads (Metal `simdgroup_store`).

    >>> enigma.simdgroup_matrix_store(acc, out, 64, origin=(col, row))
    """
    fn = "simdgroup_matrix_store"
    loc = user_location()
    trace = current(fn)
    _check_shape(fn, rows, cols, loc)
    v = _matrix(fn, m, "first argument", loc)
    operands = _access(fn, trace, buf, elements_per_row, elem, origin, loc)
    if buf.dtype is not v.dtype.scalar:
        raise TraceError(
            f"{fn}: a `{v.dtype.name}` is stored into a buffer of its element type, not"
            f" `{buf.dtype.name}` (`{buf.name}`)", loc,
            hint=f"store into a {v.dtype.scalar.short} buffer",
        )  # fmt: skip
    emit(trace, "simdgroup_matrix_store", [v] + operands, None,
         {"transpose": bool(transpose)}, loc)  # fmt: skip


def simdgroup_multiply_accumulate(a, b, c) -> SimdgroupMatrix:
    """The matrix product a * b plus c, all 8x8 (Metal `simdgroup_multiply_accumulate(d, a,
    b, c)`). a and b share an element type; c and the result have it too, or are float with
    half or bfloat a and b (the products sum in float).

    >>> acc = enigma.simdgroup_multiply_accumulate(a, b, acc)
    >>> acc32 = enigma.simdgroup_multiply_accumulate(a_bf16, b_bf16, acc32)
    """
    fn = "simdgroup_multiply_accumulate"
    loc = user_location()
    trace = current(fn)
    values = [_matrix(fn, m, what, loc) for m, what in ((a, "a"), (b, "b"), (c, "c"))]
    _check_mac_types(fn, *(v.dtype for v in values), loc)
    return SimdgroupMatrix(emit(trace, "simdgroup_multiply_accumulate", values,
                                values[2].dtype, {}, loc))  # fmt: skip


def _check_mac_types(fn: str, a: DType, b: DType, c: DType, loc) -> None:
    """Metal's overloads: a, b, c of one type, or half/bfloat a and b with a float c."""
    if a is not b:
        raise TraceError(
            f"{fn} multiplies a and b of one element type, not `{a.name}` and `{b.name}`",
            loc,
            hint="load a and b from buffers of one dtype (f32, f16 or bf16)",
        )
    if c is a or (c.scalar.name == "float" and a.scalar.name in ("half", "bfloat")):
        return
    raise TraceError(
        f"{fn} cannot accumulate `{a.name}` products into a `{c.name}` c: c has the type"
        " of a and b, or is float with half or bfloat a and b",
        loc,
        hint=f"accumulate into a float matrix (make_filled_simdgroup_matrix(enigma.f32, 0.0))"
        f" or a {a.name}",
    )


MATRIX_FUNCTIONS = (
    "make_filled_simdgroup_matrix", "simdgroup_matrix_load", "simdgroup_matrix_store",
    "simdgroup_multiply_accumulate",
)  # fmt: skip
