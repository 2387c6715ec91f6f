"""`register_tensor`: a small per-thread array, indexed by Python ints.

Each thread gets its own array in Metal's `thread` address space (MSL
`float v3[16];`, in the scope where it is created), filled with `fill`.
Multi-dimensional shapes are stored flattened in row-major order; `r[i, j]`
reads element i * cols + j. Indices are Python ints checked at trace time, so
every access is a fixed element, which Metal keeps in registers. Being memory,
elements written inside a loop keep their values across iterations without
being carried.

Traced-IR: `register_alloc` (attrs `dtype`, `size`; result type
`thread float[16]`), then `store`s of the fill value; MLIR: `memref.alloca` in
`#enigma.address_space<thread>` with an `enigma.dtype` attribute.

>>> acc = enigma.register_tensor((2, 2), enigma.f32, 0.0)   # inside an @enigma.kernel
>>> acc[1, 0] = acc[1, 0] + a[i]
"""

from __future__ import annotations

import math

from .. import ir
from ..dtypes import DType
from ..errors import TraceError
from . import conversions as cv
from .control_flow import for_range
from .core import IRValue, constant, emit, raise_branch_body, resolve_dtype
from .memory import assign_value, install_value_errors
from .tracing import current, user_location

# Metal keeps per-thread arrays in registers only while they are small (larger ones spill
# to slow memory); the cpu device runs each GPU thread on a 256 KiB fiber stack.
REGISTER_TENSOR_BYTES = 16 * 1024


class RegisterTensor:
    """A per-thread array: `r[k]` / `r[i, j]` read an element, `r[k] = v` writes one.

    Attributes: `shape` (tuple of ints), `dtype`, `size` (number of elements).
    """

    __slots__ = ("ref", "shape", "dtype", "size")
    __array_ufunc__ = None

    def __init__(self, ref: IRValue, shape: tuple, dtype: DType):
        self.ref = ref
        self.shape = shape
        self.dtype = dtype
        self.size = math.prod(shape)

    def __repr__(self) -> str:
        return f"<register_tensor {self.dtype.name}{list(self.shape)}>"

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index) -> IRValue:
        loc = user_location()
        trace = current("register_tensor[...]")
        k = self._flat_index(trace, index, loc)
        return emit(trace, "load", [self.ref, k], self.dtype, {}, loc)

    def __setitem__(self, index, value) -> None:
        loc = user_location()
        trace = current("register_tensor[...] = ...")
        k = self._flat_index(trace, index, loc)
        v = assign_value(trace, value, self.dtype, loc, "an element of a register tensor")
        emit(trace, "store", [self.ref, k, v], None, {}, loc)

    def _flat_index(self, trace, index, loc) -> IRValue:
        """The row-major element number of `index` (an int, or a tuple of one int per dim)."""
        if self.ref.scope.closed:
            raise TraceError(
                f"this register tensor was created inside the {self.ref.scope.what} at line"
                f" {self.ref.loc.line} and cannot be used after it",
                loc,
                hint="create it before the loop or branch",
            )
        coords = index if isinstance(index, tuple) else (index,)
        if len(coords) != len(self.shape) or any(cv.literal_kind(c) != "int" for c in coords):
            raise TraceError(
                f"a register tensor of shape {self.shape} is indexed by {len(self.shape)} Python"
                f" int(s), not {index!r}",
                loc,
                hint="index with ints known at trace time (unroll loops with"
                " enigma.range_constexpr); for a computed index use threadgroup memory",
            )
        flat = 0
        for c, n in zip(coords, self.shape, strict=True):
            if not 0 <= int(c) < n:
                raise TraceError(
                    f"index {index!r} is out of bounds of the register tensor of shape"
                    f" {self.shape}",
                    loc,
                    hint=f"each index runs from 0 to its dimension - 1 (shape {self.shape})",
                )
            flat = flat * n + int(c)
        return constant(trace, flat, cv.default_literal_type(flat), loc)

    def __enigma_value__(self):
        raise TraceError(
            "a register tensor is an array, not a value",
            user_location(),
            hint="read an element: r[k]",
        )


install_value_errors(RegisterTensor)


def _shape(shape, loc) -> tuple:
    dims = shape if isinstance(shape, (tuple, list)) else (shape,)
    if not dims or any(cv.literal_kind(d) != "int" or int(d) <= 0 for d in dims):
        raise TraceError(
            f"register_tensor shape must be a positive Python int or a tuple of them, not"
            f" {shape!r}",
            loc,
            hint="the size of a per-thread array is fixed when the kernel is traced",
        )
    return tuple(int(d) for d in dims)


def register_tensor(shape, dtype, fill=0) -> RegisterTensor:
    """A per-thread array of `shape` elements of `dtype`, every element set to `fill`.

    >>> r = enigma.register_tensor(4, enigma.f32, 0.0)
    >>> for k in enigma.range_constexpr(4):
    ...     r[k] = a[i * 4 + k]
    """
    loc = user_location()
    trace = current("register_tensor")
    dims = _shape(shape, loc)
    t = resolve_dtype(dtype, "register_tensor dtype", loc)
    size = math.prod(dims)
    if size * t.itemsize > REGISTER_TENSOR_BYTES:
        raise TraceError(
            f"a register tensor of shape {dims} of `{t.name}` takes {size * t.itemsize} bytes per"
            f" thread, over the {REGISTER_TENSOR_BYTES} bytes Enigma allows",
            loc,
            hint="keep per-thread arrays small; share larger data in enigma.threadgroup_alloc",
        )
    value = assign_value(trace, fill, t, loc, "the fill value of register_tensor")
    scope = trace.scope
    if scope.ops is None:
        raise_branch_body(scope, loc)
    ref = IRValue(ir.Value(trace.new_id(), f"thread {t.name}[{size}]"), None, scope, loc)
    scope.ops.append(
        ir.Op("register_alloc", [], [ref.value], {"dtype": t.name, "size": size}, [], loc)
    )
    tensor = RegisterTensor(ref, dims, t)
    if size == 1:
        emit(trace, "store", [ref, constant(trace, 0, cv.default_literal_type(0), loc), value],
             None, {}, loc)  # fmt: skip
    else:
        with for_range(0, size) as k:
            emit(trace, "store", [ref, k, value], None, {}, loc)
    return tensor
