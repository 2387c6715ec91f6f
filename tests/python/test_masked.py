"""Masked access: `load_if` / `store_if` on the cpu device, against numpy.

A masked load or store moves bits unchanged, so every comparison is exact
(bit-for-bit, NaN payloads and -0.0 included). The cpu device turns a wild
memory access into an EnigmaError (its fault guard), which is how the tests
prove that a masked-off access touches no memory at all.
"""

import numpy as np
import pytest
from conftest import TEST_DEVICE
from tagged_errors import assert_trace_error as trace_error

import enigma
from enigma import Scalar, f32, i32, u32
from enigma.errors import EnigmaError

FAR = 1 << 30  # an index gigabytes past the end of every buffer here


def edge_values(np_dtype) -> np.ndarray:
    """Random values plus the edges of the type (NaN, +-inf, +-0, denormals, min/max)."""
    rng = np.random.default_rng(3)
    if np_dtype == np.bool_:
        return np.array([True, False] * 8)
    if np.issubdtype(np_dtype, np.floating):
        info = np.finfo(np_dtype)
        edges = [np.nan, np.inf, -np.inf, 0.0, -0.0, info.tiny / 4, info.max, info.min]
        return np.concatenate([edges, rng.standard_normal(8)]).astype(np_dtype)
    info = np.iinfo(np_dtype)
    edges = np.array([info.min, info.max, 0, 1], np_dtype)
    return np.concatenate([edges, rng.integers(info.min, info.max, 12, dtype=np_dtype)])


def masked_copy_kernel(dtype):
    @enigma.kernel
    def masked_copy(a: dtype, out: dtype, stored: dtype, n: Scalar(u32)):
        i = enigma.thread_position_in_grid
        inside = i < n
        far = enigma.metal_cast(i, u32) + FAR
        x = enigma.load_if(a, i, inside, default=False if dtype is enigma.b1 else 1)
        y = enigma.load_if(a, far, inside & (i > n))  # never true: FAR is never read
        out[i] = x
        enigma.store_if(stored, i, enigma.where(y, x, inside), inside)
        enigma.store_if(stored, far, x, ~inside & inside)  # never written either

    return masked_copy


DTYPES = [
    (enigma.f32, np.float32), (enigma.f16, np.float16), (enigma.bf16, "bfloat16"),
    (enigma.i8, np.int8), (enigma.i16, np.int16), (enigma.i32, np.int32), (enigma.i64, np.int64),
    (enigma.u8, np.uint8), (enigma.u16, np.uint16), (enigma.u32, np.uint32),
    (enigma.u64, np.uint64), (enigma.b1, np.bool_),
]  # fmt: skip


@pytest.mark.parametrize("dtype, np_dtype", DTYPES, ids=[d.name for d, _ in DTYPES])
def test_load_if_store_if_every_dtype(dtype, np_dtype):
    if np_dtype == "bfloat16":  # bf16 buffers hold the bits as uint16
        np_dtype, a = np.uint16, enigma.float_to_bfloat16_bits(edge_values(np.float32))
        default = enigma.float_to_bfloat16_bits(np.float32(1.0))
    else:
        a = edge_values(np_dtype)
        default = np.array(np_dtype(1) if np_dtype != np.bool_ else False)
    n, grid = 11, len(a)
    out = np.zeros(grid, np_dtype)
    stored = np.zeros(grid, np_dtype)
    sentinel = np.ones(grid, np_dtype)  # store_if leaves masked-off elements untouched
    stored[:] = sentinel
    enigma.compile(masked_copy_kernel(dtype))(
        a, out, stored, n, grid=(grid, 1, 1), threads=(4, 1, 1), device="cpu"
    )
    expected = np.where(np.arange(grid) < n, a, default)
    assert out.tobytes() == expected.astype(np_dtype).tobytes()
    expected_stored = np.where(np.arange(grid) < n, a, sentinel)
    assert stored.tobytes() == expected_stored.astype(np_dtype).tobytes()


@enigma.kernel
def far_load(a: f32, out: f32, far: Scalar(u32), mask_on: Scalar(u32)):
    i = enigma.thread_position_in_grid
    out[i] = enigma.load_if(a, far, mask_on != 0, default=-7.5)


