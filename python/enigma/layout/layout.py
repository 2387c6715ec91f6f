"""`Layout`: a (shape, stride) pair of hierarchical int tuples, a function from coordinates to
offsets (CuTe semantics), with its constructors, queries and mode manipulations.

A layout is called on an index (split column-major over the modes, the last mode unbounded),
a flat or nested coordinate, or a coordinate with `None` leaves, which slices: the result is
the layout of the `None` modes (use `slice_and_offset` to also get the fixed modes' offset).
Coordinates may be traced kernel values; shapes and strides are static ints. The algebra
(composition, divides, products...) lives in algebra.py and tiling.py.

>>> l = Layout((4, 8), (1, 4))
>>> l, l(1, 2), l(9), l[1], l(None, 2)
((4,8):(1,4), 9, 9, 8:4, 4:1)
"""

from __future__ import annotations

import numbers

from . import int_tuple as it
from .basis import E, basis_like
from .int_tuple import is_tuple, layout_error


def _normalize_shape(shape, what: str):
    """Shape leaves as positive Python ints (accepting numpy integers)."""
    if is_tuple(shape):
        return tuple(_normalize_shape(s, what) for s in shape)
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool) and shape >= 1:
        return int(shape)
    raise layout_error(
        f"{what}: shape entries must be positive Python ints, got {shape!r}",
        hint="layout shapes are static; use a traced value only as a coordinate or index",
    )


def _normalize_stride(stride, what: str):
    if is_tuple(stride):
        return tuple(_normalize_stride(d, what) for d in stride)
    if isinstance(stride, E):
        return stride
    if isinstance(stride, numbers.Integral) and not isinstance(stride, bool):
        return int(stride)
    raise layout_error(
        f"{what}: stride entries must be Python ints, got {stride!r}",
        hint="strides are static; a traced offset belongs in the tensor's base offset",
    )


def _fmt(t) -> str:
    if is_tuple(t):
        return "(" + ",".join(_fmt(v) for v in t) + ")"
    return str(t)


class Layout:
    """A function from coordinates to offsets: offset = sum(coord_i * stride_i).

    `Layout(shape)` is compact column-major. Call it on an index, a coordinate, or a
    coordinate with `None` (a slice); `l[i]` is mode i.

    >>> Layout((2, 3), (3, 1))(1, 2)
    5
    """

    __slots__ = ("shape", "stride")

    def __init__(self, shape, stride=None):
        shape = _normalize_shape(shape, "Layout")
        if stride is None:
            stride = it.compact_col_major(shape)
        stride = _normalize_stride(stride, "Layout")
        if not it.is_congruent(shape, stride):
            raise layout_error(
                f"Layout: shape {_fmt(shape)} and stride {_fmt(stride)} have different profiles",
                hint="give one stride per shape entry, nested the same way",
            )
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "stride", stride)

    def __setattr__(self, name, value):
        raise AttributeError("Layout is immutable")

    # --- evaluation ---------------------------------------------------------------------------

    def __call__(self, *coord):
        """The offset of an index or coordinate; a coordinate with `None` leaves slices."""
        c = coord[0] if len(coord) == 1 else coord
        if _has_none(c):
            return slice_layout(c, self)
        return it.crd2idx(c, self.shape, self.stride)

    def __getitem__(self, key):
        """Mode `key` as a Layout (mode 0 of a rank-1 layout is itself); a tuple with `None`
        slices like `self(*key)`."""
        if isinstance(key, tuple):
            if _has_none(key):
                return slice_layout(key, self)
            raise layout_error(
                f"layout[{key}]: use layout(*coord) for offsets, layout[i][j] for nested modes"
            )
        if not isinstance(key, numbers.Integral):
            raise layout_error(f"layout[{key!r}]: a mode index must be a Python int")
        if not is_tuple(self.shape):
            if key in (0, -1):
                return self
            raise layout_error(f"mode {key} of rank-1 layout {self} does not exist")
        if not -len(self.shape) <= key < len(self.shape):
            raise layout_error(f"mode {key} of rank-{len(self.shape)} layout {self} does not exist")
        return Layout(self.shape[key], self.stride[key])

    def __len__(self) -> int:
        return it.rank(self.shape)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    # --- queries ------------------------------------------------------------------------------

    def size(self) -> int:
        """Number of coordinates: the product of the shape."""
        return it.product(self.shape)

    def cosize(self) -> int:
        """One past the largest offset (as CuTe: abs-stride layout at size-1, plus one)."""
        return cosize(self)

    def rank(self) -> int:
        return it.rank(self.shape)

    def depth(self) -> int:
        return it.depth(self.shape)

    def __eq__(self, other):
        return isinstance(other, Layout) and (self.shape, self.stride) == (
            other.shape,
            other.stride,
        )

    def __hash__(self):
        return hash((self.shape, self.stride))

    def __repr__(self) -> str:
        return f"{_fmt(self.shape)}:{_fmt(self.stride)}"

    __str__ = __repr__


