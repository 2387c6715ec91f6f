"""SIMD-group async copies on the cpu device: tiles moved through threadgroup memory.

One SIMD-group copies a 1-D run and a 2-D tile of a device buffer into threadgroup
arrays (d2t), waits, reverses the 1-D run through a barrier, and copies a run and a
sub-tile back out (t2d) at offsets. Copies move bytes, so every check is exact, for
element types of 1, 2 and 4 bytes (integers and floats, incl. NaN and -0 bit patterns).
"""

import numpy as np
import pytest
from tagged_errors import assert_trace_error

import enigma

RNG = np.random.default_rng(5)


def _tiles_kernel(dtype):
    @enigma.kernel
    def tiles(a: dtype, out1: dtype, out2: dtype):
        t = enigma.thread_index_in_threadgroup()
        run = enigma.threadgroup_alloc(dtype, 64)
        tile = enigma.threadgroup_alloc(dtype, 48)
        # 64 elements from a[5]; the 8x6 tile at row 2, column 3 of a 16-wide matrix.
        e1 = enigma.async_copy_1d_d2t(run, a, 64, src_elem=5)
        e2 = enigma.async_copy_2d_d2t(tile, 8, a, 16, 8, 6, src_elem=2 * 16 + 3)
        enigma.async_copy_wait(e1, e2)
        enigma.barrier()
        v0 = run[63 - t]
        v1 = run[31 - t]
        enigma.barrier()
        run[t] = v0
        run[t + 32] = v1
        enigma.barrier()
        # 60 of the reversed run from run[2] to out1[4]; the tile's first 5 columns into
        # rows 1..6, columns 2..6 of a 10-wide matrix.
        e3 = enigma.async_copy_1d_t2d(out1, run, 60, dst_elem=4, src_elem=2)
        e4 = enigma.async_copy_2d_t2d(out2, 10, tile, 8, 5, 6, dst_elem=10 + 2)
        enigma.async_copy_wait(e3)
        enigma.async_copy_wait(e4)

    return tiles


def _random(dtype, n):
    if dtype is enigma.f32 or dtype is enigma.f16:
        x = RNG.standard_normal(n).astype(dtype.numpy)
        x[:4] = [np.nan, -0.0, np.inf, -np.inf]
        return x
    info = np.iinfo(dtype.numpy)
    x = RNG.integers(info.min, info.max, n, endpoint=True).astype(dtype.numpy)
    x[:2] = [info.min, info.max]
    return x


@pytest.mark.parametrize("dtype", [enigma.f32, enigma.f16, enigma.i32, enigma.u8],
                         ids=lambda d: d.name)  # fmt: skip
def test_tiles_through_threadgroup_memory(dtype):
    a = _random(dtype, 256)
    out1 = np.full(64, 7, dtype.numpy)
    out2 = np.full(80, 7, dtype.numpy)
    enigma.compile(_tiles_kernel(dtype))(a, out1, out2, grid=(32, 1, 1), threads=(32, 1, 1),
                                         device="cpu")  # fmt: skip
    expected1 = np.full(64, 7, dtype.numpy)
    expected1[4:64] = a[5:69][::-1][2:62]
    expected2 = np.full(80, 7, dtype.numpy).reshape(8, 10)
    expected2[1:7, 2:7] = a.reshape(16, 16)[2:8, 3:8]
    # Bitwise comparison: NaN payloads and -0.0 must survive the copies.
    np.testing.assert_array_equal(out1.view(f"u{out1.itemsize}"),
                                  expected1.view(f"u{out1.itemsize}"))  # fmt: skip
    np.testing.assert_array_equal(out2.view(f"u{out2.itemsize}"),
                                  expected2.ravel().view(f"u{out2.itemsize}"))  # fmt: skip


def test_errors():
    def wrong_direction(a: enigma.f32):
        tile = enigma.threadgroup_alloc(enigma.f32, 8)
        enigma.async_copy_1d_d2t(a, tile, 8)  # <dir>

    assert_trace_error(wrong_direction, "dir", "async_copy_1d_d2t's dst must be a threadgroup")

    def wrong_dtype(a: enigma.f32):
        tile = enigma.threadgroup_alloc(enigma.f16, 8)
        enigma.async_copy_2d_d2t(tile, 8, a, 8, 8, 1)  # <dtype>

    assert_trace_error(wrong_dtype, "dtype", "buffers of one element type", "`float`")

    def negative(a: enigma.f32):
        tile = enigma.threadgroup_alloc(enigma.f32, 8)
        enigma.async_copy_1d_t2d(a, tile, -1)  # <count>

    assert_trace_error(negative, "count", "count must be a non-negative integer")

    def bad_wait(a: enigma.f32):
        enigma.async_copy_wait(a[0])  # <wait>

    assert_trace_error(bad_wait, "wait", "takes the events that async copies returned")
