"""Divides and products: splitting a layout into tiles and repeating a block over a grid,
with CuTe's definitions.

`logical_divide(l, T)` is l ∘ (T, complement(T, shape(l))): mode 0 walks one tile, mode 1
walks the tiles. A tuple tiler divides mode by mode; the zipped/tiled/flat variants only
regroup the result's modes. `logical_product(A, B)` is (A, complement(A, size(A)*cosize(B)) ∘ B):
A repeated by B; blocked/raked products interleave the two per mode.

>>> zipped_divide(Layout((8, 6)), (4, 3))
((4,3),(2,2)):((1,8),(4,24))
"""

from __future__ import annotations

import numbers

from . import int_tuple as it
from .algebra import coalesce, complement, composition
from .int_tuple import is_tuple, layout_error
from .layout import Layout, append_to_rank, cosize, make_layout, size, slice_layout


def _by_mode(layout: Layout, tiler: tuple, fn, name: str) -> Layout:
    if len(tiler) > layout.rank():
        raise layout_error(
            f"{name}: tiler {tiler} has more modes than layout {layout}",
            hint="give at most one tiler entry per mode of the layout",
        )
    modes = [fn(layout[i], t) for i, t in enumerate(tiler)]
    return make_layout(*modes, *list(layout)[len(tiler) :])


def _tiler_layout(tiler, name: str) -> Layout:
    if isinstance(tiler, Layout):
        return tiler
    if isinstance(tiler, numbers.Integral):
        return Layout(tiler)
    raise layout_error(
        f"{name}: a tiler is a Layout, an int, None or a tuple of those, got {tiler!r}"
    )


def _zip2_by(t, guide):
    """Gather the (tile, rest) pairs at the leaves of `guide`: ((tiles...), (rests..., extra))."""
    if is_tuple(guide):
        if not is_tuple(t) or len(t) < len(guide):
            raise layout_error(f"tiler {guide} does not match the profile {t}")
        split = [_zip2_by(t[i], g) for i, g in enumerate(guide)]
        return tuple(s[0] for s in split), tuple(s[1] for s in split) + t[len(guide) :]
    if guide is None:
        raise layout_error(
            "a None entry in a zipped/tiled/flat tiler is not supported",
            hint="use the mode's size instead of None",
        )
    return t


def _tile_unzip(layout: Layout, tiler) -> Layout:
    return Layout(_zip2_by(layout.shape, tiler), _zip2_by(layout.stride, tiler))


def _unpack(layout: Layout, mode0: bool) -> Layout:
    """Splice the sub-modes of mode 1 (and of mode 0 when `mode0`) into the top level."""
    r0, r1 = it.rank(layout.shape[0]), it.rank(layout.shape[1])
    c0 = (None,) * r0 if mode0 and r0 > 1 else None
    c1 = (None,) * r1 if r1 > 1 else None
    return slice_layout((c0, c1), layout)


# --- divides -----------------------------------------------------------------------------------


def logical_divide(layout: Layout, tiler) -> Layout:
    """layout ∘ (tiler, complement(tiler, shape(layout))): ((tile), (rest)) per divided mode.

    >>> logical_divide(Layout((4, 2, 3), (2, 1, 8)), Layout(4, 2))
    ((2,2),(2,3)):((4,1),(2,8))
    """
    if tiler is None:
        return layout
    if is_tuple(tiler):
        return _by_mode(layout, tiler, logical_divide, "logical_divide")
    tiler = _tiler_layout(tiler, "logical_divide")
    return composition(layout, make_layout(tiler, complement(tiler, layout.shape)))


def zipped_divide(layout: Layout, tiler) -> Layout:
    """logical_divide with the tile modes gathered into mode 0 and the rest into mode 1:
    ((TileM,TileN,...), (RestM,RestN,...)).

    >>> zipped_divide(Layout((8, 6)), (4, 3))
    ((4,3),(2,2)):((1,8),(4,24))
    """
    if hasattr(layout, "outer"):
        return layout.with_outer(zipped_divide(layout.outer, tiler))
    return _tile_unzip(logical_divide(layout, tiler), tiler)


def tiled_divide(layout: Layout, tiler) -> Layout:
    """zipped_divide with the rest modes unpacked: ((TileM,TileN,...), RestM, RestN, ...)."""
    if hasattr(layout, "outer"):
        return layout.with_outer(tiled_divide(layout.outer, tiler))
    return _unpack(zipped_divide(layout, tiler), mode0=False)


def flat_divide(layout: Layout, tiler) -> Layout:
    """zipped_divide with both modes unpacked: (TileM, TileN, ..., RestM, RestN, ...)."""
    if hasattr(layout, "outer"):
        return layout.with_outer(flat_divide(layout.outer, tiler))
    return _unpack(zipped_divide(layout, tiler), mode0=True)


# --- products ----------------------------------------------------------------------------------


def logical_product(block: Layout, tiler) -> Layout:
    """(block, complement(block, size(block)*cosize(tiler)) ∘ tiler): block repeated by tiler.

    >>> logical_product(Layout((2, 2), (4, 1)), Layout(6, 1))
    ((2,2),(2,3)):((4,1),(2,8))
    """
    if tiler is None:
        return block
    if is_tuple(tiler):
        return _by_mode(block, tiler, logical_product, "logical_product")
    tiler = _tiler_layout(tiler, "logical_product")
    return make_layout(block, composition(complement(block, size(block) * cosize(tiler)), tiler))


def zipped_product(block: Layout, tiler) -> Layout:
    """logical_product regrouped as ((block modes...), (tiler modes...))."""
    return _tile_unzip(logical_product(block, tiler), tiler)


def tiled_product(block: Layout, tiler) -> Layout:
    """zipped_product with the tiler modes unpacked: ((block modes...), T0, T1, ...)."""
    return _unpack(zipped_product(block, tiler), mode0=False)


def _rank_product(block: Layout, tiler: Layout, raked: bool, name: str) -> Layout:
    if not isinstance(block, Layout) or not isinstance(tiler, Layout):
        raise layout_error(f"{name} takes two Layouts, got {block!r} and {tiler!r}")
    r = max(block.rank(), tiler.rank())
    result = logical_product(append_to_rank(block, r), append_to_rank(tiler, r))
    first, second = (result[1], result[0]) if raked else (result[0], result[1])
    zipped = Layout(
        tuple(zip(it.wrap(first.shape), it.wrap(second.shape), strict=True)),
        tuple(zip(it.wrap(first.stride), it.wrap(second.stride), strict=True)),
    )
    return coalesce(zipped, (1,) * r)


def blocked_product(block: Layout, tiler: Layout) -> Layout:
    """Each mode i is (block_i, tiler_i): whole blocks laid out by the tiler.

    >>> blocked_product(Layout((2, 5), (5, 1)), Layout((3, 4), (1, 3)))
    (6,(5,4)):(5,(1,30))
    """
    return _rank_product(block, tiler, raked=False, name="blocked_product")


def raked_product(block: Layout, tiler: Layout) -> Layout:
    """Each mode i is (tiler_i, block_i): blocks interleaved element by element.

    >>> raked_product(Layout((2, 5), (5, 1)), Layout((3, 4), (1, 3)))
    ((3,2),(4,5)):((10,5),(30,1))
    """
    return _rank_product(block, tiler, raked=True, name="raked_product")