def _has_none(c) -> bool:
    if is_tuple(c):
        return any(_has_none(v) for v in c)
    return c is None


def _as_layout(x, what: str) -> Layout:
    if isinstance(x, Layout):
        return x
    if hasattr(x, "outer"):  # a ComposedLayout answers the shape queries through its outer layout
        return x.outer
    if isinstance(x, (numbers.Integral, tuple)):
        return Layout(x)
    raise layout_error(f"{what}: expected a Layout, got {x!r}")


# --- constructors -------------------------------------------------------------------------------


def make_layout(*args, stride=None) -> Layout:
    """`make_layout(shape, stride=None)`, or `make_layout(l0, l1, ...)` to concatenate layouts
    into the modes of one layout.

    >>> make_layout((4, 8), stride=(8, 1)), make_layout(Layout(4, 2), Layout(3, 8))
    ((4,8):(8,1), (4,3):(2,8))
    """
    if args and all(isinstance(a, Layout) for a in args) and stride is None:
        return Layout(tuple(a.shape for a in args), tuple(a.stride for a in args))
    if len(args) == 2 and stride is None:
        args, stride = args[:1], args[1]
    if len(args) != 1:
        raise layout_error(
            "make_layout takes a shape (and stride), or Layouts to concatenate",
            hint="make_layout((4, 8), stride=(8, 1)) or make_layout(layout_a, layout_b)",
        )
    if isinstance(args[0], Layout):
        return args[0]
    return Layout(args[0], stride)


def make_ordered_layout(shape, order) -> Layout:
    """A compact layout whose modes are laid out in increasing `order` (CuTe make_ordered_layout).

    >>> make_ordered_layout((2, 3, 4), (1, 0, 2))
    (2,3,4):(3,1,6)
    """
    return Layout(shape, it.compact_order(_normalize_shape(shape, "make_ordered_layout"), order))


def make_identity_layout(shape) -> Layout:
    """The layout mapping each coordinate of `shape` to itself (strides are basis vectors).

    >>> make_identity_layout((4, 8))
    (4,8):(1@0,1@1)
    """
    shape = _normalize_shape(shape, "make_identity_layout")
    return Layout(shape, basis_like(shape))


# --- queries as free functions (accept layouts and int tuples) ---------------------------------


def size(x, mode=None) -> int:
    """Number of elements of a layout (or a shape); `size(l, i)` for mode i."""
    if isinstance(x, (numbers.Integral, tuple)):
        return it.product(x if mode is None else it.wrap(x)[mode])
    layout = _as_layout(x, "size")
    return layout.size() if mode is None else layout[mode].size()


def cosize(x) -> int:
    """One past the largest offset a layout produces (the size of its codomain)."""
    layout = _as_layout(x, "cosize")
    if hasattr(x, "outer") and x is not layout:
        return x.cosize()
    last = Layout(layout.shape, it.transform_leaf(_abs_stride, layout.stride))(layout.size() - 1)
    if is_tuple(last):  # a coordinate layout: the size of its coshape
        return it.product(it.transform_leaf(lambda v: v + 1, last))
    return last + 1


def _abs_stride(d):
    return d if isinstance(d, E) else abs(d)


def rank(x) -> int:
    """Number of top-level modes of a layout or int tuple."""
    return it.rank(x) if isinstance(x, (numbers.Integral, tuple)) else len(_as_layout(x, "rank"))


