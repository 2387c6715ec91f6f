"""SIMD-group functions (32 lanes) on the cpu device, against numpy references.

Each kernel groups many functions so that one clang build covers them. The
reference computes, for each SIMD-group (32 consecutive linear thread indices
of a threadgroup) and its active lanes, what Metal defines. Integer results
are exact (wrapping as Metal's do); float sums and products are accumulated in
lane order on the cpu device, so the tolerance is that of float32/float16
accumulation over 32 terms (stated per test). Shuffles are only checked where
Metal defines the result (the source lane exists and is active).
"""

import numpy as np
import pytest

import enigma
from enigma import f16, f32, i8, i16, i32, u16, u32

RNG = np.random.default_rng(7)
W = 32


def run(kernel, *arrays, n, threads):
    enigma.compile(kernel)(*arrays, grid=(n, 1, 1), threads=(threads, 1, 1), device="cpu")


def groups(n, threads, width=W):
    """Index arrays of each lane group (SIMD-group or quad) of a 1-D dispatch."""
    out = []
    for start in range(0, n, threads):
        size = min(threads, n - start)
        for g in range(0, size, width):
            out.append(np.arange(start + g, start + min(g + width, size)))
    return out


def reduce_ref(x, fn, n, threads, width=W, active=None):
    """Every active lane gets fn over the active lanes of its group."""
    out = np.zeros_like(x)
    for idx in groups(n, threads, width):
        sel = idx if active is None else idx[active[idx]]
        if len(sel):
            out[sel] = fn(x[sel])
    return out


def scan_ref(x, fn, identity, inclusive, n, threads, width=W, active=None):
    out = np.zeros_like(x)
    for idx in groups(n, threads, width):
        sel = idx if active is None else idx[active[idx]]
        acc = identity
        for i in sel:
            if inclusive:
                acc = fn(acc, x[i])
                out[i] = acc
            else:
                out[i] = acc
                acc = fn(acc, x[i])
    return out


@enigma.kernel
def reductions_i32(x: i32, s: i32, p: i32, mn: i32, mx: i32, a: i32, o: i32, xo: i32):
    i = enigma.thread_position_in_grid
    v = x[i]
    s[i] = enigma.simd_sum(v)
    p[i] = enigma.simd_product(v)
    mn[i] = enigma.simd_min(v)
    mx[i] = enigma.simd_max(v)
    a[i] = enigma.simd_and(v)
    o[i] = enigma.simd_or(v)
    xo[i] = enigma.simd_xor(v)


def _wrap(v, dtype):
    return np.array(v, dtype=np.int64).astype(dtype)


@pytest.mark.parametrize("n, threads", [(64, 64), (40, 40), (100, 64)])
def test_integer_reductions_full_and_partial_simdgroups(n, threads):
    # 40 threads: a SIMD-group of 32 lanes and one of 8; 100 in groups of 64: partial groups.
    info = np.iinfo(np.int32)
    x = RNG.integers(-9, 10, n).astype(np.int32)
    x[:3] = [info.min, info.max, -1]  # int min/max: sums and products wrap
    outs = [np.zeros(n, np.int32) for _ in range(7)]
    run(reductions_i32, x, *outs, n=n, threads=threads)
    x64 = x.astype(np.int64)
    refs = [
        reduce_ref(x64, lambda v: v.sum(), n, threads),
        reduce_ref(x64, lambda v: np.prod(v.astype(object)) % 2**32, n, threads),
        reduce_ref(x64, np.min, n, threads),
        reduce_ref(x64, np.max, n, threads),
        reduce_ref(x64, np.bitwise_and.reduce, n, threads),
        reduce_ref(x64, np.bitwise_or.reduce, n, threads),
        reduce_ref(x64, np.bitwise_xor.reduce, n, threads),
    ]
    for out, ref in zip(outs, refs, strict=True):
        np.testing.assert_array_equal(out, _wrap(ref, np.int32))


@enigma.kernel
def reductions_u32(x: u32, mn: u32, mx: u32, s: u32):
    i = enigma.thread_position_in_grid
    mn[i] = enigma.simd_min(x[i])
    mx[i] = enigma.simd_max(x[i])
    s[i] = enigma.simd_sum(x[i])


