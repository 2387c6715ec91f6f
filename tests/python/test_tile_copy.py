"""enigma.copy on the cpu device: vectorized partitions (float4 in the MSL), device ->
threadgroup -> device round trips, masks that skip far out-of-range elements (a bool
fragment or a coordinate function), and its errors.
"""

import numpy as np
from tagged_errors import assert_trace_error

import enigma
from enigma import Layout, b1, f32

RNG = np.random.default_rng(5)


@enigma.kernel
def copies(a: f32, b: f32, c: f32, far: f32, tail_in: f32, tail_out: f32):
    tid = enigma.thread_index_in_threadgroup()
    # device -> device: each of 32 threads copies 4 consecutive elements (a float4)
    ta = enigma.make_tensor(a, Layout((4, 32), (1, 4)))
    tb = enigma.make_tensor(b, Layout((4, 32), (1, 4)))
    enigma.copy(ta[None, tid], tb[None, tid])
    # device -> threadgroup -> device, transposing through a row-major 8 x 16 tile
    tile = enigma.threadgroup_alloc(f32, 128)
    src = enigma.make_tensor(a, Layout((8, 16), (16, 1)))
    st = enigma.make_tensor(tile, Layout((8, 16), (1, 8)))
    dst = enigma.make_tensor(c, Layout((8, 16), (1, 8)))
    thr = Layout((8, 4), (1, 8))  # 32 threads over the 8 x 16 tile: 4 columns each
    enigma.copy(enigma.local_partition(src, thr, tid), enigma.local_partition(st, thr, tid))
    enigma.barrier()
    enigma.copy(enigma.local_partition(st, thr, tid), enigma.local_partition(dst, thr, tid))
    # a masked copy whose masked-off elements are 2^26 elements (256 MiB) apart
    spread = enigma.make_tensor(far, Layout(4, 1 << 26))
    frag = enigma.make_fragment(4, f32)
    with enigma.if_(tid == 0):
        enigma.copy(spread, frag, mask=lambda k: k == 0)
        far[1] = frag[0] + 1.0
    # a tail: 37 elements, 4 per thread, the predicate fragment from the coordinates
    t_in = enigma.make_tensor(tail_in, Layout((4, 32), (1, 4)))[None, tid]
    t_out = enigma.make_tensor(tail_out, Layout((4, 32), (1, 4)))[None, tid]
    pred = enigma.make_fragment(4, b1)
    for k in enigma.range_constexpr(4):
        pred[k] = tid * 4 + k < 37
    enigma.copy(t_in, t_out, mask=pred)


def test_copies():
    a = RNG.standard_normal(128).astype(np.float32)
    b, c = np.zeros(128, np.float32), np.zeros(128, np.float32)
    far = np.array([41.0, 0.0], np.float32)  # element 1 is written from element 0
    tail_in = RNG.standard_normal(128).astype(np.float32)  # only 37 are valid
    tail_out = np.full(128, -5.0, np.float32)
    ck = enigma.compile(copies)
    ck(a, b, c, far, tail_in, tail_out, grid=(32, 1, 1), threads=(32, 1, 1), device="cpu")
    np.testing.assert_array_equal(b, a)
    np.testing.assert_array_equal(c.reshape(16, 8).T, a.reshape(8, 16))
    assert far[1] == 42.0
    np.testing.assert_array_equal(tail_out[:37], tail_in[:37])
    assert np.all(tail_out[37:] == -5.0)
    msl = ck.metal_source
    assert "*(device const float4*)(a + " in msl and "*(device float4*)(b + " in msl


M, N, TILE = 40, 20, (16, 8)  # 3 x 3 tiles, the last row and column of tiles partial
TV = enigma.make_layout_tv(Layout((16, 2), (2, 1)), Layout((1, 4), (4, 1)))[1]


@enigma.kernel
def predicated_tiles(a: f32, out: f32):
    # out (column-major) = a (row-major), tile by tile; the identity layout of the
    # (40, 20) tensor is divided and sliced like the data, so its coordinates mask the
    # elements past the edges (never read nor written).
    tid = enigma.thread_index_in_threadgroup()
    bid = enigma.threadgroup_position_in_grid()
    src = enigma.tensor_zipped_divide(enigma.make_tensor(a, Layout((M, N), (N, 1))), TILE)
    dst = enigma.tensor_zipped_divide(enigma.make_tensor(out, Layout((M, N), (1, M))), TILE)
    ids = enigma.zipped_divide(enigma.make_identity_layout((M, N)), TILE)
    c_blk, blk_origin = enigma.slice_and_offset(((None, None), bid), ids)
    c_thr, thr_origin = enigma.slice_and_offset((tid, None), enigma.composition(c_blk, TV))

    def mine(t):
        return enigma.tensor_composition(t[(None, None), bid], TV)[tid, None]

    mask = enigma.tile.in_bounds((c_thr, blk_origin, thr_origin), (M, N))
    enigma.copy(mine(src), mine(dst), mask=mask)


def test_predicated_tiles_from_identity_layout():
    a = np.concatenate([RNG.standard_normal(M * N), np.full(64, np.nan)]).astype(np.float32)
    out = np.full(M * N + 64, -3.0, np.float32)
    enigma.compile(predicated_tiles)(a, out, grid=(9 * 32, 1, 1), threads=(32, 1, 1),
                                     device="cpu")  # fmt: skip
    np.testing.assert_array_equal(out[: M * N].reshape(N, M).T, a[: M * N].reshape(M, N))
    assert np.all(out[M * N :] == -3.0)


def test_copy_errors():
    def sizes(a: f32, b: f32):
        enigma.copy(enigma.make_tensor(a, 4), enigma.make_tensor(b, 8))  # <size>

    assert_trace_error(sizes, "size", "src has 4 elements", "dst 8")

    def not_tensor(a: f32, b: f32):
        enigma.copy(a, enigma.make_tensor(b, 8))  # <tensor>

    assert_trace_error(not_tensor, "tensor", "src must be a Tensor view of memory")

    def bad_mask(a: f32, b: f32):
        enigma.copy(enigma.make_tensor(a, 4), enigma.make_tensor(b, 4), mask=lambda k: k)  # <m>

    assert_trace_error(bad_mask, "m", "the mask function must return a bool")

    def float_mask(a: f32, b: f32):
        m = enigma.make_fragment(4, f32)
        enigma.copy(enigma.make_tensor(a, 4), enigma.make_tensor(b, 4), mask=m)  # <mask>

    assert_trace_error(float_mask, "mask", "must hold 4 bools")
