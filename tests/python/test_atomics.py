"""Atomics on the cpu device: real atomics across concurrently running threadgroups.

Each op is checked against a sequential numpy model where the result does not
depend on the order the threads ran in (totals, min/max, and/or/xor, the set
of values an exchange handed out); all integer results are exact (tolerance
0), and float sums use values whose partial sums are exact in float32, so
they are exact too. Misuse is an EnigmaError naming the user's line.
"""

import numpy as np
from tagged_errors import assert_trace_error

import enigma
from enigma import f16, f32, i32, u32

RNG = np.random.default_rng(7)
GROUPS, THREADS = 256, 256
N = GROUPS * THREADS


def wrap_i32(x: int) -> int:
    """`x` wrapped to int32, as 32-bit GPU integer arithmetic does."""
    return int(np.array([x % 2**32], np.uint32).view(np.int32)[0])


def run(kernel, *arrays, grid=(N, 1, 1), threads=(THREADS, 1, 1)):
    enigma.compile(kernel)(*arrays, grid=grid, threads=threads, device="cpu")


@enigma.kernel
def integer_updates(vs: i32, vu: u32, s: i32, u: u32, slots: u32):
    i = enigma.thread_position_in_grid
    slots[i] = enigma.atomic_fetch_add(u, 0, 1)  # a unique slot per thread
    enigma.atomic_fetch_sub(s, 0, vs[i])
    enigma.atomic_fetch_min(s, 1, vs[i])
    enigma.atomic_fetch_max(s, 2, vs[i])
    enigma.atomic_fetch_add(s, 3, vs[i])
    u.atomic_fetch_min(1, vu[i])  # the buffer-method spelling
    u.atomic_fetch_max(2, vu[i])
    u.atomic_fetch_and(3, vu[i])
    u.atomic_fetch_or(4, vu[i])
    u.atomic_fetch_xor(5, vu[i])
    u.atomic_fetch_sub(6, 3)


