"""Quantization helpers (enigma.tile.quantize) on the cpu device against numpy, bit-exact.

Two kernels: one packs and unpacks every edge byte and nibble (scalar and vector
forms, masked out-of-range traced inputs), one dequantizes scalar and vector
inputs to float, half and from uchar with a zero point. Misuse is a TraceError.
"""

import numpy as np
from tagged_errors import assert_trace_error

import enigma
from enigma import f16, f32, i8, i16, i32, u8, u32

N = 256
RNG = np.random.default_rng(7)
EDGE_I8 = np.array([-128, 127, 0, -1, 1, -8, 7, 8], np.int8)


@enigma.kernel
def pack_unpack(a: i8, b: u8, c: i32, d: i16, words: u32, bytes_out: enigma.uchar4,
                lo: i32, hi: i32, nibbles: u8, raw: u8, lo_out: i8, hi_out: i8, lo_f: f32,
                hi_f: f32, v_lo: enigma.char4, v_hi: enigma.char4, v_packed: enigma.uchar4,
                v_lo_out: enigma.char4, literal: u32):  # fmt: skip
    i = enigma.thread_position_in_grid
    words[i] = enigma.pack_uint8x4(a[i], b[i], c[i], d[i])
    bytes_out[i] = enigma.unpack_uint8x4(words[i])
    nibbles[i] = enigma.pack_int4x2(lo[i], hi[i])
    x, y = enigma.unpack_int4x2(raw[i])
    lo_out[i] = x
    hi_out[i] = y
    xf, yf = enigma.unpack_int4x2(raw[i], f32)
    lo_f[i] = xf
    hi_f[i] = yf
    packed = enigma.pack_int4x2(v_lo[i], v_hi[i])
    v_packed[i] = packed
    back, _ = enigma.unpack_int4x2(packed)
    v_lo_out[i] = back
    literal[i] = enigma.pack_uint8x4(-128, 255, 0, 127)


def nibble(v):
    """Two's complement 4-bit value of the low bits of v (Python ints)."""
    v &= 0xF
    return v - 16 if v >= 8 else v


def test_pack_unpack_bit_exact():
    a = np.resize(EDGE_I8, N)
    b = np.resize(np.array([0, 255, 128, 1], np.uint8), N)
    c = RNG.integers(-(2**31), 2**31 - 1, N, dtype=np.int32)  # masked to the low byte
    d = RNG.integers(-(2**15), 2**15 - 1, N, dtype=np.int16)
    lo = np.resize(np.array([-8, 7, 0, -1, 8, 9, -9, 100], np.int32), N)
    hi = np.roll(lo, 3)
    raw = np.arange(N, dtype=np.uint8)  # every byte
    v_lo = RNG.integers(-8, 8, 4 * N, dtype=np.int8)
    v_hi = RNG.integers(-8, 8, 4 * N, dtype=np.int8)
    words = np.zeros(N, np.uint32)
    bytes_out = np.zeros(4 * N, np.uint8)
    nibbles, lo_out, hi_out = np.zeros(N, np.uint8), np.zeros(N, np.int8), np.zeros(N, np.int8)
    lo_f, hi_f = np.zeros(N, np.float32), np.zeros(N, np.float32)
    v_packed, v_lo_out = np.zeros(4 * N, np.uint8), np.zeros(4 * N, np.int8)
    literal = np.zeros(N, np.uint32)
    enigma.compile(pack_unpack)(
        a, b, c, d, words, bytes_out, lo, hi, nibbles, raw, lo_out, hi_out, lo_f, hi_f,
        v_lo, v_hi, v_packed, v_lo_out, literal, grid=(N, 1, 1), threads=(64, 1, 1),
        device="cpu",
    )  # fmt: skip
    parts = [x.astype(np.int64) & 0xFF for x in (a, b, c, d)]
    want = parts[0] | parts[1] << 8 | parts[2] << 16 | parts[3] << 24
    np.testing.assert_array_equal(words, want.astype(np.uint32))
    np.testing.assert_array_equal(bytes_out.reshape(N, 4), np.stack(parts, 1).astype(np.uint8))
    want_nib = (lo.astype(np.int64) & 0xF) | (hi.astype(np.int64) & 0xF) << 4
    np.testing.assert_array_equal(nibbles, want_nib.astype(np.uint8))
    want_lo = np.array([nibble(int(r)) for r in raw])
    want_hi = np.array([nibble(int(r) >> 4) for r in raw])
    np.testing.assert_array_equal(lo_out, want_lo)
    np.testing.assert_array_equal(hi_out, want_hi)
    np.testing.assert_array_equal(lo_f, want_lo.astype(np.float32))
    np.testing.assert_array_equal(hi_f, want_hi.astype(np.float32))
    assert (want_lo.min(), want_lo.max()) == (-8, 7)
    want_v = (v_lo.astype(np.int64) & 0xF) | (v_hi.astype(np.int64) & 0xF) << 4
    np.testing.assert_array_equal(v_packed, want_v.astype(np.uint8))
    np.testing.assert_array_equal(v_lo_out, v_lo)  # round trip of in-range nibbles
    assert np.all(literal == np.uint32(0x80 | 0xFF << 8 | 0 << 16 | 127 << 24))


