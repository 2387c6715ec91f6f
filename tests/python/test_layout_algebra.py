"""The layout algebra on CuTe's documented examples, with exact expected results.

Examples come from the CuTe layout-algebra documentation and the CuTe DSL make_layout_tv
docstring; the cases where CuTe C++ and pycute differ are pinned to the C++ result.
"""

import pytest

import enigma
from enigma.errors import EnigmaError
from enigma.layout import (
    E,
    Layout,
    Swizzle,
    blocked_product,
    coalesce,
    complement,
    composition,
    cosize,
    crd2idx,
    depth,
    dice,
    filter,
    flat_divide,
    idx2crd,
    left_inverse,
    logical_divide,
    logical_product,
    make_identity_layout,
    make_layout,
    make_layout_tv,
    make_ordered_layout,
    raked_product,
    rank,
    recast_layout,
    right_inverse,
    shape_div,
    size,
    slice_and_offset,
    tiled_divide,
    tiled_product,
    upcast,
    zipped_divide,
    zipped_product,
)

L = Layout


def s(x) -> str:
    return str(x)


def test_layout_basics():
    layout = L((4, 8), (1, 4))
    assert s(layout) == "(4,8):(1,4)"
    assert s(L((4, 8))) == "(4,8):(1,4)"
    assert s(L((2, 1, 3))) == "(2,1,3):(1,0,2)"  # CuTe: size-1 modes get stride 0
    assert layout(1, 2) == layout((1, 2)) == layout(9) == 9
    assert L((4, 8), (8, 1))(9) == 8 * 1 + 2  # an index is split column-major first
    assert s(layout[1]) == "8:4" and s(layout(None, 2)) == "4:1"
    assert (size(layout), cosize(layout), rank(layout), depth(layout)) == (32, 32, 2, 1)
    nested = L((2, (3, 4)), (12, (1, 3)))
    assert nested((1, (2, 3))) == 12 + 2 + 9 and nested(1 + 2 * 2 + 2 * 3 * 3) == 23
    assert (size(nested), rank(nested), depth(nested), cosize(L((4, 8), (0, 2)))) == (24, 2, 2, 15)
    assert L(8, 2)(20) == 40  # CuTe does not wrap an index past the size
    assert L((4, 8), (1, 4)) == L((4, 8)) and hash(L(4)) == hash(L(4, 1))
    assert s(make_layout(L(4, 2), L(3, 8))) == "(4,3):(2,8)"
    assert s(make_layout((4, 8), stride=(8, 1))) == "(4,8):(8,1)"
    assert s(make_ordered_layout((2, (3, 4)), (2, (0, 1)))) == "(2,(3,4)):(12,(1,3))"
    assert enigma.size is enigma.layout.size and enigma.Layout is Layout


def test_int_tuple_utilities():
    assert crd2idx((1, 2), (4, 8), (1, 4)) == 9 and crd2idx(5, (2, 4), (4, 1)) == 6
    assert idx2crd(9, (4, 8)) == (1, 2) and idx2crd(13, (2, (3, 4))) == (1, (0, 2))
    assert enigma.prefix_product((2, (3, 4))) == (1, (2, 6))
    assert enigma.suffix_product((2, (3, 4))) == (12, (4, 1))
    assert enigma.compact_col_major((4, 1, 2)) == (1, 0, 4)
    assert enigma.compact_row_major((2, 3, 4)) == (12, 4, 1)
    assert enigma.compact_order((2, 3, 4), (1, 0, 2)) == (3, 1, 6)
    assert shape_div((4, 5, 6), 40) == (1, 1, 3) and shape_div(2, 8) == 1
    assert enigma.elem_scale((2, 3), (4, (2, 3))) == (8, 18)
    assert enigma.product((2, (3, 4))) == 24 and enigma.flatten((1, (2, (3,)))) == (1, 2, 3)
    assert enigma.select((4, 5, 6), (2, 0)) == (6, 4)
    assert enigma.repeat_like((2, (3, 4)), 0) == (0, (0, 0))
    assert enigma.is_congruent((2, (3, 4)), (1, (5, 6))) and not enigma.is_congruent((2, 3), 6)
    assert enigma.is_compatible(6, (2, 3)) and not enigma.is_compatible((2, 3), 6)
    with pytest.raises(EnigmaError, match="neither divides"):
        shape_div(6, 4)


def test_coalesce_and_filter():
    layout = L((2, (1, 6)), (1, (6, 2)))
    assert s(coalesce(layout)) == "12:1"
    assert s(coalesce(layout, (1, 1))) == "(2,6):(1,2)"
    assert s(coalesce(L((4, 3), (1, 5)))) == "(4,3):(1,5)"
    assert s(coalesce(L((1, 1), (3, 4)))) == "1:0"
    assert s(filter(L((4, 2, 3), (1, 0, 8)))) == "(4,3):(1,8)"