def test_unsigned_min_max_compare_unsigned():
    n = 64
    x = RNG.integers(0, 2**32, n, dtype=np.uint32)
    x[5] = 0xFFFFFFFF  # would be -1 if compared signed
    x[40] = 0
    mn, mx, s = (np.zeros(n, np.uint32) for _ in range(3))
    run(reductions_u32, x, mn, mx, s, n=n, threads=64)
    np.testing.assert_array_equal(mn, reduce_ref(x, np.min, n, 64))
    np.testing.assert_array_equal(mx, reduce_ref(x, np.max, n, 64))
    ref = reduce_ref(x.astype(np.uint64), lambda v: v.sum() % 2**32, n, 64)
    np.testing.assert_array_equal(s, ref.astype(np.uint32))


@enigma.kernel
def scans_f32(x: f32, es: f32, is_: f32, ep: f32, ip: f32):
    i = enigma.thread_position_in_grid
    v = x[i]
    es[i] = enigma.simd_prefix_exclusive_sum(v)
    is_[i] = enigma.simd_prefix_inclusive_sum(v)
    ep[i] = enigma.simd_prefix_exclusive_product(v)
    ip[i] = enigma.simd_prefix_inclusive_product(v)


def test_float_prefix_scans():
    n, threads = 72, 72  # 32 + 32 + 8 lanes
    x = RNG.uniform(0.5, 1.5, n).astype(np.float32)
    outs = [np.zeros(n, np.float32) for _ in range(4)]
    run(scans_f32, x, *outs, n=n, threads=threads)
    x64 = x.astype(np.float64)
    add, mul = (lambda a, b: a + b), (lambda a, b: a * b)
    refs = [
        scan_ref(x64, add, 0.0, False, n, threads),
        scan_ref(x64, add, 0.0, True, n, threads),
        scan_ref(x64, mul, 1.0, False, n, threads),
        scan_ref(x64, mul, 1.0, True, n, threads),
    ]
    for out, ref in zip(outs, refs, strict=True):
        # float32 accumulation over at most 32 terms: ~32 ulps.
        np.testing.assert_allclose(out, ref, rtol=4e-6 * 32)


@enigma.kernel
def float_reductions(x: f32, h: f16, s: f32, mn: f32, mx: f32, hs: f16, hmn: f16, hmx: f16):
    i = enigma.thread_position_in_grid
    s[i] = enigma.simd_sum(x[i])
    mn[i] = enigma.simd_min(x[i])
    mx[i] = enigma.simd_max(x[i])
    hs[i] = enigma.simd_sum(h[i])
    hmn[i] = enigma.simd_min(h[i])
    hmx[i] = enigma.simd_max(h[i])


def test_float_and_half_reductions_with_edge_values():
    n = 96
    x = RNG.standard_normal(n).astype(np.float32)
    x[0], x[1] = np.nan, -np.inf  # group 0: min/max ignore NaN (fmin/fmax); sum is NaN
    x[33], x[34] = np.inf, -0.0  # group 1: max is +inf
    x[64:96] = -0.0  # group 2: a sum of -0.0 stays -0.0
    h = RNG.integers(-4, 5, n).astype(np.float16)  # integer-valued: exact half sums
    h[64:96] = np.float16(2.0**-24)  # the smallest half denormal: its sums are exact too
    outs = [np.zeros(n, np.float32) for _ in range(3)] + [np.zeros(n, np.float16) for _ in range(3)]
    run(float_reductions, x, h, *outs, n=n, threads=96)
    s, mn, mx, hs, hmn, hmx = outs
    assert np.isnan(s[:32]).all()
    np.testing.assert_allclose(s[32:64], np.float64(x[32:64]).sum(), rtol=1e-5)  # 32-term sum
    assert np.signbit(s[64:]).all() and (s[64:] == 0).all()
    np.testing.assert_array_equal(mn, reduce_ref(x, np.nanmin, n, 96))
    np.testing.assert_array_equal(mx, reduce_ref(x, np.nanmax, n, 96))
    np.testing.assert_array_equal(hs, reduce_ref(h.astype(np.float64), np.sum, n, 96))
    np.testing.assert_array_equal(hmn, reduce_ref(h, np.min, n, 96))
    np.testing.assert_array_equal(hmx, reduce_ref(h, np.max, n, 96))