@enigma.kernel
def dequant(q: i8, scale: f32, zp: i32, out: f32, qv: enigma.char4, out_v: enigma.float4,
            out_h: f16, qu: u8, out_u: f32):  # fmt: skip
    i = enigma.thread_position_in_grid
    out[i] = enigma.dequantize_int8(q[i], scale[i], zero_point=zp[i])
    out_v[i] = enigma.dequantize_int8(qv[i], 0.125, zero_point=-3)
    out_h[i] = enigma.dequantize_int8(q[i], scale[i], dtype=f16)
    out_u[i] = enigma.dequantize_int8(qu[i], scale[i], zero_point=128)


def test_dequantize_int8_exact():
    q = np.resize(np.concatenate([EDGE_I8, RNG.integers(-128, 128, 56).astype(np.int8)]), N)
    scale = RNG.uniform(-2, 2, N).astype(np.float32)
    zp = RNG.integers(-200, 200, N, dtype=np.int32)
    qv = RNG.integers(-128, 128, 4 * N, dtype=np.int8)
    qu = np.arange(N, dtype=np.uint8)
    out, out_v = np.zeros(N, np.float32), np.zeros(4 * N, np.float32)
    out_h, out_u = np.zeros(N, np.float16), np.zeros(N, np.float32)
    enigma.compile(dequant)(q, scale, zp, out, qv, out_v, out_h, qu, out_u, grid=(N, 1, 1),
                            threads=(64, 1, 1), device="cpu")  # fmt: skip
    diff = (q.astype(np.int64) - zp).astype(np.float32)
    np.testing.assert_array_equal(out, diff * scale)  # one float multiplication
    np.testing.assert_array_equal(out_v, (qv.astype(np.float32) + 3) * np.float32(0.125))
    np.testing.assert_array_equal(out_h, (q.astype(np.float32) * scale).astype(np.float16))
    np.testing.assert_array_equal(out_u, (qu.astype(np.float32) - 128) * scale)


def test_errors():
    def float_byte(a: f32, out: u32):
        out[0] = enigma.pack_uint8x4(a[0], 0, 0, 0)  # <float>

    assert_trace_error(float_byte, "float", "pack_uint8x4: byte 0 must be an integer", "`float`")

    def literal_range(out: u8):
        out[0] = enigma.pack_int4x2(8, 0)  # <nibble>

    assert_trace_error(literal_range, "nibble", "lo 8 does not fit the field (-8..7)")

    def byte_range(out: u32):
        out[0] = enigma.pack_uint8x4(0, 256, 0, 0)  # <byte>

    assert_trace_error(byte_range, "byte", "byte 1 256 does not fit the field (-128..255)")

    def vector_pack(a: enigma.uchar4, out: u32):
        out[0] = enigma.pack_uint8x4(a[0], 0, 0, 0)  # <vector>

    assert_trace_error(vector_pack, "vector", "packs four scalars into one uint")

    def lanes(a: enigma.char4, b: enigma.char2, out: u8):
        out[0] = enigma.pack_int4x2(a[0], b[0]).x  # <lanes>

    assert_trace_error(lanes, "lanes", "vectors of one width", "`char4`, `char2`")

    def wide_q(q: i32, out: f32):
        out[0] = enigma.dequantize_int8(q[0], 0.5)  # <wide>

    assert_trace_error(wide_q, "wide", "q must be a traced 8-bit integer", "`int`")

    def int_scale(q: i8, s: i32, out: f32):
        out[0] = enigma.dequantize_int8(q[0], s[0])  # <scale>

    assert_trace_error(int_scale, "scale", "scale must be a float value")

    def int_dtype(q: i8, out: f32):
        out[0] = enigma.dequantize_int8(q[0], 0.5, dtype=i32)  # <dtype>

    assert_trace_error(int_dtype, "dtype", "dtype must be a float type", "`int`")

    def unsigned_unpack(q: u8, out: u8):
        x, y = enigma.unpack_int4x2(q[0], u8)  # <unsigned>
        out[0] = x

    assert_trace_error(unsigned_unpack, "unsigned", "a signed integer or float type")
