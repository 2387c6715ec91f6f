"""Simdgroup matrices (8x8 float, half, bfloat) on the cpu device, against numpy.

The main kernel multiplies two 64x64 matrices tile by tile: a threadgroup of 4
SIMD-groups, each computing one 8x8 tile of the result by loading 8x8 tiles of
A and B with an origin, multiply-accumulating into a filled matrix and storing
it. The reference is the float64 product of the inputs as rounded to the
element type. The cpu device accumulates each 8-term dot product in float and
rounds once per multiply-accumulate (Metal leaves the intermediate precision
unspecified), so the tolerance is float32 accumulation over 64 terms for f32
(rtol 1e-5) and, for half and bfloat, one rounding to the element type per
8-term step (8 roundings: rtol 8 * 2^-11 for half, 8 * 2^-8 for bfloat, of the
sum of |products|). Half or bfloat inputs into a float accumulator are bit-exact
against a float32 running sum of the (exact) products (within the float32 summation
bound on tensor cores: float_sums.py). The same product with the K
loop as a kernel loop carrying the accumulator (for_range, enigma.range, then an
if_) has the f32 tolerance.
"""

import re

import numpy as np
import pytest
from float_sums import assert_float32_sum
from tagged_errors import assert_trace_error

import enigma
from enigma.dtypes import bfloat16_bits_to_float, float_to_bfloat16_bits

RNG = np.random.default_rng(11)
N = 64
TILES = N // 8


