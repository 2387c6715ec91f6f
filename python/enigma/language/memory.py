"""Memory in kernels: device buffers, threadgroup memory, loads, stores and barriers.

A `Buffer` stands for a buffer parameter or a `threadgroup_alloc` result inside a
trace: ``a[i]`` emits a `load`, ``a[i] = v`` a `store` whose value is first
converted to the element type by MSL's assignment rules (explicit `cast` ops).
Threadgroup allocations are hoisted to the top of the kernel whatever the
nesting where they are made, as Metal declares them at kernel scope.
"""

from __future__ import annotations

from .. import dtypes as dt
from .. import ir
from ..dtypes import DType
from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, constant, convert, emit, resolve_dtype, traced, value_of
from .tracing import current, user_location

MEM_FLAGS = ("mem_none", "mem_device", "mem_threadgroup", "mem_device_and_threadgroup",
             "mem_texture")  # fmt: skip
THREADGROUP_MEMORY_LIMIT = 32 * 1024  # bytes of threadgroup memory a Metal kernel may use


class Buffer:
    """A device buffer parameter or a threadgroup array: index it to load and store.

    >>> @enigma.kernel
    ... def copy(src: enigma.f32, dst: enigma.f32):
    ...     i = enigma.thread_position_in_grid
    ...     dst[i] = src[i]
    """

    __slots__ = ("ref", "name", "dtype", "space", "size")
    __array_ufunc__ = None

    def __init__(self, ref: IRValue, name: str, dtype: DType, space: str, size: int | None):
        self.ref = ref  # the value standing for the buffer (the `buffer` operand of load/store)
        self.name = name
        self.dtype = dtype
        self.space = space
        self.size = size

    def __repr__(self) -> str:
        size = f"[{self.size}]" if self.size is not None else "*"
        return f"<{self.space} {self.dtype.name}{size} `{self.name}`>"

    def __getitem__(self, index) -> IRValue:
        loc = user_location()
        trace = current(f"{self.name}[...]")
        i = self._index(trace, index, loc)
        return emit(trace, "load", [self.ref, i], self.dtype, {}, loc)

    def __setitem__(self, index, value) -> None:
        loc = user_location()
        trace = current(f"{self.name}[...] = ...")
        i = self._index(trace, index, loc)
        v = assign_value(trace, value, self.dtype, loc, f"an element of `{self.name}`")
        emit(trace, "store", [self.ref, i, v], None, {}, loc)

    def _index(self, trace, index, loc) -> IRValue:
        i = traced(index)
        if i is not None:
            if i.dtype.lanes > 1 or not i.dtype.is_int:
                raise TraceError(
                    f"`{self.name}[...]` needs an integer index, not a `{i.dtype.name}` value",
                    loc,
                    hint="convert it: enigma.metal_cast(i, enigma.u32)",
                )
            return i
        if cv.literal_kind(index) != "int":
            raise TraceError(
                f"`{self.name}[...]` needs an integer index, not {index!r}",
                loc,
                hint="index with a traced integer or a Python int; slices are not supported",
            )
        index = int(index)
        if index < 0 or (self.size is not None and index >= self.size):
            bound = f" of {self.size} elements" if self.size is not None else ""
            raise TraceError(f"index {index} is out of bounds of `{self.name}`{bound}", loc)
        return constant(trace, index, dt.i32 if index < 2**31 else dt.i64, loc)

    def __enigma_value__(self):
        raise TraceError(
            f"`{self.name}` is a buffer, not a value",
            user_location(),
            hint=f"read an element: {self.name}[i]",
        )


def install_value_errors(cls) -> None:
    """Using an array (`cls`: a buffer, a register tensor) as a value (a + 1, if a:, for x in
    a:) raises its __enigma_value__ EnigmaError, not a TypeError."""

    def refuse(self, *args):
        self.__enigma_value__()

    names = (
        "bool iter neg abs invert lt le gt ge add radd sub rsub mul rmul truediv rtruediv"
        " floordiv rfloordiv mod rmod pow rpow and rand or ror xor rxor lshift rlshift rshift"
        " rrshift"
    ).split()
    for name in names:
        setattr(cls, f"__{name}__", refuse)


install_value_errors(Buffer)


def assign_value(trace, value, t: DType, loc, what: str, strict: bool = False) -> IRValue:
    """`value` converted to `t` as an assignment to `what` (a store, or a carried value when
    `strict`, see conversions.check_assign); literals become constants of `t`."""
    try:
        v = traced(value)
        if v is None:
            return constant(
                trace, cv.literal_value(value, t.scalar, f"the value `{value!r}`"), t, loc
            )
        cv.check_assign(v.dtype, t, strict, what)
    except cv.ConversionError as e:
        raise TraceError(e.message, loc, e.hint or None) from None
    return convert(trace, v, t, loc)


