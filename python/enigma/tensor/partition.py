"""Tiling and partitioning tensors: the layout algebra applied to a tensor's layout.

Each function returns a view on the same memory (CuTe semantics):

* `tensor_composition(t, layout)`: ``t.layout ∘ layout``. With a TV layout (thread,
  value) -> position in a tile, ``tensor_composition(tile, tv)[tid, None]`` is thread
  `tid`'s values: the partitioning of CuTe's elementwise-add example.
* `tensor_zipped_divide(t, tiler)`: ((tile modes), (rest modes)); ``[(None, None), b]``
  selects tile `b`.
* `local_tile(t, tiler, coord, proj=None)`: the tile at `coord` (an inner partition:
  divide, keep the tile modes, index the rest modes).
* `local_partition(t, thr_layout, thr_idx)`: the elements of thread `thr_idx` when the
  threads of `thr_layout` tile `t` (an outer partition: divide by the thread grid,
  index the tile modes with the thread's coordinate, keep the rest modes).

Coordinates and thread indices may be traced; their index arithmetic is emitted once,
into the view's base offset. Each also takes an identity tensor (identity.py), whose
views then give the coordinates of the data views' elements, for predication.

A divide rounds the tensor up to whole tiles (CuTe: 1000 elements by 128 are 8 tiles, the
last reaching element 1023); such a view is marked `padded`: its elements past the
tensor's end must be masked by the kernel (docs/jit.md, "Partial tiles").

>>> blk = enigma.local_tile(ta, (128, 64), (bidx, bidy))            # a 128x64 tile
>>> mine = enigma.local_partition(blk, enigma.Layout((32, 8)), tid)   # (4, 8) elements
"""

from __future__ import annotations

from ..layout import int_tuple as it
from ..layout.algebra import composition
from ..layout.layout import Layout, rank
from ..layout.tiling import zipped_divide
from .identity import CoordTensor
from .tensor import Tensor, _error


def tensor_composition(t: Tensor, layout) -> Tensor:
    """The view of `t` through ``t.layout ∘ layout`` (same memory, same base offset).

    >>> thr = enigma.tensor_composition(tile, tv_layout)[tid, None]   # thread tid's values
    """
    return t.view(composition(_tensor(t, "tensor_composition").layout, layout), t.offset)


def tensor_zipped_divide(t: Tensor, tiler) -> Tensor:
    """The view of `t` with layout ``zipped_divide(t.layout, tiler)``: ((tile), (rest)).

    >>> tiles = enigma.tensor_zipped_divide(ta, (16, 16))
    >>> blk = tiles[(None, None), block_idx]
    """
    v = t.view(zipped_divide(_tensor(t, "tensor_zipped_divide").layout, tiler), t.offset)
    if isinstance(v, Tensor) and v.size > t.size:
        v.padded = True  # the tiler rounded it up: its last tiles reach past t
    return v


def local_tile(t: Tensor, tiler, coord, proj=None) -> Tensor:
    """The tile of `t` at `coord` after dividing it by `tiler` (CuTe local_tile). `proj`
    (a tuple, None entries dropping modes) first keeps the tiler and coord modes that apply
    to this tensor, as in a GEMM where (M, N, K) tiles A with proj=(1, None, 1).

    >>> blk_a = enigma.local_tile(ta, (bm, bn, bk), (bx, by, None), proj=(1, None, 1))
    """
    if proj is not None:
        tiler, coord = _keep(proj, tiler, "tiler"), _keep(proj, coord, "coord")
    tiled = tensor_zipped_divide(t, tiler)
    tile_modes = _all_of(tiled.layout[0])
    if isinstance(coord, tuple):
        rest = tiled.layout[1]
        missing = rank(rest) - len(coord)
        if missing < 0:
            raise _error(
                f"local_tile coordinate {coord!r} has {len(coord)} entries for the"
                f" {rank(rest)} tile modes of Tensor `{t.name}` ({rest.shape})",
                "give one coordinate per mode of the tile grid",
            )
        coord = coord + (None,) * missing if isinstance(rest.shape, tuple) else coord[0]
    return tiled[tile_modes, coord]


def local_partition(t: Tensor, thr_layout, thr_idx) -> Tensor:
    """Thread `thr_idx`'s elements of `t` when the threads of `thr_layout` tile it: each
    thread takes one element of every `thr_layout`-shaped tile (CuTe local_partition).

    >>> mine = enigma.local_partition(tile, enigma.Layout((4, 8), (8, 1)), tid)
    """
    if not isinstance(thr_layout, Layout):
        thr_layout = Layout(thr_layout)
    shape = it.wrap(thr_layout.shape)
    stride = it.wrap(thr_layout.stride)
    tile = tuple(it.product(s) for s in shape)
    # The thread's coordinate in each mode of the thread layout, as an index of that mode.
    coord = tuple(
        it.crd2idx(it.idx2crd(thr_idx, s, d), s) for s, d in zip(shape, stride, strict=True)
    )
    tiled = tensor_zipped_divide(t, tile if len(tile) > 1 else tile[0])
    return tiled[coord if len(coord) > 1 else coord[0], _all_of(tiled.layout[1])]


def _tensor(t, fn: str) -> Tensor:
    if not isinstance(t, (Tensor, CoordTensor)):
        raise _error(
            f"{fn} takes an enigma.Tensor, not {type(t).__name__}",
            f"for a layout use the algebra directly (enigma.{fn.removeprefix('tensor_')})",
        )
    return t


def _all_of(layout: Layout):
    """A coordinate keeping every top-level mode of `layout` (CuTe repeat<R>(_))."""
    return (None,) * len(layout.shape) if isinstance(layout.shape, tuple) else None


def _keep(proj, x, what: str):
    """The entries of `x` where `proj` is not None (CuTe dice with a Step)."""
    if not isinstance(proj, tuple) or not isinstance(x, tuple) or len(proj) != len(x):
        raise _error(
            f"local_tile proj {proj!r} and {what} {x!r} must be tuples of one length",
            "e.g. local_tile(ta, (bm, bn, bk), (i, j, None), proj=(1, None, 1))",
        )
    kept = tuple(v for p, v in zip(proj, x, strict=True) if p is not None)
    return kept if len(kept) != 1 else kept[0]
