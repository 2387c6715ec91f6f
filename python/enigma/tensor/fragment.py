"""Element access, per-thread fragments, and whole-fragment loads and stores with vectors.

`make_fragment(layout, dtype)` is a Tensor over a per-thread register array
(`register_tensor`). `view.load()` copies a static-size view of a buffer into a new
fragment of the view's shape (compact column-major, CuTe's make_fragment_like);
`view.store(fragment_or_value)` writes one back. The view's base offset was computed
once, when it was sliced; element k sits at ``base + layout(k)``, a static constant
added to it.

Vectors: the elements' static offsets are sorted, and a run of 4 (or 2) consecutive
ones becomes one `vector_load`/`vector_store` (MSL ``*(device const float4*)(a + i)``)
when the address is provably aligned to the vector: the run's static start and the
divisor of the traced base (offset.py) are multiples of the width, the buffer's base
is aligned to 16 bytes (the runtime checks each device argument, see
runtime/arguments.py; the emitter declares threadgroup arrays `alignas(16)`), the
vector is at most 16 bytes, and the width is within the trace's limit
(`vector_width_limit`, set from ``enigma.compile(..., vec_width=)``). Everything else
is a scalar access, so a strided or misaligned fragment is never reinterpreted.
A swizzled view's runs are found as swizzled.py's `access_plan` proves them.

>>> frag = enigma.make_fragment((4,), enigma.f32)        # inside a kernel
>>> x = ta[None, tid].load()                             # a float4 load when contiguous
>>> tc[None, tid].store(x)
"""

from __future__ import annotations

import contextlib
import threading

from .. import dtypes as dt
from ..errors import EnigmaError
from ..language.core import convert, emit, traced, value_of
from ..language.memory import Buffer, assign_value
from ..language.registers import RegisterTensor, register_tensor
from ..language.tracing import current, user_location
from ..layout.layout import Layout, cosize
from ..layout.swizzle import ComposedLayout
from . import swizzled as swz
from .offset import Offset
from .tensor import Tensor, _error, _layout_arg

_MAX_VECTOR_BYTES = 16  # the alignment buffers are guaranteed (and checked) to have
_options = threading.local()


@contextlib.contextmanager
def vector_width_limit(width: int):
    """Within the block, fragment loads and stores use vectors of at most `width` lanes
    (0: the widest that applies, 4; 1: scalar accesses only).

    >>> with vector_width_limit(2):
    ...     kernel.trace()
    """
    if width not in (0, 1, 2, 4):
        raise EnigmaError(f"vec_width must be 0 (auto), 1, 2 or 4, not {width!r}")
    previous = getattr(_options, "width", 0)
    _options.width = width
    try:
        yield
    finally:
        _options.width = previous


def _width_limit() -> int:
    return getattr(_options, "width", 0) or 4


class ElementAccess:
    """Loads and stores single elements of a bound tensor at a given offset."""

    __slots__ = ("tensor",)

    def __init__(self, tensor: Tensor):
        self.tensor = tensor

    def _index(self, offset: Offset):
        t = self.tensor
        if isinstance(t.memory, RegisterTensor):
            if not offset.is_static:
                raise _error(
                    f"fragment `{t.name}` is indexed with a traced coordinate; register"
                    " elements need coordinates known at trace time",
                    "index fragments with Python ints (unroll with enigma.range_constexpr)",
                )
            if not 0 <= offset.static < t.memory.size:
                raise _error(
                    f"element {offset.static} is outside fragment `{t.name}` of"
                    f" {t.memory.size} registers",
                    "index the fragment within its layout",
                )
        return offset.index()

    def load_element(self, offset: Offset):
        return self.tensor.memory[self._index(offset)]

    def store_element(self, offset: Offset, value) -> None:
        self.tensor.memory[self._index(offset)] = value


def make_fragment(layout_or_shape, dtype) -> Tensor:
    """A per-thread register tensor of `layout_or_shape` (a Layout, or a shape made compact
    column-major), zero-filled. Elements are indexed with Python ints.

    >>> acc = enigma.make_fragment((2, 4), enigma.f32)
    >>> acc[1, 3] = acc[1, 3] + x
    """
    layout = _layout_arg(layout_or_shape)
    if isinstance(layout, ComposedLayout):
        raise _error(
            f"a fragment's layout is a plain Layout, not the swizzled {layout}",
            "swizzles arrange shared (threadgroup) memory: make_tensor(threadgroup_alloc(...),"
            " composed_layout); make the fragment with its shape",
        )
    t = Tensor("fragment", None, dtype, layout, 0, "thread")
    t.memory = register_tensor(cosize(layout), t.dtype, False if t.dtype.is_bool else 0)
    return t


