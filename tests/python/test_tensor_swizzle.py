"""Swizzled tensors (Swizzle ∘ offset ∘ layout) on the cpu device, against a numpy model of
the swizzled addressing: store through a swizzled view, read the raw buffer, compare with
the permutation numpy computes. Device and threadgroup memory, static and traced slices,
element and fragment accesses, a swizzled Tensor argument of an @enigma.jit function, and
the MSL: vectors where a swizzle provably keeps a run contiguous and aligned, none where not.
"""

import numpy as np
import pytest
from tagged_errors import assert_trace_error

import enigma
from enigma import Layout, Swizzle, Tensor, f32, make_composed_layout

RNG = np.random.default_rng(11)
SW = Swizzle(3, 2, 3)  # XOR the row (bits 5-7) into the 16-byte chunk (bits 2-4)
TILE = Layout((8, 32), (32, 1))  # row-major 8 x 32 floats
TILES = Layout((8, 32, 4), (32, 1, 256))  # four of them, one per threadgroup
PER_THREAD = (1, 4)  # each of 64 threads owns 4 consecutive floats of a row


def sw(x, bits=3, base=2, shift=3):
    """numpy model of Swizzle(bits, base, shift) for shift >= 0."""
    x = np.asarray(x, np.int64)
    mask = ((1 << bits) - 1) << (base + shift)
    return x ^ ((x & mask) >> shift)


