"""Atomics on buffer elements (SPEC §4): Metal's `atomic_*_explicit` functions.

Each function takes a buffer (a kernel parameter or a `threadgroup_alloc`
array), an index and, for updates, a value converted to the element type as
a store would; the read-modify-writes return the element's old value. The
same functions are methods of buffers: ``counts.atomic_fetch_add(i, 1)``.

What Metal allows decides what is accepted: 32-bit integers (`int`, `uint`)
for every function; `float` on device buffers for load, store, exchange,
fetch_add and fetch_sub (Metal has no float atomics in threadgroup memory).
`order` is "relaxed" (the default), "acquire", "release" or "acq_rel"; loads
cannot release and stores cannot acquire, as in C++. MSL takes
memory_order_relaxed only, so the emitted MSL puts a fence before a releasing
atomic and after an acquiring one (docs/kernel-language.md).

>>> old = enigma.atomic_fetch_add(counter, 0, 1)      # inside an @enigma.kernel
>>> ok, seen = enigma.atomic_compare_exchange_weak(lock, 0, 0, 1, order="acquire")
"""

from __future__ import annotations

from .. import dtypes as dt
from ..errors import TraceError
from .core import IRValue, emit, emit_region_op
from .memory import Buffer, assign_value
from .tracing import current, user_location

MEMORY_ORDERS = ("relaxed", "acquire", "release", "acq_rel")
_FLOAT_OPS = ("atomic_load", "atomic_store", "atomic_exchange", "atomic_fetch_add",
              "atomic_fetch_sub")  # fmt: skip
_RMW = {"atomic_exchange": "exchange", "atomic_fetch_add": "add", "atomic_fetch_sub": "sub",
        "atomic_fetch_min": "min", "atomic_fetch_max": "max", "atomic_fetch_and": "and",
        "atomic_fetch_or": "or", "atomic_fetch_xor": "xor"}  # fmt: skip


def _check(fn: str, buf, order: str, loc, allowed=MEMORY_ORDERS) -> Buffer:
    """The buffer of an atomic, once its dtype, memory and order are ones Metal allows."""
    if not isinstance(buf, Buffer):
        raise TraceError(
            f"{fn} needs a buffer (a kernel parameter or a threadgroup_alloc array) as its"
            f" first argument, not {buf!r}",
            loc,
            hint=f"pass the buffer and an index: enigma.{fn}(buf, i, ...)",
        )
    t = buf.dtype
    if t not in (dt.i32, dt.u32, dt.f32):
        raise TraceError(
            f"{fn} on `{buf.name}`: Metal has atomics on int, uint and float, not `{t.name}`",
            loc,
            hint="keep the atomically updated data in an int, uint (or float) buffer",
        )
    if t is dt.f32 and fn not in _FLOAT_OPS:
        raise TraceError(
            f"{fn} on `{buf.name}`: Metal's float atomics are load, store, exchange,"
            " fetch_add and fetch_sub only",
            loc,
            hint="use an int or uint buffer (enigma.as_type converts float bits)",
        )
    if t is dt.f32 and buf.space == "threadgroup":
        raise TraceError(
            f"{fn} on `{buf.name}`: Metal has no float atomics in threadgroup memory",
            loc,
            hint="accumulate floats atomically in a device buffer, or in threadgroup memory"
            " with a barrier-separated reduction",
        )
    if order not in allowed:
        what = "unknown memory order" if order not in MEMORY_ORDERS else f"{fn} cannot take"
        raise TraceError(
            f"{what} {order!r}",
            loc,
            hint="use order=" + ", ".join(f'"{o}"' for o in allowed),
        )
    return buf


def atomic_load(buf, index, order: str = "relaxed") -> IRValue:
    """Atomically read `buf[index]` (order "relaxed" or "acquire").

    >>> ready = enigma.atomic_load(flags, 0, order="acquire")
    """
    loc = user_location()
    trace = current("atomic_load")
    buf = _check("atomic_load", buf, order, loc, ("relaxed", "acquire"))
    i = buf._index(trace, index, loc)
    return emit(trace, "atomic_load", [buf.ref, i], buf.dtype, {"order": order}, loc)