@enigma.kernel
def shuffles(x: f32, d: u32, sh: f32, up: f32, dn: f32, xr: f32, bc: f32, rot: f32):
    i = enigma.thread_position_in_grid
    lane = enigma.thread_index_in_simdgroup()
    v = x[i]
    k = d[0]
    sh[i] = enigma.simd_shuffle(v, (lane + k) & 31)
    up[i] = enigma.simd_shuffle_up(v, k)
    dn[i] = enigma.simd_shuffle_down(v, k)
    xr[i] = enigma.simd_shuffle_xor(v, k & 31)
    bc[i] = enigma.simd_broadcast(v, 7)
    rot[i] = enigma.simd_shuffle(v, 31 - lane)


@pytest.mark.parametrize("delta", [0, 1, 5, 16, 31, 32, 40])
def test_shuffles_with_edge_deltas(delta):
    n = 64
    x = RNG.standard_normal(n).astype(np.float32)
    outs = [np.zeros(n, np.float32) for _ in range(6)]
    run(shuffles, x, np.array([delta], np.uint32), *outs, n=n, threads=64)
    sh, up, dn, xr, bc, rot = outs
    lane = np.arange(n) % W
    base = np.arange(n) - lane
    np.testing.assert_array_equal(sh, x[base + (lane + delta) % W])
    # shuffle_up/down: lanes without a source keep their own value (Metal defines this).
    np.testing.assert_array_equal(up, np.where(lane >= delta, x[base + (lane - delta) % W], x))
    np.testing.assert_array_equal(dn, np.where(lane + delta < W, x[base + (lane + delta) % W], x))
    np.testing.assert_array_equal(xr, x[base + (lane ^ (delta & 31))])
    np.testing.assert_array_equal(bc, x[base + 7])
    np.testing.assert_array_equal(rot, x[base + 31 - lane])


@enigma.kernel
def divergent(x: i32, inside: i32, after: i32, pre: i32, sh: i32):
    i = enigma.thread_position_in_grid
    lane = enigma.thread_index_in_simdgroup()
    v = x[i]
    with enigma.if_(lane < 5):
        inside[i] = enigma.simd_sum(v)
        pre[i] = enigma.simd_prefix_inclusive_sum(v)
    with enigma.if_(lane % 2 == 1):
        sh[i] = enigma.simd_shuffle_down(v, 2)  # reads odd lanes only: defined
    after[i] = enigma.simd_sum(v)


def test_inactive_lanes_do_not_take_part():
    n = 40  # a partial second SIMD-group of 8 lanes
    x = RNG.integers(-100, 100, n).astype(np.int32)
    inside, after, pre, sh = (np.zeros(n, np.int32) for _ in range(4))
    run(divergent, x, inside, after, pre, sh, n=n, threads=40)
    lane = np.arange(n) % W
    active = lane < 5
    ref = reduce_ref(x, np.sum, n, 40, active=active)
    np.testing.assert_array_equal(inside[active], ref[active])
    np.testing.assert_array_equal(inside[~active], 0)
    ref = scan_ref(x, lambda a, b: a + b, 0, True, n, 40, active=active)
    np.testing.assert_array_equal(pre[active], ref[active])
    np.testing.assert_array_equal(after, reduce_ref(x, np.sum, n, 40))
    odd = lane % 2 == 1
    src = np.arange(n) + 2
    ok = odd & (lane + 2 < W) & (src < n)  # the source exists (partial group) and is active
    np.testing.assert_array_equal(sh[ok], x[src[ok]])


@enigma.kernel
def per_lane_loops(trips: i32, counts: i32, last: i32, total: i32):
    i = enigma.thread_position_in_grid
    with enigma.for_range(0, trips[i], init=[0, 0]) as (k, carry):
        carry[0] = carry[0] + enigma.simd_sum(1)  # lanes still looping at this iteration
        carry[1] = enigma.simd_max(k)
    counts[i] = carry[0]
    last[i] = carry[1]
    total[i] = enigma.simd_sum(trips[i])


def test_loops_with_per_lane_trip_counts():
    n = 64
    trips = RNG.integers(0, 6, n).astype(np.int32)
    counts, last, total = (np.zeros(n, np.int32) for _ in range(3))
    run(per_lane_loops, trips, counts, last, total, n=n, threads=64)
    for idx in groups(n, 64):
        t = trips[idx]
        for lane_i, ti in zip(idx, t, strict=True):
            # At iteration k the active lanes are those with trips > k.
            assert counts[lane_i] == sum(int((t > k).sum()) for k in range(ti))
            if ti:
                assert last[lane_i] == ti - 1
        np.testing.assert_array_equal(total[idx], t.sum())