def pre_of_thread(tid, j):
    """Pre-swizzle offset of value j of thread tid in a tile divided by (1, 4): the thread's
    rest coordinate is (row tid % 8, chunk tid // 8)."""
    return 32 * (tid % 8) + 4 * (tid // 8) + j


@enigma.kernel
def swizzled_device(a: f32, out: f32, rows: f32, back: f32, elem: f32):
    bid = enigma.threadgroup_position_in_grid("x")
    tid = enigma.thread_position_in_threadgroup("x")
    t_out = enigma.make_tensor(out, make_composed_layout(SW, 0, TILES))
    blk = t_out[None, None, bid]  # traced 256 * bid: passes through the swizzle
    mine = enigma.tensor_zipped_divide(blk, PER_THREAD)[(None, None), tid]  # traced, not
    ta = enigma.make_tensor(a, Layout((4, 256)))
    mine.store(ta[None, bid * 64 + tid].load())  # one float4 store, the swizzle computed once
    tb = enigma.make_tensor(back, Layout((4, 256)))
    tb[None, bid * 64 + tid].store(mine.load())  # and one float4 load back
    elem[bid * 64 + tid] = blk[tid % 8, tid // 8 * 4 + 1]  # an element, traced coordinates
    # Static slices of a block: each row is 8 runs of 4 whose swizzled starts are static.
    t_rows = enigma.make_tensor(rows, make_composed_layout(SW, 0, TILES))[None, None, bid]
    src = enigma.make_tensor(a, Layout((32, 8, 4), (1, 32, 256)))[None, None, bid]
    with enigma.if_(tid == 0):
        for r in enigma.range_constexpr(8):
            t_rows[r, None].store(src[None, r].load())


def test_swizzled_device_views_match_the_numpy_permutation():
    a = RNG.standard_normal(1024).astype(np.float32)
    out, rows = np.zeros(1024, np.float32), np.zeros(1024, np.float32)
    back, elem = np.zeros(1024, np.float32), np.zeros(256, np.float32)
    compiled = enigma.compile(swizzled_device)
    compiled(a, out, rows, back, elem, grid=(4 * 64, 1, 1), threads=(64, 1, 1), device="cpu")
    want = np.full(1024, np.nan, np.float32)
    for b in range(4):
        for tid in range(64):
            for j in range(4):
                want[256 * b + sw(pre_of_thread(tid, j))] = a[4 * (b * 64 + tid) + j]
    np.testing.assert_array_equal(out, want)
    np.testing.assert_array_equal(back, a)  # the loads invert the stores
    np.testing.assert_array_equal(elem, a.reshape(256, 4)[:, 1])
    b, pre = np.divmod(np.arange(1024), 256)
    want_rows = np.empty(1024, np.float32)
    want_rows[256 * b + sw(pre)] = a
    np.testing.assert_array_equal(rows, want_rows)
    msl = compiled.metal_source
    assert "*(device float4*)(out + " in msl and "*(device const float4*)(out + " in msl, msl
    assert msl.count("*(device float4*)(rows + ") == 64, msl  # 8 rows x 8 static runs
    assert "^" in msl  # the traced swizzle


@enigma.kernel
def swizzled_threadgroup(a: f32, raw: f32, cols: f32):
    tid = enigma.thread_position_in_threadgroup("x")
    buf = enigma.threadgroup_alloc(f32, 256)
    tile = enigma.make_tensor(buf, make_composed_layout(SW, 0, TILE))
    mine = enigma.tensor_zipped_divide(tile, PER_THREAD)[(None, None), tid]
    mine.store(enigma.make_tensor(a, Layout((4, 64)))[None, tid].load())
    enigma.barrier()
    # The raw array, as stored (a plain view of the same threadgroup memory).
    plain = enigma.make_tensor(buf, Layout((4, 64)))[None, tid].load()
    enigma.make_tensor(raw, Layout((4, 64)))[None, tid].store(plain)
    # A column of the swizzled tile: 8 elements 32 apart before the swizzle (scalar).
    enigma.make_tensor(cols, Layout((8, 64)))[None, tid].store(tile[None, tid % 32].load())


def test_swizzled_threadgroup_tile_vectors_and_columns():
    a = RNG.standard_normal(256).astype(np.float32)
    raw, cols = np.zeros(256, np.float32), np.zeros(8 * 64, np.float32)
    compiled = enigma.compile(swizzled_threadgroup)
    compiled(a, raw, cols, grid=(64, 1, 1), threads=(64, 1, 1), device="cpu")
    logical = np.empty(256, np.float32)  # logical[32 r + c]: the 8 x 32 tile, row-major
    for tid in range(64):
        for j in range(4):
            logical[pre_of_thread(tid, j)] = a[4 * tid + j]
    want_raw = np.empty(256, np.float32)
    want_raw[sw(np.arange(256))] = logical
    np.testing.assert_array_equal(raw, want_raw)
    tile = logical.reshape(8, 32)
    np.testing.assert_array_equal(cols.reshape(64, 8), tile[:, np.arange(64) % 32].T)
    msl = compiled.metal_source
    assert "alignas(16) threadgroup float tg0[256];" in msl
    assert "*(ENIGMA_THREADGROUP_POINTER float4*)(tg0 + " in msl, msl  # through the swizzle


@pytest.mark.parametrize(
    ("swizzle", "vector"),
    [(Swizzle(3, 2, 3), "float4"), (Swizzle(2, 1, 4), "float2"), (Swizzle(3, 0, 3), None)],
)
def test_vector_width_follows_the_untouched_low_bits(swizzle, vector):
    """Runs of 4 contiguous pre-swizzle floats at traced multiples of 4: Swizzle(B, M, S)
    keeps runs of 2**M, so float4 for M = 2, float2 pairs for M = 1, scalars for M = 0."""

    @enigma.kernel
    def runs(a: f32, out: f32):
        tid = enigma.thread_position_in_threadgroup("x")
        t = enigma.make_tensor(out, make_composed_layout(swizzle, 0, Layout((4, 64))))
        t[None, tid].store(enigma.make_tensor(a, Layout((4, 64)))[None, tid].load())

    msl = enigma.compile(runs, emit_only=True).metal_source
    stores = [v for v in ("float4", "float2") if f"*(device {v}*)(out" in msl]
    assert stores == ([vector] if vector else []), msl


@enigma.kernel
def fill_tiles(out: f32, a: f32):
    bid = enigma.threadgroup_position_in_grid("x")
    tid = enigma.thread_position_in_threadgroup("x")
    mine = enigma.tensor_zipped_divide(out[(None, None), bid], PER_THREAD)[(None, None), tid]
    mine.store(a[None, bid * 64 + tid].load())


@enigma.jit
def swizzled_jit(out, a):
    tiles = enigma.tensor_zipped_divide(out, (8, 32))  # host-side view of the swizzled tensor
    fill_tiles(tiles, a).launch(grid=(2,), block=(64,))


def test_swizzled_tensor_argument_through_jit():
    # Two 8 x 32 row-major tiles stacked as a (16, 32) row-major swizzled tensor.
    layout = make_composed_layout(SW, 0, Layout((16, 32), (32, 1)))
    out_t, a_t = Tensor("out", 0, f32, layout), Tensor("a", 1, f32, Layout((4, 128)))
    prog = enigma.compile(swizzled_jit, out_t, a_t)
    a = RNG.standard_normal(512).astype(np.float32)
    out = np.zeros(512, np.float32)
    prog(out, a, device="cpu")
    want = np.empty(512, np.float32)
    for b in range(2):
        for tid in range(64):
            for j in range(4):
                want[sw(256 * b + pre_of_thread(tid, j))] = a[4 * (b * 64 + tid) + j]
    np.testing.assert_array_equal(out, want)
    assert "float4*)(out + " in prog.metal_source


def test_host_views_keep_the_swizzle_over_the_whole_offset():
    t = Tensor("t", 0, f32, make_composed_layout(SW, 0, TILE))
    row = t[3, None]
    assert row.layout.offset == 96 and row.base_offset == 0  # inside the swizzle
    assert [row.layout(c) for c in range(4)] == [int(sw(96 + c)) for c in range(4)]
    tile = enigma.tensor_zipped_divide(t, (2, 8))[(None, None), (1, 2)]
    assert tile.layout.offset == 2 * 32 + 2 * 8
    assert (
        tile.spec_key() != enigma.tensor_zipped_divide(t, (2, 8))[(None, None), (1, 1)].spec_key()
    )
    assert t.spec_key() != Tensor("t", 0, f32, TILE).spec_key()
    # The extent goes through the swizzle: 36 elements reach offset sw(32) = 36 + 3 = 39.
    from enigma.jit.program import tensor_extent

    assert tensor_extent(Tensor("u", 0, f32, make_composed_layout(SW, 0, Layout(36)))) == 40


def test_swizzle_errors():
    def fragment():
        enigma.make_fragment(make_composed_layout(SW, 0, TILE), f32)  # <frag>

    assert_trace_error(fragment, "frag", "a fragment's layout is a plain Layout")

    def not_a_swizzle(a: f32):
        enigma.make_tensor(a, make_composed_layout(Layout(4, 2), 0, Layout(4)))  # <inner>

    assert_trace_error(not_a_swizzle, "inner", "must be a Swizzle over a layout")

    def too_small():
        buf = enigma.threadgroup_alloc(f32, 38)
        enigma.make_tensor(buf, make_composed_layout(SW, 0, Layout(36)))  # <fits>

    assert_trace_error(too_small, "fits", "reaches element 39, past the 38 elements")