def test_many_threadgroups_hammer_one_counter_and_every_integer_update():
    # 256 threadgroups x 256 threads; edge values: int min/max, 0, -1, uint max.
    vs = RNG.integers(-(2**31), 2**31, N, dtype=np.int64).astype(np.int32)
    vs[:4] = [-(2**31), 2**31 - 1, 0, -1]
    vu = RNG.integers(0, 2**32, N, dtype=np.uint64).astype(np.uint32)
    vu[:3] = [0, 2**32 - 1, 1]
    vu[3 : N // 2] |= 1 << 31  # bit 31 set in most: signed min/max would differ
    s = np.array([5, 2**31 - 1, -(2**31), 0], np.int32)
    u = np.array([0, 2**32 - 1, 0, 2**32 - 1, 0, 0x12345678, 0], np.uint32)
    slots = np.zeros(N, np.uint32)
    run(integer_updates, vs, vu, s, u, slots)
    wide = vs.astype(np.int64)
    total = int(wide.sum())
    assert s[0] == wrap_i32(5 - total) and s[3] == wrap_i32(total)  # wrapping, as on the GPU
    assert (s[1], s[2]) == (vs.min(), vs.max())
    assert u[0] == N  # the exact total of 65536 concurrent increments
    assert np.array_equal(np.sort(slots), np.arange(N, dtype=np.uint32))
    assert (u[1], u[2]) == (vu.min(), vu.max())  # unsigned comparisons
    assert u[3] == np.bitwise_and.reduce(vu)
    assert u[4] == np.bitwise_or.reduce(vu)
    assert u[5] == np.bitwise_xor.reduce(vu) ^ 0x12345678
    assert u[6] == np.uint32((-3 * N) % 2**32)  # wraps below zero


@enigma.kernel
def exchange_and_cas(ids: i32, cell: i32, olds: i32, m: i32):
    i = enigma.thread_position_in_grid
    olds[i] = cell.atomic_exchange(0, ids[i])
    # A lock-free maximum: retry the compare-exchange until ours is stored or beaten.
    x = ids[i]
    with enigma.while_(lambda c: c[0] < x, init=[enigma.atomic_load(m, 0)]) as c:
        ok, old = enigma.atomic_compare_exchange_weak(m, 0, c[0], x)
        c[0] = enigma.where(old, x, ok)


def test_exchange_hands_out_every_value_once_and_cas_builds_a_maximum():
    n = 64 * 128
    ids = RNG.permutation(n).astype(np.int32) - n // 2
    cell = np.array([-(2**31)], np.int32)
    olds = np.zeros(n, np.int32)
    m = np.array([-(2**31)], np.int32)
    run(exchange_and_cas, ids, cell, olds, m, grid=(n, 1, 1), threads=(128, 1, 1))
    # Every value went in once and came out once (the initial one first, the last stays).
    assert sorted(olds.tolist() + [cell[0]]) == sorted(ids.tolist() + [-(2**31)])
    assert m[0] == ids.max()


@enigma.kernel
def threadgroup_histogram(keys: u32, signed_keys: i32, hist: u32, lows: i32):
    i = enigma.thread_position_in_grid
    t = enigma.thread_index_in_threadgroup()
    g = enigma.threadgroup_position_in_grid()
    bins = enigma.threadgroup_alloc(enigma.u32, 16)
    low = enigma.threadgroup_alloc(enigma.i32, 1)
    with enigma.if_(t < 16):
        bins[t] = 0
    with enigma.if_(t == 0):
        enigma.atomic_store(low, 0, 2**31 - 1)
    enigma.barrier()
    bins.atomic_fetch_add(keys[i] % 16, 1)
    enigma.atomic_fetch_min(low, 0, signed_keys[i], order="acq_rel")
    enigma.barrier()
    with enigma.if_(t < 16):
        hist[g * 16 + t] = bins[t]
    with enigma.if_(t == 0):
        lows[g] = enigma.atomic_load(low, 0, order="acquire")


def test_threadgroup_atomics_per_group():
    groups, threads = 32, 256
    keys = RNG.integers(0, 2**32, groups * threads, dtype=np.uint64).astype(np.uint32)
    signed = RNG.integers(-1000, 1000, groups * threads).astype(np.int32)
    signed[5] = -(2**31)
    hist = np.zeros(groups * 16, np.uint32)
    lows = np.zeros(groups, np.int32)
    run(threadgroup_histogram, keys, signed, hist, lows, grid=(groups * threads, 1, 1),
        threads=(threads, 1, 1))  # fmt: skip
    per_group = keys.reshape(groups, threads) % 16
    expect = np.stack([np.bincount(row, minlength=16) for row in per_group])
    assert np.array_equal(hist.reshape(groups, 16), expect)
    assert np.array_equal(lows, signed.reshape(groups, threads).min(axis=1))
    msl = enigma.compile(threadgroup_histogram).metal_source
    assert "threadgroup atomic_uint tg0[16];" in msl
    assert "atomic_fetch_add_explicit(&tg0[" in msl


@enigma.kernel
def float_atomics(v: f32, acc: f32, seen: f32):
    i = enigma.thread_position_in_grid
    enigma.atomic_fetch_add(acc, 0, v[i])
    acc.atomic_fetch_sub(1, v[i])
    enigma.atomic_fetch_add(acc, 2, enigma.where(1.0, float("inf"), i == 7))
    enigma.atomic_fetch_add(acc, 3, enigma.where(1.0, float("nan"), i == 9))
    with enigma.if_(i == 0):
        seen[0] = enigma.atomic_exchange(acc, 4, -0.0)
        seen[1] = enigma.atomic_load(acc, 5)
        enigma.atomic_store(acc, 6, 1e-45)  # a denormal is stored as it is


def test_float_atomics_on_device_memory():
    n = 64 * 64
    # Multiples of 1/4 below 2**10: every partial sum is exact in float32 (tolerance 0).
    v = (RNG.integers(-4096, 4096, n) / 4).astype(np.float32)
    acc = np.array([0.5, 0.0, 0.0, 0.0, 3.25, -7.5, 0.0], np.float32)
    seen = np.zeros(2, np.float32)
    run(float_atomics, v, acc, seen, grid=(n, 1, 1), threads=(64, 1, 1))
    total = v.astype(np.float64).sum()
    assert acc[0] == np.float32(0.5 + total) and acc[1] == np.float32(-total)
    assert acc[2] == np.inf and np.isnan(acc[3])
    assert acc[4] == 0.0 and np.signbit(acc[4])
    assert seen.tolist() == [3.25, -7.5]
    assert acc[6] == np.float32(1e-45) and acc[6] != 0


ORDERS = ("relaxed", "acquire", "release", "acq_rel")


@enigma.kernel
def every_order(a: u32, out: u32):
    i = enigma.thread_position_in_grid
    for k, order in enumerate(ORDERS):  # a Python loop: unrolled while tracing
        enigma.atomic_fetch_add(a, k, 1, order=order)
        a.atomic_fetch_or(4 + k, enigma.metal_cast(1, u32) << (i % 32), order=order)
        ok, old = enigma.atomic_compare_exchange_weak(a, 8 + k, i, i + 1, order=order)
        enigma.atomic_fetch_add(a, 12 + k, enigma.where(0, 1, ok))
    enigma.atomic_exchange(a, 16, i, order="acq_rel")
    enigma.atomic_store(a, 17, 9, order="release")
    enigma.atomic_store(a, 18, 8)
    out[i] = enigma.atomic_load(a, 17, order="acquire") + enigma.atomic_load(a, 18)


def test_every_memory_order_is_accepted_and_atomic():
    n = 32 * 64
    a = np.zeros(19, np.uint32)
    out = np.zeros(n, np.uint32)
    run(every_order, a, out, grid=(n, 1, 1), threads=(64, 1, 1))
    assert a[0:4].tolist() == [n] * 4
    assert a[4:8].tolist() == [0xFFFFFFFF] * 4
    # a[8+k] only moves by a successful CAS from i to i + 1 (thread i): it counts them.
    assert all(a[8 + k] <= n and a[12 + k] == a[8 + k] for k in range(4))
    assert a[16] < n and a[17:19].tolist() == [9, 8]
    assert set(out.tolist()) <= {0, 8, 9, 17}
    msl = enigma.compile(every_order).metal_source
    assert "memory_order_acquire" not in msl and "memory_order_release" not in msl
    fence = "atomic_thread_fence(mem_flags::mem_device, memory_order_seq_cst, thread_scope_device);"
    assert fence in msl
    assert "atomic_fetch_add_explicit((device atomic_uint*)&a[0], 1u, memory_order_relaxed)" in msl


# --- misuse -------------------------------------------------------------------------------------


def test_atomics_on_half_buffer():
    def k(a: f16):
        enigma.atomic_fetch_add(a, 0, 1.0)  # <half>

    assert_trace_error(k, "half", "Metal has atomics on int, uint and float, not `half`")


def test_unknown_and_wrong_orders():
    def bad_name(a: u32):
        enigma.atomic_fetch_add(a, 0, 1, order="seq_cst")  # <seq-cst>

    def release_load(a: u32):
        a[1] = enigma.atomic_load(a, 0, order="release")  # <release-load>

    def acquire_store(a: u32):
        a.atomic_store(0, 1, order="acquire")  # <acquire-store>

    assert_trace_error(bad_name, "seq-cst", "unknown memory order 'seq_cst'", '"acq_rel"')
    assert_trace_error(release_load, "release-load", "atomic_load cannot take 'release'")
    assert_trace_error(acquire_store, "acquire-store", "atomic_store cannot take 'acquire'")


def test_atomic_on_a_value_not_a_buffer():
    def k(a: u32):
        x = a[0]
        enigma.atomic_fetch_add(x, 0, 1)  # <not-buffer>

    assert_trace_error(k, "not-buffer", "atomic_fetch_add needs a buffer")


def test_float_atomics_metal_lacks():
    def fmin(a: f32):
        enigma.atomic_fetch_min(a, 0, 1.0)  # <float-min>

    def fcas(a: f32):
        enigma.atomic_compare_exchange_weak(a, 0, 0.0, 1.0)  # <float-cas>

    def ftg(a: f32):
        tile = enigma.threadgroup_alloc(f32, 4)
        enigma.atomic_fetch_add(tile, 0, 1.0)  # <float-tg>

    assert_trace_error(fmin, "float-min", "float atomics are load, store, exchange, fetch_add")
    assert_trace_error(
        fcas, "float-cas", "atomic_compare_exchange_weak on `a`: Metal's float atomics"
    )
    assert_trace_error(ftg, "float-tg", "no float atomics in threadgroup memory")
