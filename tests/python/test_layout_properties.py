"""Laws of the layout algebra, checked with hypothesis on generated layouts.

Composition is function composition, coalesce keeps the function, a complement completes its
layout to a bijection onto the codomain, inverses invert, and divides/products of compact
layouts are bijections of the right size.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

import enigma.layout as el
from enigma.errors import EnigmaError
from enigma.layout import Layout
from enigma.layout import int_tuple as it

LAWS = settings(max_examples=200, derandomize=True, deadline=None)
SIZES = st.sampled_from((1, 2, 3, 4, 6, 8))
STRIDES = st.sampled_from((0, 1, 2, 3, 4, 6, 8, 16))


def shapes(depth=2):
    if depth == 0:
        return SIZES
    return st.one_of(SIZES, st.lists(shapes(depth - 1), min_size=1, max_size=3).map(tuple))


@st.composite
def layouts(draw, max_size=64):
    shape = draw(shapes().filter(lambda s: it.product(s) <= max_size))
    flat = it.flatten(shape)
    stride = [draw(STRIDES) for _ in flat]
    return Layout(shape, it.unflatten(stride, shape))


@st.composite
def compact_layouts(draw, max_size=64):
    """A compact layout with its modes in a random order: a bijection onto [0, size)."""
    shape = draw(shapes().filter(lambda s: it.product(s) <= max_size))
    flat = it.flatten(shape)
    order = draw(st.permutations(range(len(flat))))
    strides, acc = [0] * len(flat), 1
    for i in order:
        strides[i], acc = acc, acc * flat[i]
    return Layout(shape, it.unflatten(strides, shape))


@st.composite
def sublayouts(draw):
    """Some modes of a compact layout (injective) and the cosize of the whole."""
    whole = el.flatten(draw(compact_layouts()))
    modes = list(whole)
    keep = draw(st.lists(st.booleans(), min_size=len(modes), max_size=len(modes)))
    kept = [m for m, k in zip(modes, keep, strict=True) if k] or modes[:1]
    return el.make_layout(*kept), whole.size()


def values(layout):
    return [layout(i) for i in range(el.size(layout))]


def is_bijection(layout, n):
    return sorted(values(layout)) == list(range(n))


@LAWS
@given(layouts(), layouts(max_size=32))
def test_composition_is_function_composition(a, b):
    if el.cosize(b) > el.size(a):  # CuTe's law holds where b stays inside a's domain
        return
    try:
        r = el.composition(a, b)
    except EnigmaError as e:
        assert "divisibility condition" in str(e)
        return
    assert it.is_compatible(b.shape, r.shape) or el.size(r) == el.size(b)
    assert [r(i) for i in range(el.size(b))] == [a(b(i)) for i in range(el.size(b))]


@LAWS
@given(layouts())
def test_coalesce_keeps_the_function(a):
    c = el.coalesce(a)
    assert el.size(c) == el.size(a) and el.depth(c) <= 1
    assert values(c) == values(a)
    if isinstance(a.shape, tuple):
        by_mode = el.coalesce(a, (1,) * len(a.shape))
        assert el.rank(by_mode) == el.rank(a) and values(by_mode) == values(a)


@LAWS
@given(sublayouts())
def test_complement_completes_the_codomain(case):
    a, cotarget = case
    c = el.complement(a, cotarget)
    assert set(values(a)) & set(values(c)) == {0}
    assert is_bijection(el.make_layout(a, c), cotarget)
    assert values(c) == sorted(values(c))  # ordered


@LAWS
@given(layouts())
def test_right_inverse_inverts(a):
    r = el.right_inverse(a)
    assert [a(r(i)) for i in range(el.size(r))] == list(range(el.size(r)))


@LAWS
@given(sublayouts())
def test_left_inverse_inverts(case):
    a, _ = case
    left = el.left_inverse(a)
    assert [left(a(i)) for i in range(el.size(a))] == list(range(el.size(a)))


@LAWS
@given(compact_layouts(), st.sampled_from((1, 2, 4, 8)))
def test_divide_is_a_permutation_of_the_layout(a, tile):
    # CuTe rounds the rest mode up mode by mode: the size is kept when the tile divides evenly.
    if it.product(it.ceil_div(a.shape, tile)) * tile != el.size(a) or not _divides(a, tile):
        return
    for divide in (el.logical_divide, el.zipped_divide, el.tiled_divide, el.flat_divide):
        d = divide(a, el.Layout(tile))
        assert el.size(d) == el.size(a)
        assert is_bijection(d, el.size(a))


def _divides(a, tile):
    try:
        el.logical_divide(a, tile)
    except EnigmaError:
        return False
    return True


@LAWS
@given(compact_layouts(max_size=16), compact_layouts(max_size=8))
def test_products_are_bijections(a, b):
    n = el.size(a) * el.size(b)
    assert is_bijection(el.logical_product(a, b), n)
    assert is_bijection(el.zipped_product(a, b), n)
    for product in (el.blocked_product, el.raked_product):
        p = product(a, b)
        assert el.size(p) == n and is_bijection(p, n)
        assert el.rank(p) == max(el.rank(a), el.rank(b))


@LAWS
@given(compact_layouts(max_size=32), compact_layouts(max_size=8))
def test_tv_layout_covers_the_tile(thr, val):
    tiler, tv = el.make_layout_tv(thr, val)
    assert el.size(tv) == el.size(thr) * el.size(val) == it.product(tiler)
    assert is_bijection(tv, it.product(tiler))