def _matmul_kernel(dtype):
    @enigma.kernel
    def matmul(a: dtype, b: dtype, c: dtype):
        tile = enigma.threadgroup_position_in_grid() * 4 + enigma.simdgroup_index_in_threadgroup()
        row = (tile // TILES) * 8
        col = (tile % TILES) * 8
        acc = enigma.make_filled_simdgroup_matrix(dtype, 0.0)
        for k in enigma.range_constexpr(TILES):
            x = enigma.simdgroup_matrix_load(a, N, origin=(k * 8, row))
            y = enigma.simdgroup_matrix_load(b, N, origin=(col, k * 8))
            acc = enigma.simdgroup_multiply_accumulate(x, y, acc)
        enigma.simdgroup_matrix_store(acc, c, N, origin=(col, row))

    return matmul


def _to_device(x64, dtype):
    """The array the kernel gets, and its float64 values as the element type rounds them."""
    if dtype is enigma.bf16:
        bits = float_to_bfloat16_bits(x64.astype(np.float32))
        return bits, bfloat16_bits_to_float(bits).astype(np.float64)
    x = x64.astype(dtype.numpy)
    return x, x.astype(np.float64)


def _from_device(x, dtype):
    if dtype is enigma.bf16:
        return bfloat16_bits_to_float(x).astype(np.float64)
    return x.astype(np.float64)


RTOL = {"float": 1e-5, "half": 8 * 2.0**-11, "bfloat": 8 * 2.0**-8}


@pytest.mark.parametrize("dtype", [enigma.f32, enigma.f16, enigma.bf16], ids=lambda d: d.name)
def test_matmul_64x64_tile_by_tile(dtype):
    a, a64 = _to_device(RNG.uniform(-1, 1, (N, N)), dtype)
    b, b64 = _to_device(RNG.uniform(-1, 1, (N, N)), dtype)
    c = np.zeros_like(a).ravel()
    # 64 tiles, one per SIMD-group, 4 SIMD-groups (128 threads) per threadgroup.
    enigma.compile(_matmul_kernel(dtype))(
        a.ravel(), b.ravel(), c, grid=(TILES * TILES * 32, 1, 1), threads=(128, 1, 1),
        device="cpu",
    )  # fmt: skip
    expected = a64 @ b64
    scale = np.abs(a64) @ np.abs(b64)
    err = np.abs(_from_device(c, dtype).reshape(N, N) - expected)
    assert np.all(err <= RTOL[dtype.name] * scale + 1e-30), err.max()


def _mixed_matmul_kernel(dtype):
    """c = c0 + a @ b with half or bfloat a and b and a float accumulator, K in a kernel loop.

    c0 and c are separate buffers: on the cpu device the lanes run one after another,
    so a lane would read the tile that an earlier lane of its SIMD-group already stored."""
    if dtype not in (enigma.f16, enigma.bf16):
        raise ValueError("mixed products take half or bfloat inputs")

    @enigma.kernel
    def matmul_mixed(a: dtype, b: dtype, c0: enigma.f32, c: enigma.f32):
        row, col = _tile_origin()
        acc = enigma.simdgroup_matrix_load(c0, N, origin=(col, row))
        for k in enigma.range(0, N, 8):
            x = enigma.simdgroup_matrix_load(a, N, origin=(k, row))
            y = enigma.simdgroup_matrix_load(b, N, origin=(col, k))
            acc = enigma.simdgroup_multiply_accumulate(x, y, acc)
        enigma.simdgroup_matrix_store(acc, c, N, origin=(col, row))

    return matmul_mixed


@pytest.mark.parametrize("dtype", [enigma.f16, enigma.bf16], ids=lambda d: d.name)
def test_mixed_inputs_into_float_accumulator_bit_exact(dtype):
    # Each product of two halves or bfloats is exact in float64 and again in float32, so
    # the definition (sum in float, k = 0..7 from c, never rounded to the inputs' type) is
    # a float32 running sum over the 64 products in K order, bit for bit.
    a, a64 = _to_device(RNG.uniform(-1, 1, (N, N)), dtype)
    b, b64 = _to_device(RNG.uniform(-1, 1, (N, N)), dtype)
    c0 = RNG.uniform(-4, 4, (N, N)).astype(np.float32)
    compiled = enigma.compile(_mixed_matmul_kernel(dtype))
    assert f"simdgroup_{dtype.name}8x8" in compiled.metal_source
    assert re.search(r"simdgroup_float8x8 (v\d+);\n\s*simdgroup_multiply_accumulate\(\1, ",
                     compiled.metal_source), compiled.metal_source  # fmt: skip
    c = np.zeros(N * N, np.float32)
    launch = {"grid": (TILES * TILES * 32, 1, 1), "threads": (128, 1, 1), "device": "cpu"}
    compiled(a.ravel(), b.ravel(), c0.ravel(), c, **launch)
    expected = c0.copy()
    for k in range(N):
        expected = expected + np.outer(a64[:, k], b64[k, :]).astype(np.float32)
    abs_sum = np.abs(c0) + np.abs(a64) @ np.abs(b64)
    assert_float32_sum(c.reshape(N, N), expected, expected, abs_sum, N + 1, "float")


def _tile_origin():
    """The (row, col) of the 8x8 tile of the 64x64 product that this SIMD-group computes."""
    tile = enigma.threadgroup_position_in_grid() * 4 + enigma.simdgroup_index_in_threadgroup()
    return (tile // TILES) * 8, (tile % TILES) * 8


@enigma.kernel
def matmul_for_range(a: enigma.f32, b: enigma.f32, c: enigma.f32):
    # The K loop is a kernel loop carrying the accumulator (not unrolled).
    row, col = _tile_origin()
    acc = enigma.make_filled_simdgroup_matrix(enigma.f32, 0.0)
    with enigma.for_range(0, N, 8, init=[acc]) as (k, carry):
        x = enigma.simdgroup_matrix_load(a, N, origin=(k, row))
        y = enigma.simdgroup_matrix_load(b, N, origin=(col, k))
        carry[0] = enigma.simdgroup_multiply_accumulate(x, y, carry[0])
    enigma.simdgroup_matrix_store(carry[0], c, N, origin=(col, row))


@enigma.kernel
def matmul_range(a: enigma.f32, b: enigma.f32, c: enigma.f32, flag: enigma.Scalar(enigma.u32)):
    # `acc` is carried by the enigma.range loop automatically; then, when flag is set,
    # through an if_ that adds a @ b's first tile product once more.
    row, col = _tile_origin()
    acc = enigma.make_filled_simdgroup_matrix(enigma.f32, 0.0)
    for k in enigma.range(0, N, 8):
        x = enigma.simdgroup_matrix_load(a, N, origin=(k, row))
        y = enigma.simdgroup_matrix_load(b, N, origin=(col, k))
        acc = enigma.simdgroup_multiply_accumulate(x, y, acc)
    with enigma.if_(flag != 0, init=[acc]) as (then, otherwise, out):
        with then:
            x = enigma.simdgroup_matrix_load(a, N, origin=(0, row))
            y = enigma.simdgroup_matrix_load(b, N, origin=(col, 0))
            out[0] = enigma.simdgroup_multiply_accumulate(x, y, acc)
    enigma.simdgroup_matrix_store(out[0], c, N, origin=(col, row))


def test_matmul_with_loop_carried_accumulator():
    a = RNG.uniform(-1, 1, (N, N)).astype(np.float32)
    b = RNG.uniform(-1, 1, (N, N)).astype(np.float32)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    expected = a64 @ b64
    # f32 accumulation of 64 products: rtol 1e-5 of the sum of |products|, as above.
    tolerance = RTOL["float"] * (np.abs(a64) @ np.abs(b64)) + 1e-30
    launch = {"grid": (TILES * TILES * 32, 1, 1), "threads": (128, 1, 1), "device": "cpu"}

    compiled = enigma.compile(matmul_for_range)
    msl = compiled.metal_source
    assert "for (" in msl and "simdgroup_float8x8 v" in msl
    assert re.search(r"simdgroup_float8x8 (v\d+) = v\d+;\n\s*for \(", msl), msl
    c = np.zeros(N * N, np.float32)
    compiled(a.ravel(), b.ravel(), c, **launch)
    assert np.all(np.abs(c.reshape(N, N) - expected) <= tolerance)

    compiled = enigma.compile(matmul_range)
    assert "for (" in compiled.metal_source and "if (" in compiled.metal_source
    for flag in (0, 1):
        c = np.zeros(N * N, np.float32)
        compiled(a.ravel(), b.ravel(), c, flag, **launch)
        extra = flag * (a64[:, :8] @ b64[:8, :])
        assert np.all(np.abs(c.reshape(N, N) - expected - extra) <= 2 * tolerance)


@enigma.kernel
def load_store(
    x: enigma.f32,
    tg_out: enigma.f32,
    t_out: enigma.f32,
    fill_out: enigma.f32,
    edge: enigma.f32,
    edge_out: enigma.f32,
    k: enigma.Scalar(enigma.u32),
):
    # A tile 3 elements into `x` at origin (k, 2), read and written transposed and through
    # threadgroup memory; a filled matrix; the edge values through a multiply by identity.
    m = enigma.simdgroup_matrix_load(x, 16, 3, origin=(k, 2))
    tile = enigma.threadgroup_alloc(enigma.f32, 64)
    enigma.simdgroup_matrix_store(m, tile, 8)
    enigma.barrier()
    back = enigma.simdgroup_matrix_load(tile, 8)
    enigma.simdgroup_matrix_store(back, tg_out, 8)
    t = enigma.simdgroup_matrix_load(x, 16, 3, origin=(k, 2), transpose=True)
    enigma.simdgroup_matrix_store(t, t_out, 10, 1, origin=(2, 1), transpose=True)
    filled = enigma.make_filled_simdgroup_matrix(enigma.f32, -2.5)
    enigma.simdgroup_matrix_store(filled, fill_out, 8)
    identity = enigma.simdgroup_matrix_load(edge, 8, 64)
    e = enigma.simdgroup_matrix_load(edge, 8)
    zero = enigma.make_filled_simdgroup_matrix(enigma.f32, 0.0)
    enigma.simdgroup_matrix_store(enigma.simdgroup_multiply_accumulate(e, identity, zero),
                                  edge_out, 8)  # fmt: skip


def test_load_store_origin_offset_transpose_fill_and_edge_values():
    x = RNG.standard_normal(16 * 12).astype(np.float32)
    tg_out, fill_out, edge_out = (np.zeros(64, np.float32) for _ in range(3))
    t_out = np.full(10 * 12, 7.0, np.float32)
    specials = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-40, 3.4e38]
    e = RNG.standard_normal(64).astype(np.float32)
    e[: len(specials)] = specials
    edge = np.concatenate([e, np.eye(8, dtype=np.float32).ravel()])
    k = 5
    enigma.compile(load_store)(x, tg_out, t_out, fill_out, edge, edge_out, k,
                               grid=(32, 1, 1), threads=(32, 1, 1), device="cpu")  # fmt: skip
    # Exact: loads and stores move bits, the fill is one value.
    tile = x[3 : 3 + 16 * 10].reshape(10, 16)[2:10, k : k + 8]
    np.testing.assert_array_equal(tg_out.reshape(8, 8), tile)
    # The transposed load holds tile.T; stored transposed at origin (2, 1) of a 10-wide
    # buffer from element 1, the tile itself lands at rows 1..8, columns 2..9.
    stored = np.full(10 * 12, 7.0, np.float32)
    stored[1 : 1 + 100].reshape(10, 10)[1:9, 2:10] = tile
    np.testing.assert_array_equal(t_out, stored)
    np.testing.assert_array_equal(fill_out, np.full(64, -2.5, np.float32))
    # e @ I adds only zero products to each element: NaN, infinities, signed zeros
    # (-0 + 0 = +0 in the sum) and denormals (cpu float arithmetic keeps them).
    with np.errstate(invalid="ignore"):
        expected = (e.reshape(8, 8).astype(np.float64) @ np.eye(8)).astype(np.float32)
    np.testing.assert_array_equal(edge_out.reshape(8, 8), expected)


def test_errors():
    def int_buffer(x: enigma.i32):
        enigma.simdgroup_matrix_load(x, 8)  # <int>

    assert_trace_error(int_buffer, "int", "simdgroup matrices hold float, half or bfloat",
                       "not `int`")  # fmt: skip

    def shape(x: enigma.f32):
        enigma.simdgroup_matrix_load(x, 16, rows=16, cols=16)  # <shape>

    assert_trace_error(shape, "shape", "simdgroup matrices are 8x8, not 16x16")

    def fill_shape():
        enigma.make_filled_simdgroup_matrix(enigma.f16, 1.0, rows=4)  # <fill>

    assert_trace_error(fill_shape, "fill", "8x8, not 4x8")

    def fill_dtype():
        enigma.make_filled_simdgroup_matrix(enigma.u32, 1)  # <fdtype>

    assert_trace_error(fill_dtype, "fdtype", "not `uint`")

    def inputs(x: enigma.f32, h: enigma.f16):
        a = enigma.simdgroup_matrix_load(x, 8)
        b = enigma.simdgroup_matrix_load(h, 8)
        enigma.simdgroup_multiply_accumulate(b, a, a)  # <inputs>

    assert_trace_error(inputs, "inputs", "a and b of one element type",
                       "not `simdgroup_half8x8` and `simdgroup_float8x8`",
                       "buffers of one dtype")  # fmt: skip

    def narrower(x: enigma.f32, h: enigma.f16):
        a = enigma.simdgroup_matrix_load(x, 8)
        b = enigma.simdgroup_matrix_load(h, 8)
        enigma.simdgroup_multiply_accumulate(a, a, b)  # <narrower>

    assert_trace_error(
        narrower,
        "narrower",
        "cannot accumulate `simdgroup_float8x8` products",
        "into a `simdgroup_half8x8` c",
        "make_filled_simdgroup_matrix(enigma.f32",
    )

    def half_into_bfloat(h: enigma.f16, z: enigma.bf16):
        a = enigma.simdgroup_matrix_load(h, 8)
        acc = enigma.make_filled_simdgroup_matrix(enigma.bf16, 0.0)
        enigma.simdgroup_multiply_accumulate(a, a, acc)  # <h2b>

    assert_trace_error(half_into_bfloat, "h2b", "`simdgroup_half8x8` products",
                       "`simdgroup_bfloat8x8` c")  # fmt: skip

    def mixed_carry(h: enigma.f16):
        acc = enigma.make_filled_simdgroup_matrix(enigma.f16, 0.0)
        a = enigma.simdgroup_matrix_load(h, 8)
        f = enigma.make_filled_simdgroup_matrix(enigma.f32, 0.0)
        with enigma.for_range(0, 4, init=[acc]) as (k, carry):
            carry[0] = enigma.simdgroup_multiply_accumulate(a, a, f)  # <mcarry>

    assert_trace_error(mixed_carry, "mcarry", "carries a `simdgroup_half8x8`",
                       "a `simdgroup_float8x8`")  # fmt: skip

    def not_matrix(x: enigma.f32):
        enigma.simdgroup_multiply_accumulate(x[0], x[1], x[2])  # <value>

    assert_trace_error(not_matrix, "value", "a must be a simdgroup matrix")

    def store_type(x: enigma.f32, h: enigma.f16):
        enigma.simdgroup_matrix_store(enigma.simdgroup_matrix_load(x, 8), h, 8)  # <store>

    assert_trace_error(store_type, "store", "into a buffer of its element type", "not `half`")

    def operator(x: enigma.f32):
        m = enigma.simdgroup_matrix_load(x, 8)
        m + m  # <op>

    assert_trace_error(operator, "op", "has no operators")

    def carry_type(x: enigma.f32, h: enigma.f16):
        acc = enigma.simdgroup_matrix_load(x, 8)
        with enigma.for_range(0, 4, init=[acc]) as (k, carry):
            carry[0] = enigma.simdgroup_matrix_load(h, 8)  # <ctype>

    assert_trace_error(carry_type, "ctype", "carry[0] carries a `simdgroup_float8x8`",
                       "a `simdgroup_half8x8`")  # fmt: skip

    def carry_scalar(x: enigma.f32):
        with enigma.for_range(0, 4, init=[enigma.simdgroup_matrix_load(x, 8)]) as (k, carry):
            carry[0] = x[k]  # <cscalar>

    assert_trace_error(carry_scalar, "cscalar", "carries a `simdgroup_float8x8`")

    def range_type(x: enigma.f32, h: enigma.f16):
        acc = enigma.simdgroup_matrix_load(x, 8)
        for k in enigma.range(4):
            acc = enigma.simdgroup_matrix_load(h, 8, origin=(k, 0))  # <rtype>
        enigma.simdgroup_matrix_store(acc, h, 8)

    assert_trace_error(range_type, "rtype", "`acc` changes type in the enigma.range loop",
                       "`simdgroup_half8x8` after this line")  # fmt: skip
