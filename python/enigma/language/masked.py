"""Masked memory access: `load_if` and `store_if` touch memory only where a mask holds.

A masked-off lane must not access memory at all (its index may be far out of
range, e.g. the tail of a tile), so these are real branches, not selects: each
is an `if` op around the load or store, which MSL prints as
`if (mask) { v = buf[i]; } else { v = default; }`. The value stored and the
default follow the assignment rules of stores (conversions.check_assign); the
index rules are those of `buf[i]`. A Python bool mask is known at trace time
and needs no branch.

>>> x = enigma.load_if(a, i, i < n, default=0.0)    # inside an @enigma.kernel body
>>> enigma.store_if(out, i, x * 2, i < n)
"""

from __future__ import annotations

from .. import dtypes as dt
from ..errors import TraceError
from . import conversions as cv
from .control_flow import if_
from .core import IRValue, emit, traced
from .memory import Buffer, assign_value
from .tracing import current, user_location


def _check_buffer(buf, construct: str, loc) -> Buffer:
    if not isinstance(buf, Buffer):
        raise TraceError(
            f"{construct} needs a device buffer or a threadgroup_alloc array, not {_describe(buf)}",
            loc,
            hint="pass a buffer parameter of the kernel or an enigma.threadgroup_alloc(...)"
            " result; register tensors are indexed by Python ints, so mask with enigma.where",
        )
    return buf


def _describe(x) -> str:
    if isinstance(x, IRValue):
        return f"a `{x.dtype.name}` value"
    return f"{x!r} (a {type(x).__name__})"


def _mask(mask, construct: str, loc) -> IRValue | bool:
    """A traced scalar bool, or a Python bool known at trace time."""
    if cv.literal_kind(mask) == "bool":
        return bool(mask)
    v = traced(mask)
    if v is None or v.dtype is not dt.b1:
        raise TraceError(
            f"the mask of {construct} must be a bool, not"
            f" {_describe(v if v is not None else mask)}",
            loc,
            hint="build it with a comparison, e.g. i < n (combine masks with & and |)",
        )
    return v


def load_if(buf, i, mask, default=0) -> IRValue:
    """`buf[i]` where `mask` holds, else `default` (converted to the element type; the default
    0 is False for a bool buffer); no memory is accessed where the mask is false.

    >>> x = enigma.load_if(a, i, i < n)              # 0 past the end of a
    >>> y = enigma.load_if(tile, j, j < 16, default=-1.0)
    """
    loc = user_location()
    trace = current("load_if")
    buf = _check_buffer(buf, "load_if", loc)
    m = _mask(mask, "load_if", loc)
    if buf.dtype.is_bool and cv.literal_kind(default) == "int" and default == 0:
        default = False  # MSL's `bool b = 0;`
    fallback = assign_value(trace, default, buf.dtype, loc, "the default of load_if")
    index = buf._index(trace, i, loc)
    if m is False:
        return fallback
    if m is True:
        return emit(trace, "load", [buf.ref, index], buf.dtype, {}, loc)
    with if_(m, init=[fallback]) as result:
        result[0] = emit(trace, "load", [buf.ref, index], buf.dtype, {}, loc)
    return result[0]


def store_if(buf, i, v, mask) -> None:
    """`buf[i] = v` where `mask` holds; nothing is written (nor accessed) elsewhere.

    >>> enigma.store_if(out, i, acc, i < n)
    """
    loc = user_location()
    trace = current("store_if")
    buf = _check_buffer(buf, "store_if", loc)
    m = _mask(mask, "store_if", loc)
    value = assign_value(trace, v, buf.dtype, loc, f"an element of `{buf.name}`")
    index = buf._index(trace, i, loc)
    if m is False:
        return
    if m is True:
        emit(trace, "store", [buf.ref, index, value], None, {}, loc)
        return
    with if_(m):
        emit(trace, "store", [buf.ref, index, value], None, {}, loc)
