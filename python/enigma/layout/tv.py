"""Thread-value (TV) layouts: which thread owns which values of a tile (CuTe DSL make_layout_tv).

`make_layout_tv(thr, val)` rakes the value block `val` over the thread grid `thr`
(raked_product), so each thread's values are spread the way `val` says, then inverts that map:
the result takes (thread index, value index) to the element's column-major offset in the
tile `tiler_mn`.

>>> make_layout_tv(Layout((4, 32), (32, 1)), Layout((4, 4), (4, 1)))
((16, 128), ((32,4),(4,4)):((64,4),(16,1)))
"""

from __future__ import annotations

from . import int_tuple as it
from .algebra import composition, right_inverse
from .layout import Layout, make_layout, size
from .tiling import raked_product


def make_layout_tv(thr_layout: Layout, val_layout: Layout) -> tuple[tuple, Layout]:
    """(tiler_mn, layout_tv): the tile shape and the (thread, value) -> tile offset layout.

    `thr_layout` maps a thread's coordinate in the thread grid to its index; `val_layout` maps a
    value's coordinate inside one thread's block to its index.
    """
    layout_mn = raked_product(thr_layout, val_layout)  # (M, N) -> (thread, value) index
    tiler_mn = it.product_each(layout_mn.shape)
    thr_by_val = make_layout((size(thr_layout), size(val_layout)))
    layout_tv = composition(right_inverse(layout_mn), thr_by_val)
    return tiler_mn, layout_tv