def atomic_store(buf, index, value, order: str = "relaxed") -> None:
    """Atomically write `value` to `buf[index]` (order "relaxed" or "release").

    >>> enigma.atomic_store(flags, 0, 1, order="release")
    """
    loc = user_location()
    trace = current("atomic_store")
    buf = _check("atomic_store", buf, order, loc, ("relaxed", "release"))
    i = buf._index(trace, index, loc)
    v = assign_value(trace, value, buf.dtype, loc, f"an element of `{buf.name}`")
    emit(trace, "atomic_store", [buf.ref, i, v], None, {"order": order}, loc)


def _read_modify_write(fn: str, kind: str):
    def rmw(buf, index, value, order: str = "relaxed") -> IRValue:
        loc = user_location()
        trace = current(fn)
        buf = _check(fn, buf, order, loc)
        i = buf._index(trace, index, loc)
        v = assign_value(trace, value, buf.dtype, loc, f"an element of `{buf.name}`")
        attrs = {"kind": kind, "order": order}
        return emit(trace, "atomic_rmw", [buf.ref, i, v], buf.dtype, attrs, loc)

    what = "replace it by `value`" if kind == "exchange" else f"combine it with `value` ({kind})"
    rmw.__name__ = rmw.__qualname__ = fn
    rmw.__doc__ = (
        f"Atomically {what} at `buf[index]`; returns the old value (Metal `{fn}_explicit`).\n\n"
        f">>> old = enigma.{fn}(buf, i, v)"
    )
    return rmw


atomic_exchange = _read_modify_write("atomic_exchange", "exchange")
atomic_fetch_add = _read_modify_write("atomic_fetch_add", "add")
atomic_fetch_sub = _read_modify_write("atomic_fetch_sub", "sub")
atomic_fetch_min = _read_modify_write("atomic_fetch_min", "min")
atomic_fetch_max = _read_modify_write("atomic_fetch_max", "max")
atomic_fetch_and = _read_modify_write("atomic_fetch_and", "and")
atomic_fetch_or = _read_modify_write("atomic_fetch_or", "or")
atomic_fetch_xor = _read_modify_write("atomic_fetch_xor", "xor")


def atomic_compare_exchange_weak(buf, index, expected, desired, order: str = "relaxed"):
    """If `buf[index] == expected`, set it to `desired`. Returns `(ok, old)`: whether it was
    set, and the value read. Weak: it may fail spuriously, so loop until `ok`.

    >>> ok, old = enigma.atomic_compare_exchange_weak(lock, 0, 0, 1, order="acquire")
    """
    fn = "atomic_compare_exchange_weak"
    loc = user_location()
    trace = current(fn)
    buf = _check(fn, buf, order, loc)
    i = buf._index(trace, index, loc)
    what = f"an element of `{buf.name}`"
    e = assign_value(trace, expected, buf.dtype, loc, what)
    d = assign_value(trace, desired, buf.dtype, loc, what)
    op, (old, ok) = emit_region_op(trace, fn, [buf.ref, i, e, d], [buf.dtype, dt.b1], 0, loc)
    op.attrs["order"] = order
    return ok, old


ATOMIC_FUNCTIONS = ("atomic_load", "atomic_store", *_RMW, "atomic_compare_exchange_weak")
__all__ = list(ATOMIC_FUNCTIONS)


def _install_methods() -> None:
    """`buf.atomic_fetch_add(i, v, order=...)` and the others, as methods of Buffer."""

    def method(fn):
        def call(self, *args, **kwargs):
            return fn(self, *args, **kwargs)

        call.__name__ = call.__qualname__ = fn.__name__
        call.__doc__ = fn.__doc__
        return call

    for name in ATOMIC_FUNCTIONS:
        setattr(Buffer, name, method(globals()[name]))


_install_methods()