def test_composition_examples():
    assert s(composition(L((6, 2), (8, 2)), L((4, 3), (3, 1)))) == "((2,2),3):((24,2),8)"
    assert s(composition(L(20, 2), L((5, 4), (4, 1)))) == "(5,4):(8,2)"
    assert s(composition(L((10, 2), (16, 4)), L((5, 4), (1, 5)))) == "(5,(2,2)):(16,(80,4))"
    a = L((12, (4, 8)), (59, (13, 1)))
    assert s(composition(a, (3, 8))) == "(3,(4,2)):(59,(13,1))"  # by-mode with a shape
    assert s(composition(a, (L(3, 4), L(8, 2)))) == "(3,(2,4)):(236,(26,1))"
    assert s(composition(a, (None, 4))) == "(12,4):(59,13)"
    # C++ extends the lhs past its size (pycute collapses a size-1 lhs to stride 0).
    assert s(composition(L(1, 8), L(2, 1))) == "2:8"


def test_complement_examples():
    cases = {L(4, 1): "6:4", L(6, 4): "4:1", L((4, 6), (1, 4)): "1:0", L(4, 2): "(2,3):(1,8)"}
    cases.update({L((2, 4), (1, 6)): "3:2", L((2, 2), (1, 6)): "(3,2):(2,12)"})
    for layout, expected in cases.items():
        assert s(complement(layout, 24)) == expected, layout
    assert s(complement(L(4, 2))) == "2:1"  # cotarget defaults to cosize
    assert s(complement(L(4, 0), 8)) == "8:1"  # nothing reached: the whole range


def test_inverses():
    assert s(right_inverse(L((4, 8), (8, 1)))) == "(8,4):(4,1)"
    assert s(left_inverse(L((2, 3), (3, 1)))) == "(3,2):(2,1)"
    # C++ follows the stride chain past a broadcast mode (pycute stops: 1:0).
    assert s(right_inverse(L((4, 2), (0, 1)))) == "2:4"
    assert s(right_inverse(L(4, 2))) == "1:0"


def test_divides():
    assert s(logical_divide(L((4, 2, 3), (2, 1, 8)), L(4, 2))) == "((2,2),(2,3)):((4,1),(2,8))"
    a, tiler = L((9, (4, 8)), (59, (13, 1))), (L(3, 3), L((2, 4), (1, 8)))
    assert s(logical_divide(a, tiler)) == "((3,3),((2,4),(2,2))):((177,59),((13,2),(26,1)))"
    assert s(zipped_divide(a, tiler)) == "((3,(2,4)),(3,(2,2))):((177,(13,2)),(59,(26,1)))"
    assert s(tiled_divide(a, tiler)) == "((3,(2,4)),3,(2,2)):((177,(13,2)),59,(26,1))"
    assert s(flat_divide(a, tiler)) == "(3,(2,4),3,(2,2)):(177,(13,2),59,(26,1))"
    assert s(zipped_divide(L((8, 6)), (4, 3))) == "((4,3),(2,2)):((1,8),(4,24))"
    # C++ keeps a rank-1 rest mode nested in tiled_divide (pycute unwraps it).
    assert s(tiled_divide(L(((4, 6),), ((6, 1),)), (4,))) == "((4),(6)):((6),(1))"
    # A tile larger than the layout: C++ keeps walking the last stride (predicate the rest).
    assert s(zipped_divide(L((3, 5)), (4, 8))) == "((4,8),(1,1)):((1,3),(0,0))"


def test_products():
    assert s(logical_product(L((2, 2), (4, 1)), L(6, 1))) == "((2,2),(2,3)):((4,1),(2,8))"
    assert s(logical_product(L((2, 2), (4, 1)), 6)) == "((2,2),(2,3)):((4,1),(2,8))"
    block, tiler = L((2, 5), (5, 1)), L((3, 4), (1, 3))
    # C++ coalesces each mode of blocked_product: (2,3):(5,10) becomes 6:5.
    assert s(blocked_product(block, tiler)) == "(6,(5,4)):(5,(1,30))"
    assert s(raked_product(block, tiler)) == "((3,2),(4,5)):((10,5),(30,1))"
    by_mode = (L(3, 1), L(2, 1))
    assert s(zipped_product(L((2, 2), (4, 1)), by_mode)) == "((2,2),(3,2)):((4,1),(1,2))"
    assert s(tiled_product(L((2, 2), (4, 1)), by_mode)) == "((2,2),3,2):((4,1),1,2)"


