"""SIMD-group async copies (Apple GPU family 9): tiles between device and threadgroup memory.

`async_copy_1d_d2t(dst, src, count)` starts copying `count` elements of device buffer `src`
into threadgroup array `dst` (`_t2d`: the other way) and returns an `AsyncCopyEvent`;
`async_copy_2d_d2t(dst, dst_elements_per_row, src, src_elements_per_row, cols, rows)` copies
a `cols` x `rows` tile between two row-major layouts. `dst_elem` / `src_elem` start the
tiles that many elements into the buffers. `async_copy_wait(e, ...)` returns once the copies
are complete; other SIMD-groups read the data after an `enigma.barrier()`. Like every
SIMD-group operation, all lanes of the SIMD-group make the same call.

In the MSL they are Metal's AIR intrinsics (`air.simdgroup_async_copy_2d`, a 1-D copy being
a one-row tile; see docs/kernel-language.md). On the cpu device they are plain copies,
complete when the call returns.

>>> e = enigma.async_copy_2d_d2t(tile, 8, a, 64, 8, 8, src_elem=row * 64 + col)
>>> enigma.async_copy_wait(e)
>>> enigma.barrier()
"""

from __future__ import annotations

from ..dtypes import DType
from ..errors import TraceError
from .core import IRValue, emit
from .memory import Buffer, uint_operand
from .tracing import current, user_location


class _EventType(DType):
    """The type of an async copy's event (`thread _simdgroup_event_t*` in the MSL)."""

    name = "simdgroup_event"
    short = "simdgroup_event"
    kind = "event"


_EVENT = _EventType()


class AsyncCopyEvent:
    """The handle of a started async copy: pass it to `enigma.async_copy_wait`."""

    __slots__ = ("value",)

    def __init__(self, value: IRValue):
        self.value = value

    def __repr__(self) -> str:
        return f"AsyncCopyEvent(%{self.value.value.id})"


def _buffers(fn: str, dst, src, to_threadgroup: bool, loc) -> None:
    want = ("threadgroup", "device") if to_threadgroup else ("device", "threadgroup")
    for buf, role, space in ((dst, "dst", want[0]), (src, "src", want[1])):
        if not isinstance(buf, Buffer) or buf.space != space:
            what = space if space == "threadgroup" else "device (a kernel parameter)"
            raise TraceError(
                f"{fn}'s {role} must be a {what} buffer, not {buf!r}",
                loc,
                hint="d2t copies device -> threadgroup, t2d threadgroup -> device:"
                f" enigma.{fn}(dst, src, ...)",
            )
    if dst.dtype is not src.dtype:
        raise TraceError(
            f"{fn} copies between buffers of one element type, not `{src.dtype.name}`"
            f" (`{src.name}`) into `{dst.dtype.name}` (`{dst.name}`)",
            loc,
            hint="allocate the threadgroup array with the device buffer's dtype",
        )


def _copy(fn, to_threadgroup, dst, dst_per_row, src, src_per_row, cols, rows, dst_elem,
          src_elem, loc) -> AsyncCopyEvent:  # fmt: skip
    trace = current(fn)
    _buffers(fn, dst, src, to_threadgroup, loc)
    sizes = [
        uint_operand(fn, trace, x, what, loc)
        for x, what in ((dst_elem, "dst_elem"), (dst_per_row, "dst_elements_per_row"),
                        (src_elem, "src_elem"), (src_per_row, "src_elements_per_row"),
                        (cols, "cols"), (rows, "rows"))
    ]  # fmt: skip
    operands = [dst.ref, sizes[0], sizes[1], src.ref, sizes[2], sizes[3], sizes[4], sizes[5]]
    return AsyncCopyEvent(emit(trace, "async_copy", operands, _EVENT, {}, loc))


def _make_1d(fn: str, to_threadgroup: bool, direction: str):
    def copy_1d(dst, src, count, dst_elem=0, src_elem=0) -> AsyncCopyEvent:
        loc = user_location()
        count = uint_operand(fn, current(fn), count, "count", loc)
        return _copy(fn, to_threadgroup, dst, count, src, count, count, 1, dst_elem, src_elem,
                     loc)  # fmt: skip

    copy_1d.__name__ = copy_1d.__qualname__ = fn
    copy_1d.__doc__ = (
        f"Starts copying `count` elements {direction}: dst[dst_elem + i] = src[src_elem + i].\n"
        f"Returns the event to wait for.\n\n>>> e = enigma.{fn}(dst, src, 64)"
    )
    return copy_1d


def _make_2d(fn: str, to_threadgroup: bool, direction: str):
    def copy_2d(dst, dst_elements_per_row, src, src_elements_per_row, cols, rows, dst_elem=0,
                src_elem=0) -> AsyncCopyEvent:  # fmt: skip
        loc = user_location()
        return _copy(fn, to_threadgroup, dst, dst_elements_per_row, src, src_elements_per_row,
                     cols, rows, dst_elem, src_elem, loc)  # fmt: skip

    copy_2d.__name__ = copy_2d.__qualname__ = fn
    copy_2d.__doc__ = (
        f"Starts copying a `cols` x `rows` tile {direction}: dst[dst_elem + r *"
        " dst_elements_per_row + c] = src[src_elem + r * src_elements_per_row + c].\n"
        f"Returns the event to wait for.\n\n>>> e = enigma.{fn}(dst, 8, src, 64, 8, 8)"
    )
    return copy_2d


async_copy_1d_d2t = _make_1d("async_copy_1d_d2t", True, "from device to threadgroup memory")
async_copy_1d_t2d = _make_1d("async_copy_1d_t2d", False, "from threadgroup to device memory")
async_copy_2d_d2t = _make_2d("async_copy_2d_d2t", True, "from device to threadgroup memory")
async_copy_2d_t2d = _make_2d("async_copy_2d_t2d", False, "from threadgroup to device memory")


def async_copy_wait(*events) -> None:
    """Returns once the async copies of `events` are complete (for this SIMD-group; other
    SIMD-groups see the data after a barrier).

    >>> enigma.async_copy_wait(e0, e1)
    """
    fn = "async_copy_wait"
    loc = user_location()
    trace = current(fn)
    if not events or not all(isinstance(e, AsyncCopyEvent) for e in events):
        raise TraceError(
            f"{fn} takes the events that async copies returned, not {events!r}",
            loc,
            hint="e = enigma.async_copy_1d_d2t(dst, src, n); enigma.async_copy_wait(e)",
        )
    emit(trace, "async_copy_wait", [e.value for e in events], None, {}, loc)


ASYNC_COPY_FUNCTIONS = (
    "async_copy_1d_d2t", "async_copy_1d_t2d", "async_copy_2d_d2t", "async_copy_2d_t2d",
    "async_copy_wait",
)  # fmt: skip
