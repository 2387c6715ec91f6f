"""Quad-group functions (4 lanes) on the cpu device, against numpy references.

A quad is 4 consecutive lanes of a SIMD-group. Reductions and scans combine
the active lanes of the caller's quad; shuffles read within the quad. Integer
inputs make every result exact (float sums of small integers are exact too),
so the tolerance is zero throughout.
"""

import numpy as np
import pytest

import enigma
from enigma import f32, i32, u32

RNG = np.random.default_rng(11)
Q = 4


def run(kernel, *arrays, n, threads):
    enigma.compile(kernel)(*arrays, grid=(n, 1, 1), threads=(threads, 1, 1), device="cpu")


@enigma.kernel
def quad_reductions(x: i32, s: i32, p: i32, mn: i32, mx: i32, a: i32, o: i32, xo: i32, es: i32,
                    is_: i32):  # fmt: skip
    i = enigma.thread_position_in_grid
    v = x[i]
    s[i] = enigma.quad_sum(v)
    p[i] = enigma.quad_product(v)
    mn[i] = enigma.quad_min(v)
    mx[i] = enigma.quad_max(v)
    a[i] = enigma.quad_and(v)
    o[i] = enigma.quad_or(v)
    xo[i] = enigma.quad_xor(v)
    es[i] = enigma.quad_prefix_exclusive_sum(v)
    is_[i] = enigma.quad_prefix_inclusive_sum(v)


def test_quad_reductions_and_scans():
    n = 42  # a partial last quad of 2 lanes (lanes 40, 41)
    x = RNG.integers(-20, 20, n).astype(np.int32)
    x[0] = np.iinfo(np.int32).max  # wraps in the sum
    outs = [np.zeros(n, np.int32) for _ in range(9)]
    run(quad_reductions, x, *outs, n=n, threads=n)
    s, p, mn, mx, a, o, xo, es, is_ = outs
    for q in range(0, n, Q):
        v = x[q : q + Q].astype(np.int64)
        sl = slice(q, q + Q)
        np.testing.assert_array_equal(s[sl], np.int64(v.sum()).astype(np.int32))
        np.testing.assert_array_equal(p[sl], np.array(np.prod(v) % 2**32).astype(np.int32))
        np.testing.assert_array_equal(mn[sl], v.min())
        np.testing.assert_array_equal(mx[sl], v.max())
        np.testing.assert_array_equal(a[sl], np.bitwise_and.reduce(v))
        np.testing.assert_array_equal(o[sl], np.bitwise_or.reduce(v))
        np.testing.assert_array_equal(xo[sl], np.bitwise_xor.reduce(v))
        incl = np.cumsum(v)
        np.testing.assert_array_equal(is_[sl], incl.astype(np.int32))
        np.testing.assert_array_equal(es[sl], (incl - v).astype(np.int32))


@enigma.kernel
def quad_shuffles(x: f32, d: u32, sh: f32, up: f32, dn: f32, xr: f32, bc: f32):
    i = enigma.thread_position_in_grid
    lane = enigma.thread_index_in_simdgroup()
    v = x[i]
    k = d[0]
    sh[i] = enigma.quad_shuffle(v, (lane + k) & 3)
    up[i] = enigma.quad_shuffle_up(v, k)
    dn[i] = enigma.quad_shuffle_down(v, k)
    xr[i] = enigma.quad_shuffle_xor(v, k & 3)
    bc[i] = enigma.quad_broadcast(v, 2)


@pytest.mark.parametrize("delta", [0, 1, 3, 4, 9])
def test_quad_shuffles_with_edge_deltas(delta):
    n = 64
    x = RNG.standard_normal(n).astype(np.float32)
    outs = [np.zeros(n, np.float32) for _ in range(5)]
    run(quad_shuffles, x, np.array([delta], np.uint32), *outs, n=n, threads=n)
    sh, up, dn, xr, bc = outs
    q = np.arange(n) % Q
    base = np.arange(n) - q
    np.testing.assert_array_equal(sh, x[base + (q + delta) % Q])
    # Lanes with no source inside their quad keep their own value.
    np.testing.assert_array_equal(up, np.where(q >= delta, x[base + (q - delta) % Q], x))
    np.testing.assert_array_equal(dn, np.where(q + delta < Q, x[base + (q + delta) % Q], x))
    np.testing.assert_array_equal(xr, x[base + (q ^ (delta & 3))])
    np.testing.assert_array_equal(bc, x[base + 2])


@enigma.kernel
def quad_divergent(x: u32, s: u32, mx: u32):
    i = enigma.thread_position_in_grid
    lane = enigma.thread_index_in_simdgroup()
    with enigma.if_(lane % 4 != 3):
        s[i] = enigma.quad_sum(x[i])
    mx[i] = enigma.quad_max(x[i])


def test_quad_inactive_lanes_and_unsigned():
    n = 32
    x = RNG.integers(0, 1000, n).astype(np.uint32)
    x[6] = 0xFFFFFFFF
    s, mx = np.zeros(n, np.uint32), np.zeros(n, np.uint32)
    run(quad_divergent, x, s, mx, n=n, threads=n)
    for q in range(0, n, Q):
        v = x[q : q + Q].astype(np.uint64)
        np.testing.assert_array_equal(s[q : q + 3], np.uint32(v[:3].sum() % 2**32))
        assert s[q + 3] == 0
        np.testing.assert_array_equal(mx[q : q + Q], v.max())


def test_quad_has_no_prefix_products():
    assert not hasattr(enigma, "quad_prefix_exclusive_product")
    assert not hasattr(enigma, "quad_prefix_inclusive_product")


def test_quad_errors():
    @enigma.kernel
    def bad(x: f32):
        x[0] = enigma.quad_xor(x[0])

    with pytest.raises(enigma.EnigmaError, match=r"quad_xor takes .* not `float`") as info:
        enigma.compile(bad)
    assert "test_quad.py" in str(info.value)