@enigma.kernel
def block_sum(x: f32, out: f32):
    i = enigma.thread_position_in_grid
    sg = enigma.simdgroup_index_in_threadgroup()
    lane = enigma.thread_index_in_simdgroup()
    partial = enigma.threadgroup_alloc(f32, 32)
    s = enigma.simd_sum(x[i])
    with enigma.if_(lane == 0):
        partial[sg] = s
    enigma.barrier()
    with enigma.if_(sg == 0):
        count = enigma.simdgroups_per_threadgroup()
        v = enigma.where(0.0, partial[enigma.imin(lane, count - 1)], lane < count)
        total = enigma.simd_sum(v)
        with enigma.if_(lane == 0):
            out[enigma.threadgroup_position_in_grid()] = total


def test_threadgroup_reduction_with_simd_sum_and_barrier():
    n, threads = 1000, 256  # the last threadgroup has 232 threads: 7 full groups + 8 lanes
    x = RNG.integers(-50, 50, n).astype(np.float32)  # integer-valued: exact float sums
    out = np.zeros(4, np.float32)
    run(block_sum, x, out, n=n, threads=threads)
    np.testing.assert_array_equal(out, [x[g : g + threads].sum() for g in range(0, n, threads)])


@enigma.kernel
def small_types(c: i8, s: i16, us: u16, h: f16, cs: i8, ss: i16, uss: u16, hs: f16, ca: i8):
    i = enigma.thread_position_in_grid
    cs[i] = enigma.simd_shuffle_xor(c[i], 1)
    ss[i] = enigma.simd_sum(s[i])
    uss[i] = enigma.simd_max(us[i])
    hs[i] = enigma.simd_broadcast(h[i], 3)
    ca[i] = enigma.simd_or(c[i])


def test_char_short_and_half():
    n = 32
    c = RNG.integers(-128, 128, n).astype(np.int8)
    s = RNG.integers(-(2**15), 2**15, n).astype(np.int16)
    us = RNG.integers(0, 2**16, n).astype(np.uint16)
    us[3] = 0xFFFF
    h = RNG.standard_normal(n).astype(np.float16)
    outs = [np.zeros(n, a.dtype) for a in (c, s, us, h, c)]
    run(small_types, c, s, us, h, *outs, n=n, threads=32)
    cs, ss, uss, hs, ca = outs
    np.testing.assert_array_equal(cs, c[np.arange(n) ^ 1])
    np.testing.assert_array_equal(ss, np.full(n, s.astype(np.int64).sum()).astype(np.int16))
    np.testing.assert_array_equal(uss, 0xFFFF)
    np.testing.assert_array_equal(hs, h[3])
    np.testing.assert_array_equal(ca, np.bitwise_or.reduce(c))


def test_emitted_msl_is_plain_metal():
    msl = enigma.compile(shuffles, emit_only=True).metal_source
    assert "simd_shuffle_up(" in msl and "simd_broadcast(" in msl
    msl = enigma.compile(reductions_u32, emit_only=True).metal_source
    assert "simd_min(" in msl


def _trace_error(body, match):
    @enigma.kernel
    def bad(x: f32, y: i32, b: enigma.b1):
        body(x, y, b)

    with pytest.raises(enigma.EnigmaError, match=match) as info:
        enigma.compile(bad)
    assert "test_simd.py" in str(info.value)


def test_errors():
    _trace_error(lambda x, y, b: enigma.simd_and(x[0]), r"simd_and takes .* not `float`")
    _trace_error(lambda x, y, b: enigma.simd_sum(b[0]), r"simd_sum takes .* not `bool`")
    _trace_error(lambda x, y, b: enigma.simd_shuffle(x[0], 1.5), r"must be an integer")
    _trace_error(lambda x, y, b: enigma.simd_shuffle(x[0], x[0]), r"scalar integer")
    _trace_error(lambda x, y, b: enigma.simd_sum(x), r"is a buffer")
    with pytest.raises(enigma.EnigmaError, match="inside an @enigma.kernel"):
        enigma.simd_sum(1.0)
