"""Partial tiles, CuTe style: identity (coordinate) tensors divided like the data, and kernels
that mask the elements past the tensor's end. End to end on the cpu device through
@enigma.jit: a 1000-element tensor divided by a tiler that does not divide it (128) and by
one larger than it (2048), and a 37 x 45 tensor by 16 x 16 tiles; NaN sentinels after the
arrays' ends prove nothing is written out of bounds.
"""

import numpy as np
import pytest

import enigma
from enigma import Constexpr, Layout, Tensor, b1, f32

RNG = np.random.default_rng(5)
PAD = 64  # sentinel elements after each array


@enigma.kernel
def affine_1d(a: f32, out: f32, coords: Constexpr, n: Constexpr):
    """Tile `bid` of the divided tensors; thread tid owns 4 consecutive elements."""
    bid = enigma.threadgroup_position_in_grid("x")
    tid = enigma.thread_position_in_threadgroup("x")

    def mine(t):
        return enigma.tensor_zipped_divide(t[None, bid], 4)[None, tid]

    c_thr = mine(coords)  # the coordinates of the thread's elements in the whole tensor
    pred = enigma.make_fragment(4, b1)
    for i in enigma.range_constexpr(4):
        pred[i] = enigma.elem_less(c_thr[i], n)
    frag = enigma.make_fragment(4, f32)
    enigma.copy(mine(a), frag, mask=pred)
    for i in enigma.range_constexpr(4):
        frag[i] = frag[i] * 2.0 + 1.0
    enigma.copy(frag, mine(out), mask=pred)


@enigma.jit
def affine_1d_tiles(a, out, out2):
    for tiler, dst in ((128, out), (2048, out2)):  # 8 tiles, the last partial; 1 tile
        ga = enigma.tensor_zipped_divide(a, tiler)
        gout = enigma.tensor_zipped_divide(dst, tiler)
        coords = enigma.tensor_zipped_divide(enigma.make_identity_tensor(a.shape), tiler)
        tiles = enigma.size(ga.layout[1])
        affine_1d(ga, gout, coords, a.shape).launch(grid=(tiles,), block=(tiler // 4,))


def test_1d_partial_tiles_are_masked():
    args = [Tensor(name, i, f32, Layout(1000)) for i, name in enumerate(["a", "out", "out2"])]
    prog = enigma.compile(affine_1d_tiles, *args)
    assert [launch.grid for launch in prog.launches] == [(8, 1, 1), (1, 1, 1)]
    a = np.concatenate([RNG.standard_normal(1000), np.full(PAD, np.nan)]).astype(np.float32)
    out, out2 = np.full(1000 + PAD, np.nan, np.float32), np.full(1000 + PAD, np.nan, np.float32)
    prog(a, out, out2, device="cpu")
    for o in (out, out2):
        np.testing.assert_array_equal(o[:1000], a[:1000] * np.float32(2) + np.float32(1))
        assert np.isnan(o[1000:]).all()  # nothing written past the end


M, N, TILE = 37, 45, (16, 16)
TV = enigma.make_layout_tv(Layout((16, 4), (4, 1)), Layout((1, 4), (4, 1)))[1]  # 64 threads


@enigma.kernel
def transpose_2d(a: f32, out: f32, shape: Constexpr):
    """out (column-major) = 2 a + 1 (row-major), tile (bx, by) of the divided views; the
    identity tensor is tiled inside the kernel with local_tile, like the data."""
    bx = enigma.threadgroup_position_in_grid("x")
    by = enigma.threadgroup_position_in_grid("y")
    tid = enigma.thread_index_in_threadgroup()

    def mine(t):
        return enigma.tensor_composition(t, TV)[tid, None]

    c_thr = mine(enigma.local_tile(enigma.make_identity_tensor(shape), TILE, (bx, by)))
    frag = enigma.make_fragment(4, f32)
    enigma.copy(mine(a[(None, None), (bx, by)]), frag, mask=enigma.tile.in_bounds(c_thr, shape))
    pred = enigma.make_fragment(4, b1)
    for i in enigma.range_constexpr(4):
        pred[i] = enigma.elem_less(c_thr[i], shape)
        frag[i] = frag[i] * 2.0 + 1.0
    enigma.copy(frag, mine(out[(None, None), (bx, by)]), mask=pred)


@enigma.jit
def transpose_2d_tiles(a, out):
    ga, gout = enigma.tensor_zipped_divide(a, TILE), enigma.tensor_zipped_divide(out, TILE)
    grid = ga.layout[1].shape  # (3, 3): ceil(37 / 16), ceil(45 / 16)
    transpose_2d(ga, gout, a.shape).launch(grid=grid, block=(64,))


def test_2d_partial_tiles_are_masked():
    a_t = Tensor("a", 0, f32, Layout((M, N), (N, 1)))
    out_t = Tensor("out", 1, f32, Layout((M, N), (1, M)))
    prog = enigma.compile(transpose_2d_tiles, a_t, out_t)
    assert prog.grid == (3, 3, 1) and prog.block == (64, 1, 1)
    # NaN after a: an unmasked read past row 36 would write NaN into a valid output element;
    # an unmasked write past column 44 would land after out's end.
    a = np.concatenate([RNG.standard_normal(M * N), np.full(PAD, np.nan)]).astype(np.float32)
    out = np.full(M * N + PAD, np.nan, np.float32)
    prog(a, out, device="cpu")
    want = a[: M * N].reshape(M, N) * np.float32(2) + np.float32(1)
    np.testing.assert_array_equal(out[: M * N].reshape(N, M).T, want)
    assert np.isnan(out[M * N :]).all()


def test_identity_tensors_on_the_host():
    c = enigma.make_identity_tensor((4, 8))
    assert c[5] == (1, 1) and c[3, 7] == (3, 7) and c.size == 32
    col = c[None, 6]
    assert col.offset == (0, 6) and [col[i] for i in range(4)] == [(i, 6) for i in range(4)]
    tiles = enigma.tensor_zipped_divide(enigma.make_identity_tensor((37, 45)), TILE)
    last = tiles[(None, None), (2, 2)]
    assert last[15, 15] == (47, 47) and last.offset == (32, 32)
    assert enigma.local_tile(enigma.make_identity_tensor((37, 45)), TILE, (2, 2)) == last
    part = enigma.local_partition(last, Layout((4, 4)), 5)
    assert part.shape == (4, 4) and part[0] == (33, 33) and part[1] == (37, 33)
    assert hash(last) == hash(tiles[(None, None), (2, 2)])
    assert enigma.elem_less((36, 44), (37, 45)) is True
    assert enigma.elem_less((37, 0), (37, 45)) is False
    with pytest.raises(enigma.EnigmaError, match="has 2 modes and the shape 1000 1"):
        enigma.elem_less((1, 2), 1000)


def test_divides_that_round_up_are_padded():
    a = Tensor("a", 0, f32, Layout(1000))
    assert enigma.tensor_zipped_divide(a, 128).padded
    assert enigma.local_tile(a, 2048, 0).padded
    assert not enigma.tensor_zipped_divide(a, 100).padded
    assert not a.padded