def test_make_layout_tv():
    tiler, tv = make_layout_tv(L((4, 32), (32, 1)), L((4, 4), (4, 1)))
    assert tiler == (16, 128) and s(tv) == "((32,4),(4,4)):((64,4),(16,1))"
    tiler, tv = make_layout_tv(L(32), L(4))
    assert tiler == (128,) and s(tv) == "(32,4):(4,1)"
    tiler, tv = make_layout_tv(L((4, 8), (8, 1)), L((2, 2), (2, 1)))
    assert tiler == (8, 16) and s(tv) == "((8,4),(2,2)):((16,2),(8,1))"
    # Every (thread, value) pair owns a distinct element of the tile.
    assert sorted(tv(i) for i in range(size(tv))) == list(range(8 * 16))


def test_recast():
    assert s(recast_layout(L((4, 8), (8, 1)), 16, 32)) == "(4,4):(4,1)"
    assert s(recast_layout(L((4, 8), (8, 1)), 32, 16)) == "(4,16):(16,1)"
    assert s(recast_layout(L(16), 8, 32)) == "4:1"
    assert s(recast_layout(L((4, 8), (0, 1)), 16, 32)) == "(4,4):(0,1)"
    assert s(upcast(L((4, 8), (2, 16)), 4)) == "(2,8):(1,4)"
    with pytest.raises(EnigmaError, match="no mode has stride 1"):
        recast_layout(L((4, 8), (2, 16)), 32, 16)
    with pytest.raises(EnigmaError, match="not supported"):
        recast_layout(L(8), 16, 24)


def test_swizzle_and_composed_layout():
    sw = Swizzle(3, 3, 3)
    assert s(sw) == "Sw<3,3,3>" and sw(0b001_000_101) == 0b001_001_101
    assert Swizzle(2, 0, -3)(1) == 9  # a negative shift XORs upward
    smem = composition(sw, L((8, 64), (64, 1)))
    assert smem.shape == (8, 64) and size(smem) == 512
    assert [smem(r, 0) for r in range(3)] == [0, 64 + 8, 128 + 16]
    row, off = slice_and_offset((2, None), smem)
    assert off == 0 and [row(c) for c in range(0, 16, 8)] == [128 + 16, (128 + 8) ^ 16]
    tiled = zipped_divide(smem, (4, 8))
    assert tiled((1, 0), (0, 0)) == smem(1, 0) and tiled((0, 0), (1, 1)) == smem(4, 8)


def test_identity_layout():
    ident = make_identity_layout((4, 8))
    assert s(ident) == "(4,8):(1@0,1@1)" and ident(5) == (1, 1) and ident(3, 7) == (3, 7)
    tiles = zipped_divide(make_identity_layout((8, 6)), (4, 3))
    assert s(tiles) == "((4,3),(2,2)):((1@0,1@1),(4@0,3@1))"
    assert tiles((1, 2), (1, 1)) == (5, 5)
    assert s(make_identity_layout((2, (3, 4)))) == "(2,(3,4)):(1@0,(1@1@0,1@1@1))"
    assert E(1) * 4 == E(1, value=4)


def test_slice_and_dice():
    layout = L((4, (3, 5)), (1, (4, 12)))
    assert slice_and_offset((None, (2, None)), layout) == (L((4, 5), (1, 12)), 8)
    assert s(dice((None, (2, None)), layout)) == "3:4"
    assert s(layout[(None, (2, None))]) == "(4,5):(1,12)"


def test_errors_say_why():
    with pytest.raises(EnigmaError, match="stride divisibility condition"):
        composition(L((3, 4), (1, 5)), L(2, 2))
    with pytest.raises(EnigmaError, match="shape divisibility condition"):
        composition(L((3, 4), (1, 5)), L(2, 1))
    with pytest.raises(EnigmaError, match="not injective"):
        complement(L((2, 2), (1, 1)))
    with pytest.raises(EnigmaError, match="different profiles"):
        Layout((2, 3), (1,))
    with pytest.raises(EnigmaError, match="positive Python ints"):
        Layout((2, 0))
    with pytest.raises(EnigmaError, match="not a valid swizzle"):
        Swizzle(3, 3, 2)
    with pytest.raises(EnigmaError, match="more modes than layout"):
        zipped_divide(L((4, 4)), (2, 2, 2))
    with pytest.raises(EnigmaError, match="coordinate .* has 3 modes"):
        L((4, 4))(1, 2, 3)
    with pytest.raises(EnigmaError) as excinfo:
        composition(L((3, 4), (1, 5)), L(2, 2))
    assert "test_layout_algebra.py" in str(excinfo.value) and "fix:" in str(excinfo.value)
