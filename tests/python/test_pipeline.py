"""End to end: trace -> C++ core -> MSL -> cpu device, checked against numpy.

The issue-2 slice of the kernel language, each case run on the `cpu` device
with a float64 (or exact integer) numpy reference.
"""

import numpy as np
import pytest

import enigma
from enigma import Scalar, bf16, f16, f32, i32, u32

RNG = np.random.default_rng(1234)


def run(kernel, *arrays, grid, threads):
    enigma.compile(kernel)(*arrays, grid=grid, threads=threads, device="cpu")


@enigma.kernel
def add_f32(a: f32, b: f32, c: f32):
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


@enigma.kernel
def add_f16(a: f16, b: f16, c: f16):
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


@enigma.kernel
def add_bf16(a: bf16, b: bf16, c: bf16):
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


@enigma.kernel
def add_i32(a: i32, b: i32, c: i32):
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


@enigma.kernel
def add_u32(a: u32, b: u32, c: u32):
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


@pytest.mark.parametrize(
    "kernel, np_dtype, tol",
    [
        (add_f32, np.float32, 1e-6),
        (add_f16, np.float16, 1e-3),
        (add_i32, np.int32, 0),
        (add_u32, np.uint32, 0),
    ],
)
def test_vector_add(kernel, np_dtype, tol):
    n = 1000
    if np.issubdtype(np_dtype, np.floating):
        a = RNG.standard_normal(n).astype(np_dtype)
        b = RNG.standard_normal(n).astype(np_dtype)
    else:
        info = np.iinfo(np_dtype)
        a = RNG.integers(info.min, info.max, n, dtype=np_dtype)
        b = RNG.integers(info.min, info.max, n, dtype=np_dtype)
    c = np.zeros(n, np_dtype)
    run(kernel, a, b, c, grid=(n, 1, 1), threads=(128, 1, 1))
    if tol:
        ref = a.astype(np.float64) + b.astype(np.float64)
        # f16 results are rounded once: relative error within half an ulp.
        np.testing.assert_allclose(c.astype(np.float64), ref, rtol=tol, atol=tol)
    else:
        np.testing.assert_array_equal(c, a + b)  # wraps modulo 2^32 like Metal


def test_vector_add_bf16():
    n = 777
    a32, b32 = RNG.standard_normal(n).astype(np.float32), RNG.standard_normal(n).astype(np.float32)
    a = enigma.float_to_bfloat16_bits(a32)
    b = enigma.float_to_bfloat16_bits(b32)
    c = np.zeros(n, np.uint16)
    run(add_bf16, a, b, c, grid=(n, 1, 1), threads=(64, 1, 1))
    got = enigma.bfloat16_bits_to_float(c).astype(np.float64)
    ref = enigma.bfloat16_bits_to_float(a).astype(np.float64) + enigma.bfloat16_bits_to_float(b)
    # one bf16 rounding of the exact sum: relative error <= 2^-8
    np.testing.assert_allclose(got, ref, rtol=2**-8, atol=1e-30)


@enigma.kernel
def saxpy(x: f32, y: f32, out: f32, alpha: Scalar(f32), n: Scalar(u32)):
    i = enigma.thread_position_in_grid
    with enigma.if_(i < n):
        out[i] = alpha * x[i] + y[i]


def test_saxpy_scalar_and_bounds_check():
    n = 1000
    x, y = RNG.standard_normal(n).astype(np.float32), RNG.standard_normal(n).astype(np.float32)
    out = np.full(n + 24, -7.0, np.float32)  # the tail beyond n must stay untouched
    padded_x, padded_y = np.resize(x, n + 24), np.resize(y, n + 24)
    run(saxpy, padded_x, padded_y, out, 0.5, n, grid=(n + 24, 1, 1), threads=(256, 1, 1))
    np.testing.assert_allclose(out[:n], 0.5 * x.astype(np.float64) + y, rtol=1e-6, atol=1e-6)
    assert np.all(out[n:] == -7.0)


@enigma.kernel
def grid_2d(src: f32, dst: f32, width: Scalar(u32)):
    x = enigma.thread_position_in_grid_xyz("x")
    y = enigma.thread_position_in_grid_xyz("y")
    idx = y * width + x
    dst[idx] = src[idx] * 2.0 + enigma.metal_cast(y, f32)


def test_2d_grid():
    h, w = 37, 53
    src = RNG.standard_normal((h, w)).astype(np.float32)
    dst = np.zeros((h, w), np.float32)
    run(grid_2d, src, dst, w, grid=(w, h, 1), threads=(16, 8, 1))
    ref = src.astype(np.float64) * 2 + np.arange(h)[:, None]
    np.testing.assert_allclose(dst, ref, rtol=1e-6, atol=1e-6)