def uint_operand(fn: str, trace, x, what: str, loc) -> IRValue:
    """A count or element offset of a memory op (async copy, matrix load) as a `uint`."""
    v = traced(x)
    if v is None:
        if cv.literal_kind(x) != "int" or not 0 <= int(x) < 2**32:
            raise TraceError(
                f"{fn}'s {what} must be a non-negative integer, not {x!r}",
                loc,
                hint="pass a Python int or a traced integer",
            )
        return value_of(trace, int(x), dt.u32, loc)
    if v.dtype.lanes != 1 or not v.dtype.is_int:
        raise TraceError(
            f"{fn}'s {what} must be a scalar integer, not `{v.dtype.name}`",
            loc,
            hint="convert it: enigma.metal_cast(i, enigma.u32)",
        )
    return convert(trace, v, dt.u32, loc)


def threadgroup_alloc(dtype, size: int) -> Buffer:
    """Threadgroup memory shared by the threads of a threadgroup, indexable like a buffer.

    Declared at kernel scope whatever the nesting of the call (as Metal requires).

    >>> tile = enigma.threadgroup_alloc(enigma.f32, 256)
    >>> tile[enigma.thread_index_in_threadgroup()] = a[i]
    >>> enigma.barrier()
    """
    loc = user_location()
    trace = current("threadgroup_alloc")
    t = resolve_dtype(dtype, "threadgroup_alloc dtype", loc)
    if cv.literal_kind(size) != "int" or int(size) <= 0:
        raise TraceError(
            f"threadgroup_alloc size must be a positive Python int known at trace time, not"
            f" {size!r}",
            loc,
            hint="threadgroup memory has a fixed size; allocate the largest size you need",
        )
    size = int(size)
    trace.alloc_bytes += size * t.itemsize
    if trace.alloc_bytes > THREADGROUP_MEMORY_LIMIT:
        raise TraceError(
            f"threadgroup memory of kernel `{trace.name}` reaches {trace.alloc_bytes} bytes, over"
            f" Metal's limit of {THREADGROUP_MEMORY_LIMIT}",
            loc,
            hint="allocate fewer or smaller threadgroup arrays",
        )
    type_name = f"threadgroup {t.name}[{size}]"
    name = f"tg{len(trace.alloc_ops)}"
    ref = _hoisted(trace, "threadgroup_alloc", type_name, {"dtype": t.name, "size": size}, loc)
    return Buffer(ref, name, t, "threadgroup", size)


def buffer_ref(trace, type_name: str, loc) -> IRValue:
    """The value standing for a buffer: kernel-scoped, typed only by its Metal type name
    (``device float*``, ``threadgroup float[256]``), never usable in arithmetic."""
    return IRValue(ir.Value(trace.new_id(), type_name), None, trace.root, loc)


def _hoisted(trace, op: str, type_name: str, attrs: dict, loc) -> IRValue:
    """An op placed at kernel scope (after the builtins), whatever the current scope."""
    ref = buffer_ref(trace, type_name, loc)
    trace.alloc_ops.append(ir.Op(op, [], [ref.value], attrs, [], loc))
    return ref


def _check_flags(mem_flags: str, loc) -> str:
    if mem_flags not in MEM_FLAGS:
        raise TraceError(
            f"unknown memory flags {mem_flags!r}",
            loc,
            hint="use one of " + ", ".join(f'"{f}"' for f in MEM_FLAGS),
        )
    return mem_flags


def barrier(mem_flags: str = "mem_threadgroup") -> None:
    """Wait for every thread of the threadgroup (Metal `threadgroup_barrier`).

    `mem_flags` orders memory accesses: "mem_none", "mem_device", "mem_threadgroup",
    "mem_device_and_threadgroup" or "mem_texture".

    >>> enigma.barrier()  # threadgroup memory written before is visible after
    """
    loc = user_location()
    trace = current("barrier")
    attrs = {"scope": "threadgroup", "flags": _check_flags(mem_flags, loc)}
    emit(trace, "barrier", [], None, attrs, loc)


def simd_barrier(mem_flags: str = "mem_threadgroup") -> None:
    """Wait for every thread of the SIMD-group (Metal `simdgroup_barrier`); flags as `barrier`.

    >>> enigma.simd_barrier("mem_none")
    """
    loc = user_location()
    trace = current("simd_barrier")
    attrs = {"scope": "simdgroup", "flags": _check_flags(mem_flags, loc)}
    emit(trace, "barrier", [], None, attrs, loc)