def test_masked_off_far_load_does_not_fault():
    a = np.arange(4, dtype=np.float32)
    out = np.zeros(4, np.float32)
    compiled = enigma.compile(far_load)
    compiled(a, out, FAR, 0, grid=(4, 1, 1), threads=(4, 1, 1), device="cpu")
    np.testing.assert_array_equal(out, -7.5)
    # The same access with the mask on does touch memory; the fault guard reports it. (Only
    # the cpu device survives a fault: on a GPU it ends the context for the process.)
    if TEST_DEVICE == "cpu":
        with pytest.raises(EnigmaError):
            compiled(a, out, FAR, 1, grid=(4, 1, 1), threads=(4, 1, 1), device="cpu")
    compiled(a, out, 2, 1, grid=(4, 1, 1), threads=(4, 1, 1), device="cpu")
    np.testing.assert_array_equal(out, 2.0)


@enigma.kernel
def threadgroup_masked(a: i32, out: i32):
    i = enigma.thread_position_in_grid
    lid = enigma.thread_index_in_threadgroup()
    tile = enigma.threadgroup_alloc(i32, 16)
    enigma.store_if(tile, lid, a[i], lid < 8)  # half the tile is written
    enigma.store_if(tile, lid + FAR, 0, lid > 100)  # masked off: out of range, never stored
    enigma.barrier()
    out[i] = enigma.load_if(tile, lid, lid < 8, default=-1) + enigma.load_if(
        tile, 15 - lid, (15 - lid) < 8
    )


def test_threadgroup_arrays():
    a = np.arange(32, dtype=np.int32) * 3
    out = np.zeros(32, np.int32)
    enigma.compile(threadgroup_masked)(a, out, grid=(32, 1, 1), threads=(16, 1, 1), device="cpu")
    lid = np.arange(32) % 16
    base = np.arange(32) - lid
    first = np.where(lid < 8, a[base + lid], -1)
    second = np.where(15 - lid < 8, a[base + np.minimum(15 - lid, 15)], 0)
    np.testing.assert_array_equal(out, first + second)


def test_conversions_python_masks_and_msl():
    @enigma.kernel
    def convert(a: i32, out: f32, n: Scalar(u32)):
        i = enigma.thread_position_in_grid
        x = enigma.load_if(a, i, i < n, default=-3)  # int load
        enigma.store_if(out, i, x, i < n)  # int stored into float: converted as in MSL
        enigma.store_if(out, i, 0.5, i >= n)  # a literal takes the element type
        y = enigma.load_if(a, 0, True)  # a Python bool mask: no branch
        z = enigma.load_if(a, FAR, False, default=7)  # known false: no access at all
        enigma.store_if(out, 0, y + z, False)

    compiled = enigma.compile(convert)
    assert "if (" in compiled.metal_source and str(FAR) not in compiled.metal_source
    a = np.array([5, -6, 7, 2_000_000_001], np.int32)
    out = np.zeros(6, np.float32)
    compiled(a, out, 4, grid=(6, 1, 1), threads=(2, 1, 1), device="cpu")
    np.testing.assert_array_equal(out, [5.0, -6.0, 7.0, np.float32(2_000_000_001), 0.5, 0.5])


def test_mask_must_be_bool():
    def k_int(a: f32, n: Scalar(u32)):
        i = enigma.thread_position_in_grid
        a[i] = enigma.load_if(a, i, n)  # <int-mask>

    def k_python_int(a: f32):
        i = enigma.thread_position_in_grid
        enigma.store_if(a, i, 1.0, 1)  # <literal-mask>

    trace_error(k_int, "int-mask", "the mask of load_if must be a bool, not a `uint` value")
    trace_error(k_python_int, "literal-mask", "the mask of store_if must be a bool, not 1")


def test_bad_buffer_and_value():
    def k_value(a: f32):
        i = enigma.thread_position_in_grid
        a[i] = enigma.load_if(a[i], i, i < 4)  # <not-buffer>

    def k_float_into_int(a: i32):
        i = enigma.thread_position_in_grid
        a[i] = enigma.load_if(a, i, i < 4, default=0.5)  # <float-default>

    trace_error(k_value, "not-buffer", "load_if needs a device buffer or a threadgroup_alloc")
    trace_error(k_float_into_int, "float-default", "is a Python float", "`int`")