@enigma.kernel
def two_carries(out_sum: f32, out_prod: f32):
    i = enigma.thread_position_in_grid
    with enigma.for_range(1, 9, init=[0.0, 1.0]) as (k, acc):
        v = enigma.metal_cast(k, f32) * 0.5
        acc[0] = acc[0] + v
        acc[1] = acc[1] * v
    out_sum[i] = acc[0] + enigma.metal_cast(i, f32)
    out_prod[i] = acc[1]


def test_loop_with_two_carried_values():
    n = 40
    s, p = np.zeros(n, np.float32), np.zeros(n, np.float32)
    run(two_carries, s, p, grid=(n, 1, 1), threads=(32, 1, 1))
    ks = np.arange(1, 9) * 0.5
    np.testing.assert_allclose(s, ks.sum() + np.arange(n), rtol=1e-6)
    np.testing.assert_allclose(p, np.prod(ks), rtol=1e-6)


@enigma.kernel
def signed_unsigned(a: i32, b: i32, ua: u32, ub: u32, q: i32, uq: u32, lt: i32, ult: i32):
    i = enigma.thread_position_in_grid
    q[i] = a[i] / b[i]
    uq[i] = ua[i] / ub[i]
    lt[i] = enigma.where(0, 1, a[i] < b[i])
    ult[i] = enigma.where(0, 1, ua[i] < ub[i])


