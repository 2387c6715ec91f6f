"""Layouts evaluated on traced kernel values, run on the cpu device against numpy.

One kernel computes, per thread i: a nested layout at idx2crd(i, shape), the same layout
called on the index directly, a swizzled layout, and an identity layout's coordinates.
"""

import numpy as np

import enigma
from enigma import i32
from enigma.layout import Layout, Swizzle, composition, idx2crd, make_identity_layout

NESTED = Layout((4, (2, 3)), (6, (1, 24)))
SWIZZLED = composition(Swizzle(2, 1, 2), Layout((4, 6), (6, 1)))
IDENT = make_identity_layout((4, 6))
N = 24


@enigma.kernel
def evaluate(by_crd: i32, by_idx: i32, swz: i32, row: i32, col: i32):
    i = enigma.thread_position_in_grid
    by_crd[i] = NESTED(idx2crd(i, NESTED.shape))
    by_idx[i] = NESTED(i)
    swz[i] = SWIZZLED(i)
    r, c = IDENT(i)
    row[i] = r
    col[i] = c


def test_layouts_on_traced_indices():
    outs = [np.zeros(N, np.int32) for _ in range(5)]
    enigma.compile(evaluate)(*outs, grid=(N, 1, 1), threads=(8, 1, 1), device="cpu")
    expected = np.array([NESTED(k) for k in range(N)], np.int32)
    np.testing.assert_array_equal(outs[0], expected)
    np.testing.assert_array_equal(outs[1], expected)
    np.testing.assert_array_equal(outs[2], [SWIZZLED(k) for k in range(N)])
    np.testing.assert_array_equal(outs[3], np.arange(N) % 4)
    np.testing.assert_array_equal(outs[4], np.arange(N) // 4)


def test_static_parts_stay_out_of_the_ir():
    source = enigma.compile(evaluate, emit_only=True).metal_source
    for waste in (" * 1u;", " + 0u;", " % 1u;", " / 1u;"):
        assert waste not in source, source
    assert "v0 % 4u" in source  # the index is split once per mode, with static divisors
