"""The layout algebra against pycute (the reference implementation in the nvidia-cutlass wheel).

Thousands of generated layouts (row-major, column-major, permuted, arbitrary strides with
broadcasts, nested modes): every result must have exactly pycute's shape and stride, and every
layout must compute pycute's function. Where pycute departs from CuTe C++, Enigma follows C++;
those cases are filtered by the predicates below and pinned with exact C++ results in
test_layout_algebra.py:
- C++ composes with the lhs extended past its size (coalesce_x): a tile larger than the mode
  it divides keeps walking the last stride; pycute collapses a size-1 lhs to stride 0.
- C++ gives size-1 modes stride 0 (compact_major; bw_coalesce returns 1:0); pycute keeps
  the stride. Compared here with strides of size-1 leaves zeroed on both sides.
- C++ rejects (static_assert) compositions that break the shape/stride divisibility
  conditions and complements of non-injective layouts; pycute returns a wrong or shape-0
  layout. Enigma raises EnigmaError.
- right_inverse: C++ follows the stride chain from stride 1 ignoring broadcast modes;
  pycute stops at the first stride-0 mode.
- tiled_divide/tiled_product keep a rank-1 rest mode nested as C++'s slice does.
- pycute's logical_product with an int tiler divides instead of multiplying.
"""

import random

import pycute as pc

import enigma.layout as el
from enigma.errors import EnigmaError
from enigma.layout import int_tuple as it

SIZES = (1, 2, 3, 4, 6, 8)


def gen_shape(rng, depth=2):
    if depth == 0 or rng.random() < 0.45:
        return rng.choice(SIZES)
    return tuple(gen_shape(rng, depth - 1) for _ in range(rng.randint(1, 3)))


def gen_layout(rng, max_size=128):
    while True:
        shape = gen_shape(rng)
        if it.product(shape) <= max_size:
            break
    kind = rng.random()
    flat = it.flatten(shape)
    if kind < 0.4:  # a compact layout in a random mode order: injective
        order = list(range(len(flat)))
        rng.shuffle(order)
        strides, acc = [0] * len(flat), 1
        for i in order:
            strides[i], acc = acc, acc * flat[i]
        stride = it.unflatten(strides, shape)
    elif kind < 0.55:
        stride = it.compact_row_major(shape)
    else:
        stride = it.unflatten([rng.choice((0, 1, 2, 3, 4, 5, 8, 12, 16)) for _ in flat], shape)
    return el.Layout(shape, stride), pc.Layout(shape, stride)


def norm(layout):
    """(shape, stride) with the strides of size-1 leaves zeroed."""
    shape, stride = layout.shape, layout.stride
    if isinstance(shape, tuple) != isinstance(stride, tuple):
        return shape, stride
    return shape, it.transform_leaf(lambda s, d: 0 if s == 1 else d, shape, stride)


def values(layout):
    return [layout(i) for i in range(it.product(layout.shape))]


def outcome(fn):
    try:
        return fn()
    except (EnigmaError, AssertionError, ZeroDivisionError) as e:
        return e


def compare(counts, name, mine_args, ref_args, op=None):
    """Enigma's `op` and pycute's on the same inputs: both raise, or both give the same shape,
    stride and function."""
    op = op or name
    mine = outcome(lambda: getattr(el, op)(*mine_args))
    ref = outcome(lambda: getattr(pc, op)(*ref_args))
    if isinstance(mine, Exception):
        assert isinstance(mine, EnigmaError), mine
        counts[name + " rejected"] = counts.get(name + " rejected", 0) + 1
        return
    where = f"{op}{tuple(mine_args)}"
    assert not isinstance(ref, Exception), f"{where}: pycute raised {ref!r}, Enigma gave {mine}"
    assert norm(mine) == norm(ref), f"{where}: Enigma {mine} vs pycute {ref}"
    assert values(mine) == values(ref), f"{where}: functions differ for {mine}"
    counts[name] = counts.get(name, 0) + 1


def in_domain(lhs, rhs) -> bool:
    """rhs stays inside lhs's domain, and lhs has no size-1 modes whose extension C++ keeps."""
    return el.cosize(rhs) <= lhs.size() and 1 not in it.flatten(lhs.shape)


def same_rest(shape, tiler) -> bool:
    """C++ rounds the rest mode up mode by mode (complement against shape(layout)); pycute
    against size(layout). They agree when both roundings give the same count."""
    t = el.Layout(tiler) if isinstance(tiler, int) else tiler
    step = max(1, *(s * d for s, d in zip(it.flatten(t.shape), it.flatten(t.stride), strict=True)))
    return it.product(it.ceil_div(shape, step)) == -(-it.product(shape) // step)


def test_layouts_agree_with_pycute():
    rng = random.Random(2024)
    counts = {}
    for _ in range(1000):
        a, pa = gen_layout(rng)
        b, pb = gen_layout(rng, max_size=64)
        assert values(a) == values(pa)
        assert el.cosize(a) == pc.cosize(pa)
        assert el.idx2crd(7, a.shape) == pc.idx2crd(7, pa.shape)
        compare(counts, "coalesce", (a,), (pa,))
        if isinstance(a.shape, tuple):
            prof = (1,) * len(a.shape)
            compare(counts, "by-mode", (a, prof), (pa, prof), "coalesce")
        compare(counts, "filter", (a,), (pa,))
        if in_domain(a, b):
            compare(counts, "composition", (a, b), (pa, pb))
        cotarget = rng.choice((1, 8, 24, 64, 100, 128))
        if len(set(values(a))) == a.size():  # injective: C++ and pycute walk the same strides
            compare(counts, "complement", (a, cotarget), (pa, cotarget))
            compare(counts, "right_inverse", (a,), (pa,))
            compare(counts, "left_inverse", (a,), (pa,))
        tiler = rng.choice((2, 4, el.Layout(2, 2), el.Layout((2, 2), (1, 4))))
        ptiler = tiler if isinstance(tiler, int) else pc.Layout(tiler.shape, tiler.stride)
        if 1 not in it.flatten(a.shape) and same_rest(a.shape, tiler):
            compare(counts, "logical_divide", (a, tiler), (pa, ptiler))
            compare(counts, "zipped_divide", (a, tiler), (pa, ptiler))
        if isinstance(a.shape, tuple) and 1 not in it.flatten(a.shape):
            tt = tuple(rng.choice((1, 2, 4)) for _ in a.shape[: rng.randint(1, len(a.shape))])
            if all(same_rest(m, t) for m, t in zip(a.shape, tt, strict=False)):
                compare(counts, "by-mode divide", (a, tt), (pa, tt), "zipped_divide")
        if el.size(a) * el.cosize(b) <= 4096:
            compare(counts, "logical_product", (a, b), (pa, pb))
    # The comparisons really ran (not just rejections).
    for name in ("coalesce", "composition", "complement", "right_inverse", "by-mode divide"):
        assert counts.get(name, 0) > 200, counts