def load_fragment(src: Tensor) -> Tensor:
    """`src.load()`: a fragment of src's shape holding its elements."""
    _check_bound(src, "load")
    frag = make_fragment(Layout(src.shape), src.dtype)
    loc = user_location()
    slots = [frag.layout(k) for k in range(src.size)]
    for address, width, ks in _runs(src):
        if width == 1:
            frag.memory[slots[ks[0]]] = ElementAccess(src).load_element(address)
            continue
        trace = current("Tensor.load")
        vt = dt.vector(src.dtype, width)
        index = value_of(trace, address.index(), dt.u32, loc)
        v = emit(trace, "vector_load", [src.memory.ref, index], vt, {}, loc)
        for lane, k in enumerate(ks):
            frag.memory[slots[k]] = emit(trace, "vector_extract", [v], src.dtype,
                                         {"lane": lane}, loc)  # fmt: skip
    return frag


def store_fragment(dst: Tensor, value) -> None:
    """`dst.store(value)`: a fragment (or any bound tensor) of the same size, element by
    element in index order, or one value stored into every element."""
    _check_bound(dst, "store")
    loc = user_location()
    trace = current("Tensor.store")
    what = f"an element of Tensor `{dst.name}`"
    if isinstance(value, Tensor):
        if value.size != dst.size:
            raise _error(
                f"cannot store a tensor of {value.size} elements ({value.layout}) into Tensor"
                f" `{dst.name}` of {dst.size} ({dst.layout})",
                "store a fragment of the view's size, e.g. the result of view.load()",
            )
        if not isinstance(value.memory, RegisterTensor):
            value = load_fragment(value)
        elements = [value[k] for k in range(value.size)]
        elements = [assign_value(trace, e, dst.dtype, loc, what) for e in elements]
    elif traced(value) is not None or not hasattr(value, "__len__"):
        one = assign_value(trace, value, dst.dtype, loc, what)
        elements = [one] * dst.size
    else:
        raise _error(
            f"Tensor.store takes a fragment or one value, not {type(value).__name__}",
            "store view.load() results, make_fragment tensors, or a single value",
        )
    for address, width, ks in _runs(dst):
        if width == 1:
            ElementAccess(dst).store_element(address, elements[ks[0]])
            continue
        vt = dt.vector(dst.dtype, width)
        parts = [elements[k] for k in ks]
        if all(p is parts[0] for p in parts):
            vec = convert(trace, parts[0], vt, loc)  # a splat
        else:
            vec = emit(trace, "vector_construct", parts, vt, {}, loc)
        index = value_of(trace, address.index(), dt.u32, loc)
        emit(trace, "vector_store", [dst.memory.ref, index, vec], None, {}, loc)


def _check_bound(t: Tensor, verb: str) -> None:
    if t.memory is None:
        t._access()  # raises the "not bound" error
    if isinstance(t.memory, RegisterTensor) and not t.offset.is_static:
        raise _error(
            f"fragment `{t.name}` has a traced offset and cannot {verb}",
            "slice fragments with Python ints only",
        )


def _plan(t: Tensor):
    """(offsets, width cap, aligned(w, start), address(start)) of a whole-view copy: element
    k's static offset, the widest vector the addressing allows, whether a run of width w
    starting at `start` is provably aligned, and the memory Offset of `start`."""
    if swz.is_swizzled(t.layout):
        return swz.access_plan(t)
    base = t.offset
    offsets = [t.layout(k) for k in range(t.size)]
    return offsets, 4, base.aligned, lambda s: base.plus(Offset(s))


def _runs(t: Tensor):
    """(memory Offset, width, element indices) for each access of a whole-view copy: runs of
    consecutive, aligned offsets as vectors, the rest one element each, in element order."""
    n = t.size
    offsets, cap, aligned, address = _plan(t)
    width_ok = tuple(w for w in _vector_widths(t) if w <= cap)
    by_offset = sorted(range(n), key=lambda k: (offsets[k], k))
    runs, pos = [], 0
    while pos < n:
        k0 = by_offset[pos]
        start = offsets[k0]
        for w in width_ok:
            ks = by_offset[pos : pos + w]
            if (
                len(ks) == w
                and all(offsets[k] == start + j for j, k in enumerate(ks))
                and aligned(w, start)
            ):
                runs.append((start, w, ks))
                pos += w
                break
        else:
            runs.append((start, 1, [k0]))
            pos += 1
    runs.sort(key=lambda r: min(r[2]))  # program order follows the elements' order
    return [(address(start), w, ks) for start, w, ks in runs]


def _vector_widths(t: Tensor) -> tuple:
    """The vector widths worth trying for `t`'s memory (a device buffer or a threadgroup
    array, both 16-byte aligned), widest first."""
    if not isinstance(t.memory, Buffer) or t.dtype.is_bool:
        return ()
    limit = _width_limit()
    return tuple(w for w in (4, 2) if w <= limit and w * t.dtype.itemsize <= _MAX_VECTOR_BYTES)
