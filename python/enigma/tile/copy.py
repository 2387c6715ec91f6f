"""`copy`: a thread moves its partition of a tile between memories, optionally under a mask.

`copy(src, dst)` copies element k of view `src` to element k of view `dst` (index
order; the views have the same number of elements, e.g. one thread's partitions of a
device tile and of a threadgroup tile). Each side is a device buffer view, a
threadgroup view or a per-thread fragment. Without a mask, the copy is a whole
fragment load and store (tensor/fragment.py), so contiguous, aligned runs of device
memory move as `float4`/`float2` vectors and everything else element by element.

With `mask`, only the elements whose predicate holds are read and written: each is a
branch around its load and store (MSL `if (p) { dst[j] = src[i]; }`), so a masked-off
element is never accessed, however far out of range its address is; its destination
keeps its value. `mask` is a bool Tensor of the same size (a predicate fragment), or a
function of an element's coordinate in `src` (congruent to `src.shape`) returning a
bool: typically the element's coordinate in the whole tensor compared with its shape.

`in_bounds(coords, shape)` builds such a function the CuTe way: `coords` is the
identity tensor of the whole tensor (`enigma.make_identity_tensor(shape)`, or its
identity layout) divided and sliced exactly as the data view was, so it maps an element
of `src` to its coordinate in the whole tensor, which `enigma.elem_less` compares with
`shape` in every mode.

>>> enigma.copy(gA_thr, sA_thr)                                    # vectorized
>>> enigma.copy(g_thr, frag, mask=lambda c: row0 + c[0] < m)       # bounds-checked
>>> enigma.copy(g_thr, frag, mask=enigma.tile.in_bounds(c_thr, (m, n)))   # c_thr: coordinates
"""

from __future__ import annotations

from .. import dtypes as dt
from ..errors import TraceError
from ..language import conversions as cv
from ..language.control_flow import if_
from ..language.core import traced
from ..language.tracing import current, user_location
from ..layout import int_tuple as it
from ..layout.layout import Layout
from ..tensor.identity import CoordTensor, elem_less
from ..tensor.tensor import Tensor
from .views import bound_tensor, element_index

__all__ = ["copy", "in_bounds"]


def copy(src, dst, mask=None) -> None:
    """Copies the elements of view `src` into view `dst` (same element count), element k
    to element k; with `mask`, only where it holds (see the module docstring).

    >>> enigma.copy(tAgA, tAsA)
    >>> enigma.copy(tAgA, tAsA, mask=pred)               # pred: a bool fragment
    """
    fn = "copy"
    loc = user_location()
    current(fn)
    src = bound_tensor(fn, "src", src, loc)
    dst = bound_tensor(fn, "dst", dst, loc)
    if src.size != dst.size:
        raise TraceError(
            f"copy: src has {src.size} elements ({src.layout}) and dst {dst.size}"
            f" ({dst.layout}); they must have as many",
            loc,
            hint="partition both tiles with the same thread layout (local_partition) or slice"
            " them to matching views",
        )
    if mask is None:
        dst.store(src)
        return
    predicates = _predicates(mask, src, loc)
    for k, p in enumerate(predicates):
        if p is False:
            continue
        if p is True:
            _move(src, dst, k)
            continue
        with if_(p):
            _move(src, dst, k)


def _move(src: Tensor, dst: Tensor, k: int) -> None:
    dst.memory[element_index(dst, k)] = src.memory[element_index(src, k)]


def _predicates(mask, src: Tensor, loc) -> list:
    """One predicate per element of `src`: a traced bool or a Python bool."""
    if isinstance(mask, Tensor):
        m = bound_tensor("copy", "mask", mask, loc)
        if m.size != src.size or m.dtype is not dt.b1:
            raise TraceError(
                f"copy: a mask Tensor must hold {src.size} bools (one per element), not"
                f" {m.size} {m.dtype.name} elements",
                loc,
                hint="make it with enigma.make_fragment(src.shape, enigma.b1) and fill it with"
                " comparisons",
            )
        return [m.memory[element_index(m, k)] for k in range(src.size)]
    if not callable(mask):
        raise TraceError(
            f"copy: mask must be a bool Tensor or a function of a coordinate, not {mask!r}",
            loc,
            hint="e.g. mask=lambda c: row0 + c[0] < m",
        )
    shape = src.shape
    predicates = []
    for k in range(src.size):
        p = mask(it.idx2crd(k, shape))
        v = traced(p)
        if v is None and cv.literal_kind(p) == "bool":
            predicates.append(bool(p))
            continue
        if v is None or v.dtype is not dt.b1:
            raise TraceError(
                f"copy: the mask function must return a bool, not {p!r} (for coordinate"
                f" {it.idx2crd(k, shape)!r})",
                loc,
                hint="compare, e.g. lambda c: row0 + c[0] < m (combine conditions with &)",
            )
        predicates.append(v)
    return predicates


def in_bounds(coords, shape):
    """A mask for `copy`: the element at coordinate c of the view is in bounds when the
    coordinate `coords` gives it (in the whole tensor) is below `shape` in every mode
    (`enigma.elem_less`).

    `coords` is an identity tensor view (`enigma.make_identity_tensor(shape)` divided and
    sliced like the data view), or a Layout whose strides are coordinates (an identity
    layout sliced like the data view), or a tuple of that layout and the origins that
    slicing it returned (the second results of `enigma.slice_and_offset`), which are added
    to its coordinates. `shape` has Python ints or traced integers. Static comparisons
    fold away.

    >>> c_thr = enigma.local_partition(enigma.local_tile(ids_tensor, tile, bid), thr, tid)
    >>> enigma.copy(g_thr, frag, mask=enigma.tile.in_bounds(c_thr, (m, n)))
    >>> ids = enigma.zipped_divide(enigma.make_identity_layout((m, n)), (16, 16))
    >>> c_blk = enigma.slice_and_offset(((None, None), bid), ids)   # (layout, origin)
    >>> enigma.copy(g_blk, s_blk, mask=enigma.tile.in_bounds(c_blk, (m, n)))
    """
    loc = user_location()
    if isinstance(coords, CoordTensor):
        return lambda c: elem_less(coords[c], shape)
    layout, *origins = coords if isinstance(coords, tuple) else (coords,)
    if not isinstance(layout, Layout):
        raise TraceError(
            f"in_bounds takes an identity layout (and the origins of its slices), not {coords!r}",
            loc,
            hint="slice enigma.make_identity_layout(shape) the way the data view was sliced",
        )
    origin = 0
    for o in origins:
        origin = it.add_offsets(origin, o)
    return lambda c: elem_less(it.add_offsets(origin, layout(c)), shape)
