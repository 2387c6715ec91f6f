"""Tensor views on the host: slicing, divides, local_tile, local_partition and TV partitions
checked element by element against numpy indexing; spec keys; the errors of misuse.

A view is checked by reading memory through it: element `c` of a view is
``memory[view.base_offset + view.layout(c)]``, which must equal what numpy indexing of
the same array gives.
"""

import itertools

import numpy as np
import pytest

import enigma
from enigma import Layout, f32
from enigma.errors import EnigmaError

M, N = 16, 24


def through(view, memory: np.ndarray) -> np.ndarray:
    """The elements of `view` read through its layout, as an array of the view's shape."""
    shape = view.shape if isinstance(view.shape, tuple) else (view.shape,)
    flat = [enigma.size(s) for s in shape]
    out = np.empty(flat, dtype=memory.dtype)
    for coord in itertools.product(*(range(n) for n in flat)):
        c = coord if isinstance(view.shape, tuple) else coord[0]
        out[coord] = memory[view.base_offset + view.layout(c)]
    return out


def matrix(order: str):
    """A row- or column-major M x N Tensor over the memory of a numpy array A (A[i, j] is
    element (i, j) for both)."""
    a = np.arange(M * N, dtype=np.float32).reshape(M, N)
    if order == "row":
        return enigma.Tensor("a", 0, f32, Layout((M, N), (N, 1))), a, a.ravel()
    return enigma.Tensor("a", 0, f32, shape=(M, N)), a, a.ravel(order="F")


@pytest.mark.parametrize("order", ["row", "col"])
def test_slices_match_numpy(order):
    t, a, memory = matrix(order)
    np.testing.assert_array_equal(through(t, memory), a)
    np.testing.assert_array_equal(through(t[None, 5], memory), a[:, 5])
    np.testing.assert_array_equal(through(t[(3, None)], memory), a[3, :])
    assert memory[t.offset_of((3, 5)).static] == a[3, 5]
    # A single index is column-major over the whole shape (CuTe's 1-D coordinate).
    assert memory[t.offset_of(3 + 5 * M).static] == a[3, 5]


@pytest.mark.parametrize("order", ["row", "col"])
def test_divides_and_tiles_match_numpy(order):
    t, a, memory = matrix(order)
    tiles = enigma.tensor_zipped_divide(t, (4, 8))
    for x, y in [(0, 0), (1, 2), (3, 1)]:
        want = a[4 * x : 4 * x + 4, 8 * y : 8 * y + 8]
        np.testing.assert_array_equal(through(tiles[(None, None), (x, y)], memory), want)
        np.testing.assert_array_equal(through(enigma.local_tile(t, (4, 8), (x, y)), memory), want)
    # The rest modes take a single index too (column-major over the tile grid).
    np.testing.assert_array_equal(through(tiles[(None, None), 1 + 4 * 2], memory), a[4:8, 16:24])
    # proj keeps the modes of (M, N, K)-style tilers that apply to this tensor.
    blk = enigma.local_tile(t, (4, 3, 8), (2, 7, 1), proj=(1, None, 1))
    np.testing.assert_array_equal(through(blk, memory), a[8:12, 8:16])