def test_unsigned_division_and_comparison():
    a = np.array([-7, 7, -8, 9, -1, 2**31 - 1], np.int32)
    b = np.array([2, -2, 3, -4, 1, -1], np.int32)
    ua, ub = a.view(np.uint32), b.view(np.uint32)
    n = len(a)
    q, uq, lt, ult = (np.zeros(n, d) for d in (np.int32, np.uint32, np.int32, np.int32))
    run(signed_unsigned, a, b, ua, ub, q, uq, lt, ult, grid=(n, 1, 1), threads=(n, 1, 1))
    np.testing.assert_array_equal(q, np.trunc(a / b).astype(np.int32))  # C truncation
    np.testing.assert_array_equal(uq, ua // ub)
    np.testing.assert_array_equal(lt, (a < b).astype(np.int32))
    np.testing.assert_array_equal(ult, (ua < ub).astype(np.int32))


@enigma.kernel
def branches(x: f32, out: f32):
    i = enigma.thread_position_in_grid
    v = x[i]
    with enigma.if_(v > 0.0) as (then_, else_):
        with then_:
            out[i] = v * 10.0
        with else_:
            out[i] = -v
    with enigma.if_(i == 0):
        out[i] = 123.0


def test_if_else():
    x = np.array([1.5, -2.0, 0.0, 3.0, -0.5], np.float32)
    out = np.zeros_like(x)
    run(branches, x, out, grid=(5, 1, 1), threads=(2, 1, 1))
    ref = np.where(x > 0, x * 10, -x)
    ref[0] = 123.0
    np.testing.assert_allclose(out, ref)


@enigma.kernel
def tg_reduce(x: f32, partial: f32):
    tid = enigma.thread_index_in_threadgroup()
    shared = enigma.threadgroup_alloc(f32, 256)
    shared[tid] = x[enigma.thread_position_in_grid]
    enigma.barrier()
    with enigma.for_range(0, 8) as level:
        stride = enigma.metal_cast(128 >> level, u32)
        with enigma.if_(tid < stride):
            shared[tid] = shared[tid] + shared[tid + stride]
        enigma.barrier(mem_flags="mem_threadgroup")
    with enigma.if_(tid == 0):
        partial[enigma.threadgroup_position_in_grid("x")] = shared[0]


def test_threadgroup_sum_reduction_with_barriers():
    groups = 24
    x = RNG.standard_normal(groups * 256).astype(np.float32)
    partial = np.zeros(groups, np.float32)
    run(tg_reduce, x, partial, grid=(groups * 256, 1, 1), threads=(256, 1, 1))
    ref = x.astype(np.float64).reshape(groups, 256).sum(axis=1)
    # a pairwise tree of 256 f32 additions: |error| <= log2(256) * 2^-24 * sum|x| per group
    bound = 8 * 2.0**-24 * np.abs(x.astype(np.float64)).reshape(groups, 256).sum(axis=1)
    assert np.all(np.abs(partial - ref) <= bound)


@enigma.kernel
def who_am_i(tpt: u32, tpos: u32, tg: u32, tgs: u32, lin: u32):
    i = enigma.thread_position_in_grid
    tpt[i] = enigma.threads_per_threadgroup("x")
    tpos[i] = enigma.thread_position_in_threadgroup("x")
    tg[i] = enigma.threadgroup_position_in_grid("x")
    tgs[i] = enigma.threadgroups_per_grid("x")
    lin[i] = enigma.thread_index_in_threadgroup()


def test_partial_last_threadgroup():
    n, t = 100, 32  # groups of 32, 32, 32 and a partial one of 4
    outs = [np.full(n + 8, 999, np.uint32) for _ in range(5)]
    run(who_am_i, *outs, grid=(n, 1, 1), threads=(t, 1, 1))
    tpt, tpos, tg, tgs, lin = (o[:n] for o in outs)
    idx = np.arange(n)
    np.testing.assert_array_equal(tpt, np.where(idx < 96, 32, 4))
    np.testing.assert_array_equal(tpos, idx % 32)
    np.testing.assert_array_equal(lin, idx % 32)
    np.testing.assert_array_equal(tg, idx // 32)
    np.testing.assert_array_equal(tgs, np.full(n, 4))
    for o in outs:  # threads beyond the grid do not exist
        assert np.all(o[n:] == 999)


@enigma.kernel
def collatz_steps(start: u32, steps: u32):
    i = enigma.thread_position_in_grid
    with enigma.while_(lambda c: c[0] != 1, init=[start[i], enigma.metal_cast(0, u32)]) as c:
        n = c[0]
        c[0] = enigma.where(n / 2, 3 * n + 1, (n & 1) == 1)
        c[1] = c[1] + 1
    steps[i] = c[1]


def test_while_loop_condition_reevaluated_with_carries():
    start = np.array([1, 2, 3, 6, 7, 27, 97, 871], np.uint32)
    steps = np.zeros_like(start)
    run(collatz_steps, start, steps, grid=(len(start), 1, 1), threads=(4, 1, 1))

    def ref(n):
        k = 0
        while n != 1:
            n = 3 * n + 1 if n & 1 else n // 2
            k += 1
        return k

    np.testing.assert_array_equal(steps, [ref(int(s)) for s in start])


QUERIES_3D = [
    ("tpig", lambda d: enigma.thread_position_in_grid_xyz(d)),
    ("tpitg", lambda d: enigma.thread_position_in_threadgroup(d)),
    ("tgpig", lambda d: enigma.threadgroup_position_in_grid(d)),
    ("tptg", lambda d: enigma.threads_per_threadgroup(d)),
    ("tpg", lambda d: enigma.threads_per_grid(d)),
    ("gs", lambda d: enigma.grid_size(d)),
    ("tgpg", lambda d: enigma.threadgroups_per_grid(d)),
    ("tidx", lambda d: enigma.arch.thread_idx(d)),
    ("bidx", lambda d: enigma.arch.block_idx(d)),
    ("bdim", lambda d: enigma.arch.block_dim(d)),
]
QUERIES_1D = [
    ("lin", enigma.thread_index_in_threadgroup),
    ("lane", enigma.thread_index_in_simdgroup),
    ("sg", enigma.simdgroup_index_in_threadgroup),
    ("tpsg", enigma.threads_per_simdgroup),
    ("sgptg", enigma.simdgroups_per_threadgroup),
]


@enigma.kernel
def all_queries(out: u32, width: Scalar(u32), height: Scalar(u32)):
    x = enigma.thread_position_in_grid_xyz("x")
    y = enigma.thread_position_in_grid_xyz("y")
    z = enigma.thread_position_in_grid_xyz("z")
    base = ((z * height + y) * width + x) * (3 * len(QUERIES_3D) + len(QUERIES_1D))
    slot = 0
    for _, query in QUERIES_3D:  # a Python loop: unrolled at trace time
        for d in ("x", "y", "z"):
            out[base + slot] = query(d)
            slot += 1
    for _, query in QUERIES_1D:
        out[base + slot] = query()
        slot += 1


def test_every_thread_and_grid_query_in_3d_with_partial_groups():
    grid, tg = (7, 5, 3), (4, 3, 2)  # partial groups in x (7 = 4 + 3), y (5 = 3 + 2), z (3 = 2 + 1)
    per_thread = 3 * len(QUERIES_3D) + len(QUERIES_1D)
    out = np.zeros(np.prod(grid) * per_thread, np.uint32)
    run(all_queries, out, grid[0], grid[1], grid=grid, threads=tg)
    got = out.reshape(grid[2], grid[1], grid[0], per_thread)
    for z in range(grid[2]):
        for y in range(grid[1]):
            for x in range(grid[0]):
                pos = (x, y, z)
                group = tuple(p // t for p, t in zip(pos, tg, strict=True))
                local = tuple(p % t for p, t in zip(pos, tg, strict=True))
                size = tuple(min(t, g - gi * t) for t, g, gi in zip(tg, grid, group, strict=True))
                groups = tuple(-(-g // t) for g, t in zip(grid, tg, strict=True))
                linear = local[0] + size[0] * (local[1] + size[1] * local[2])
                threads = size[0] * size[1] * size[2]
                expected = [
                    *pos,
                    *local,
                    *group,
                    *size,
                    *grid,
                    *grid,
                    *groups,
                    *local,
                    *group,
                    *size,
                    linear,
                    linear % 32,
                    linear // 32,
                    32,
                    -(-threads // 32),
                ]
                np.testing.assert_array_equal(got[z, y, x], expected, err_msg=f"thread {pos}")