def depth(x) -> int:
    """Nesting depth of a layout's shape or of an int tuple."""
    if isinstance(x, (numbers.Integral, tuple)):
        return it.depth(x)
    return _as_layout(x, "depth").depth()


def shape(x):
    return _as_layout(x, "shape").shape


def stride(x):
    return _as_layout(x, "stride").stride


# --- mode manipulation --------------------------------------------------------------------------


def append(layout: Layout, x: Layout | None = None) -> Layout:
    """`layout` with `x` (default 1:0) as a new last mode."""
    x = x if x is not None else Layout(1, 0)
    return Layout(it.wrap(layout.shape) + (x.shape,), it.wrap(layout.stride) + (x.stride,))


def prepend(layout: Layout, x: Layout | None = None) -> Layout:
    """`layout` with `x` (default 1:0) as a new first mode."""
    x = x if x is not None else Layout(1, 0)
    return Layout((x.shape,) + it.wrap(layout.shape), (x.stride,) + it.wrap(layout.stride))


def append_to_rank(layout: Layout, r: int) -> Layout:
    """`layout` padded with 1:0 modes up to rank `r` (CuTe append<R>)."""
    if rank(layout) >= r:
        return layout
    pad = r - rank(layout)
    return Layout(it.wrap(layout.shape) + (1,) * pad, it.wrap(layout.stride) + (0,) * pad)


def group(layout: Layout, begin: int, end: int) -> Layout:
    """Modes [begin, end) gathered into one mode: group((2,3,4):(1,2,6), 0, 2) = ((2,3),4):..."""
    s, d = it.wrap(layout.shape), it.wrap(layout.stride)
    return Layout(s[:begin] + (s[begin:end],) + s[end:], d[:begin] + (d[begin:end],) + d[end:])


def flatten(layout):
    """The layout with depth <= 1 (same function); on an int tuple, its flat leaves."""
    if not isinstance(layout, Layout):
        return it.flatten(layout)
    if not is_tuple(layout.shape):
        return layout
    return Layout(it.flatten(layout.shape), it.flatten(layout.stride))


def select(layout, indices):
    """The modes at `indices` (a Layout from a Layout, a tuple from an int tuple)."""
    if not isinstance(layout, Layout):
        return it.select(layout, indices)
    return Layout(it.select(layout.shape, indices), it.select(layout.stride, indices))


# --- slice and dice -----------------------------------------------------------------------------


def _lift(c, t, keep_none: bool) -> tuple:
    """The modes of `t` where `c` is None (slice) or fixed (dice), one nesting level lifted."""
    if is_tuple(c):
        if not is_tuple(t) or len(c) != len(t):
            raise layout_error(f"slice coordinate {c} does not match the profile {_fmt(t)}")
        return tuple(m for ci, ti in zip(c, t, strict=True) for m in _lift(ci, ti, keep_none))
    return (t,) if (c is None) == keep_none else ()


def _select_modes(c, t, keep_none: bool):
    if is_tuple(c):
        return it.unwrap(_lift(c, t, keep_none))
    return t if (c is None) == keep_none else ()


def slice_layout(coord, layout: Layout) -> Layout:
    """The layout of the modes where `coord` is None (CuTe slice): slice((None, 2), (4,8):(1,4))."""
    if is_tuple(coord) and not is_tuple(layout.shape) and len(coord) == 1:
        coord = coord[0]
    return Layout(
        _select_modes(coord, layout.shape, True), _select_modes(coord, layout.stride, True)
    )


def dice(coord, layout: Layout) -> Layout:
    """The layout of the modes where `coord` is fixed (CuTe dice), the complement of slice."""
    return Layout(
        _select_modes(coord, layout.shape, False), _select_modes(coord, layout.stride, False)
    )


def slice_and_offset(coord, layout: Layout):
    """(slice of `layout` at `coord`, offset of the fixed coordinates); None leaves count as 0.

    >>> slice_and_offset((None, 2), Layout((4, 8), (1, 4)))
    (4:1, 8)
    """
    if hasattr(layout, "slice_and_offset"):
        return layout.slice_and_offset(coord)
    if is_tuple(coord) and not is_tuple(layout.shape) and len(coord) == 1:
        coord = coord[0]
    return slice_layout(coord, layout), it.crd2idx(coord, layout.shape, layout.stride)