@pytest.mark.parametrize("order", ["row", "col"])
def test_local_partition_matches_numpy(order):
    t, a, memory = matrix(order)
    threads = Layout((4, 8), (8, 1))  # 32 threads, row-major
    for tid in (0, 5, 13, 31):
        r, c = tid // 8, tid % 8
        mine = enigma.local_partition(t, threads, tid)
        assert mine.shape == (M // 4, N // 8)
        np.testing.assert_array_equal(through(mine, memory), a[r::4, c::8])
    col_threads = Layout((4, 8))  # column-major threads: tid = r + 4 c
    mine = enigma.local_partition(t, col_threads, 13)
    np.testing.assert_array_equal(through(mine, memory), a[1::4, 3::8])


def test_tv_partition_matches_numpy():
    """CuTe's elementwise-add partitioning: tile by the TV tiler, compose with the TV
    layout, slice a thread: thread t holds row t // 8, columns 4 (t % 8) .. + 3."""
    thr = enigma.make_ordered_layout((4, 8), (1, 0))
    val = enigma.make_ordered_layout((1, 4), (1, 0))
    tiler, tv = enigma.make_layout_tv(thr, val)
    assert enigma.product(tiler) == 128
    big = enigma.Tensor("b", 0, f32, Layout((8, 64), (64, 1)))
    bmem = np.arange(8 * 64, dtype=np.float32)
    b = bmem.reshape(8, 64)
    blk = enigma.tensor_zipped_divide(big, tiler)[(None, None), 1]  # the tile at rows 4..8
    for tid in (0, 9, 31):
        mine = enigma.tensor_composition(blk, tv)[tid, None]
        r, c = tid // 8, 4 * (tid % 8)
        np.testing.assert_array_equal(through(mine, bmem).ravel(), b[4 + r, c : c + 4])


def test_nested_layout_slices():
    """A hierarchical mode sliced by a coordinate tuple and by a single index."""
    t = enigma.Tensor("x", 1, f32, Layout(((2, 3), 4), ((1, 8), 2)), base_offset=5)
    memory = np.arange(64, dtype=np.float32)
    for i, j, k in itertools.product(range(2), range(3), range(4)):
        want = memory[5 + i + 8 * j + 2 * k]
        assert memory[t.offset_of(((i, j), k)).static] == want
        assert memory[t.offset_of((i + 2 * j, k)).static] == want
        assert through(t[(i, j), None], memory)[k] == want
        assert through(t[None, k], memory)[i, j] == want


def test_spec_key_describes_the_static_view():
    t = enigma.Tensor("a", 0, f32, shape=(8, 4))
    assert t.spec_key() == ("Tensor", "float", "Layout", (8, 4), (1, 8), 0, "device", 0)
    keys = {t.spec_key(), t[None, 1].spec_key(), t[None, 2].spec_key(),
            enigma.Tensor("a", 1, f32, shape=(8, 4)).spec_key(),
            enigma.Tensor("a", 0, enigma.i32, shape=(8, 4)).spec_key()}  # fmt: skip
    assert len(keys) == 5
    assert t[None, 2].base_offset == 16


@pytest.mark.parametrize(
    "make, fragments",
    [
        (lambda t: t[1, 2, 3], ["coordinate (1, 2, 3) does not match Tensor `a`", "3 entries"]),
        (lambda t: t[8, 0], ["out of bounds of Tensor `a`", "8 is not in 0..7"]),
        (lambda t: t[0, -1], ["out of bounds", "-1 is not in 0..3"]),
        (lambda t: t[:, 1], ["sliced with None, not ':'"]),
        (lambda t: t[0.5, 1], ["has the entry 0.5"]),
        (lambda t: t[1, 1], ["not bound to memory", "on the host"]),
        (lambda t: t.load(), ["not bound to memory"]),
        (lambda t: enigma.Tensor("a", 0, f32), ["needs a layout or a shape"]),
        (lambda t: enigma.Tensor("a", 0, enigma.float4, shape=4), ["elements are scalars"]),
        (lambda t: enigma.Tensor("a", 0, f32, shape=4, address_space="global"), ["'global'"]),
        (lambda t: enigma.Tensor("a", 0, f32, shape=4, base_offset=-1), ["negative base"]),
        (lambda t: enigma.Tensor("a", 0, f32, Layout(4), shape=8), ["differs from its layout"]),
        (lambda t: enigma.Tensor("a", 0, f32, enigma.make_identity_layout(4)), ["coordinates"]),
    ],
)
def test_host_errors(make, fragments):
    t = enigma.Tensor("a", 0, f32, shape=(8, 4))
    with pytest.raises(EnigmaError) as e:
        make(t)
    text = str(e.value)
    for fragment in fragments:
        assert fragment in text, text
    assert "test_tensor.py" in text
