"""The layout algebra (CuTe semantics): hierarchical int tuples, `Layout`, and the operations
that tile, partition and recast layouts; all computed on the host at trace time.

>>> from enigma.layout import Layout, zipped_divide
>>> zipped_divide(Layout((8, 6)), (4, 3))
((4,3),(2,2)):((1,8),(4,24))
"""

from .algebra import (
    coalesce,
    complement,
    composition,
    downcast,
    filter,
    left_inverse,
    recast_layout,
    right_inverse,
    upcast,
)
from .basis import E
from .int_tuple import (
    ceil_div,
    compact_col_major,
    compact_order,
    compact_row_major,
    crd2idx,
    elem_scale,
    idx2crd,
    inner_product,
    is_compatible,
    is_congruent,
    is_int,
    is_static,
    is_tuple,
    is_weakly_congruent,
    prefix_product,
    product,
    product_each,
    repeat_like,
    shape_div,
    suffix_product,
    tuple_max,
    unflatten,
)
from .layout import (
    Layout,
    append,
    cosize,
    depth,
    dice,
    flatten,
    group,
    make_identity_layout,
    make_layout,
    make_ordered_layout,
    prepend,
    rank,
    select,
    shape,
    size,
    slice_and_offset,
    slice_layout,
    stride,
)
from .swizzle import ComposedLayout, Swizzle, make_composed_layout
from .tiling import (
    blocked_product,
    flat_divide,
    logical_divide,
    logical_product,
    raked_product,
    tiled_divide,
    tiled_product,
    zipped_divide,
    zipped_product,
)
from .tv import make_layout_tv

__all__ = [
    "ComposedLayout", "E", "Layout", "Swizzle", "append", "blocked_product", "ceil_div",
    "coalesce", "compact_col_major", "compact_order", "compact_row_major", "complement",
    "composition", "cosize", "crd2idx", "depth", "dice", "downcast", "elem_scale", "filter",
    "flat_divide", "flatten", "group", "idx2crd", "inner_product", "is_compatible",
    "is_congruent", "is_int", "is_static", "is_tuple", "is_weakly_congruent", "left_inverse",
    "logical_divide", "logical_product", "make_composed_layout", "make_identity_layout",
    "make_layout", "make_layout_tv", "make_ordered_layout", "prefix_product", "prepend",
    "product", "product_each", "raked_product", "rank", "recast_layout", "repeat_like",
    "right_inverse", "select", "shape", "shape_div", "size", "slice_and_offset", "slice_layout",
    "stride", "suffix_product", "tiled_divide", "tiled_product", "tuple_max", "unflatten",
    "upcast", "zipped_divide", "zipped_product",
]  # fmt: skip
