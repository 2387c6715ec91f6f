"""Identity (coordinate) tensors: CuTe's predication of partial tiles.

`make_identity_tensor(shape)` is a tensor whose element at coordinate c *is* c: its layout is
`make_identity_layout(shape)` (basis strides, layout/basis.py) and it has no memory. It is
divided, tiled, sliced and partitioned exactly like the data tensor of that shape
(`tensor_zipped_divide`, `local_tile`, `local_partition`, `tensor_composition`,
``t[None, j]``), so after the same steps each element of a thread's view of the data has,
at the same index, its coordinate in the whole tensor. A kernel compares it with the shape
(`elem_less`) to mask the elements of a partial tile that lie past the tensor's end:

>>> c_thr = enigma.local_partition(enigma.local_tile(enigma.make_identity_tensor((m, n)),
...                                tile, (bx, by)), thr_layout, tid)
>>> pred = enigma.make_fragment(c_thr.shape, enigma.b1)
>>> for i in enigma.range_constexpr(pred.size):
...     pred[i] = enigma.elem_less(c_thr[i], (m, n))
>>> enigma.copy(a_thr, frag, mask=pred)

Coordinates are tuples of Python ints and traced integers: a view's origin (the coordinate
of its element 0, where slicing with traced block or thread indices put its traced part,
computed once per view) plus a static coordinate per element. `load()` returns the view
itself: its elements are computed, not read. On the host an identity tensor is a hashable
value, so a jit function can divide it and pass it to a kernel as a Constexpr.
"""

from __future__ import annotations

from ..errors import EnigmaError
from ..language import conversions as cv
from ..language.core import traced
from ..language.tracing import user_location
from ..layout import int_tuple as it
from ..layout.basis import E
from ..layout.layout import Layout, make_identity_layout, slice_and_offset
from .described import LayoutDescribed


class CoordTensor(LayoutDescribed):
    """A view of the coordinates of a tensor of some shape (see the module docstring).

    Attributes: `layout` (basis strides), `offset` (the coordinate of element 0: 0 or a
    tuple of ints and traced integers), `shape`, `size`.
    """

    __slots__ = ("layout", "offset")
    __array_ufunc__ = None

    def __init__(self, layout: Layout, offset=0):
        self.layout = layout
        self.offset = offset

    def view(self, layout, offset, pre=None) -> CoordTensor:
        """The coordinates through another (sliced, divided, composed) identity layout."""
        if not isinstance(layout, Layout):
            raise _error(
                f"an identity tensor's view must have a Layout, not {layout!r}",
                "divide and slice identity tensors with plain tilers and layouts",
            )
        return CoordTensor(layout, offset)

    def __getitem__(self, coord):
        """`c[crd]`: the coordinate (a tuple) of the element at `crd` (or an index); with
        `None` leaves, the view of the modes they keep, as for a data Tensor."""
        from .tensor import _has_none, _normalize

        coord = _normalize(coord, self.layout.shape, "identity tensor")
        if _has_none(coord):
            layout, part = slice_and_offset(coord, self.layout)
            return CoordTensor(layout, it.add_offsets(self.offset, part))
        return it.add_offsets(self.offset, self.layout(coord))

    def load(self) -> CoordTensor:
        """The coordinates as a "fragment": the view itself (its elements are computed)."""
        return self

    def _key(self):
        return (self.layout, _freeze(self.offset))

    def __eq__(self, other):
        return isinstance(other, CoordTensor) and self._key() == other._key()

    def __hash__(self):
        return hash(("CoordTensor", self._key()))

    def __repr__(self) -> str:
        return f"CoordTensor({self.layout}, origin {self.offset!r})"

    def __enigma_value__(self):
        raise _error(
            "an identity tensor is a view of coordinates, not a value",
            "read one element's coordinate (c[i]) and compare it: enigma.elem_less(c[i], shape)",
        )


def make_identity_tensor(shape) -> CoordTensor:
    """The tensor of shape `shape` whose element at coordinate c is c (CuTe's
    make_identity_tensor), for predicating partial tiles (see the module docstring).

    >>> enigma.make_identity_tensor((4, 8))[5]
    (1, 1)
    """
    try:
        return CoordTensor(make_identity_layout(shape))
    except EnigmaError as e:
        raise _error(e.message, e.hint) from None


def is_identity_layout(layout) -> bool:
    """Whether `layout` has basis (coordinate) strides."""
    return isinstance(layout, Layout) and any(isinstance(d, E) for d in it.flatten(layout.stride))


def elem_less(coord, shape):
    """Whether `coord` is below `shape` in every mode (CuTe elem_less): a Python bool when
    everything is static (so a static test folds away), else a traced bool. Both are ints
    or (nested) tuples of the same number of leaves; leaves may be traced integers.

    >>> pred[i] = enigma.elem_less(c_thr[i], (m, n))
    """
    xs = it.flatten(coord) if isinstance(coord, tuple) else (coord,)
    bounds = it.flatten(shape) if isinstance(shape, tuple) else (shape,)
    if len(xs) != len(bounds):
        raise _error(
            f"elem_less: the coordinate {coord!r} has {len(xs)} modes and the shape {shape!r}"
            f" {len(bounds)}",
            "compare a coordinate of an identity tensor with the shape it was made for",
        )
    result = True
    for x, bound in zip(xs, bounds, strict=True):
        ok = x < bound
        if traced(ok) is None and cv.literal_kind(ok) == "bool":  # both static
            if not ok:
                return False
            continue
        result = ok if result is True else result & ok
    return result


def _freeze(offset):
    if isinstance(offset, tuple):
        return tuple(_freeze(o) for o in offset)
    return offset if traced(offset) is None else ("traced", id(offset))


def _error(message: str, hint: str | None = None) -> EnigmaError:
    return EnigmaError(message, user_location(), hint=hint)
