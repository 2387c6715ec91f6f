"""Vector types end to end on the cpu device: buffers, arithmetic, lanes, swizzles, construction.

Every Metal element type is loaded from and stored to 2-, 3- and 4-lane vector
buffers (3-lane vectors are padded to 4 lanes in memory, as in Metal) and
computed with lane-wise operators, each checked against numpy: bit for bit,
since every lane operation is exact or correctly rounded once (half and
bfloat products are exact in float32, so float32 then one rounding is the
exact reference). One kernel per element type keeps the clang time small.
Bool vectors exist as values (comparisons, masks); the cpu device refuses
bool-vector buffers because clang packs them into bits.
"""

import numpy as np
import pytest
from tagged_errors import assert_trace_error as trace_error

import enigma
from enigma import LaunchError, Scalar
from enigma.dtypes import bfloat16_bits_to_float, float_to_bfloat16_bits
from enigma.errors import EnigmaError

RNG = np.random.default_rng(7)
N = 16  # threads; each writes one vector per operation

# Lane-wise operations, each (name, fn) applied to loaded vectors x and y.
FLOAT_OPS = [
    ("add", lambda x, y: x + y),
    ("sub", lambda x, y: x - y),
    ("mul", lambda x, y: x * y),
    ("div", lambda x, y: x / y),
    ("neg", lambda x, y: -x),
    ("splat", lambda x, y: x * 2 - 0.5),
    ("where", lambda x, y: enigma.where(x, y, x < y)),
]
INT_OPS = [
    ("add", lambda x, y: x + y),
    ("sub", lambda x, y: x - y),
    ("mul", lambda x, y: x * y),
    ("div", lambda x, y: x / y),
    ("rem", lambda x, y: x % y),
    ("floordiv", lambda x, y: x // y),
    ("and", lambda x, y: x & y),
    ("or", lambda x, y: x | y),
    ("xor", lambda x, y: x ^ y),
    ("shl", lambda x, y: x << 1),
    ("shr", lambda x, y: y >> 1),
    ("neg", lambda x, y: -x),
    ("not", lambda x, y: ~x),
    ("where", lambda x, y: enigma.where(x, y, x < y)),
]


def arith_kernel(t):
    """A kernel computing every op of t's kind on t2, t3 and t4 buffers."""
    v2, v3, v4 = (enigma.dtype(f"{t.name}{n}") for n in (2, 3, 4))
    ops = FLOAT_OPS if t.is_float else INT_OPS

    def body(a2: v2, b2: v2, o2: v2, a3: v3, b3: v3, o3: v3, a4: v4, b4: v4, o4: v4):
        i = enigma.thread_position_in_grid
        for a, b, o in ((a2, b2, o2), (a3, b3, o3), (a4, b4, o4)):
            x, y = a[i], b[i]
            for k, (_, fn) in enumerate(ops):
                o[i * len(ops) + k] = fn(x, y)

    body.__name__ = body.__qualname__ = f"vector_arith_{t.short}"
    return enigma.kernel(body)


def reference(t, name, x, y):
    """numpy's value of op `name` on lanes x, y of numpy dtype t.numpy (bfloat: float32)."""
    if t.is_float:
        x32, y32 = x.astype(np.float32), y.astype(np.float32)
        with np.errstate(all="ignore"):
            value = {
                "add": x32 + y32,
                "sub": x32 - y32,
                "mul": x32 * y32,
                "div": x32 / y32,
                "neg": -x32,
                "splat": x32 * 2 - np.float32(0.5),
                "where": np.where(x32 < y32, y32, x32),
            }[name]
        return value  # x * 2 is exact, so "splat" rounds once too
    # Python ints (numpy's uint64 meeting an int would become a float).
    xs, ys = (np.array([int(v) for v in z.flat], dtype=object).reshape(z.shape) for z in (x, y))
    bits, lo = t.bits, (-(1 << (t.bits - 1)) if t.is_signed else 0)

    def wrap(v):
        return (int(v) - lo) % (1 << bits) + lo

    def trunc_div(a, b):
        q = abs(a) // abs(b)
        return q if (a < 0) == (b < 0) else -q

    value = {
        "add": xs + ys,
        "sub": xs - ys,
        "mul": xs * ys,
        "div": [trunc_div(a, b) for a, b in zip(xs.flat, ys.flat, strict=True)],
        "rem": [a - trunc_div(a, b) * b for a, b in zip(xs.flat, ys.flat, strict=True)],
        "floordiv": xs // ys,
        "and": xs & ys,
        "or": xs | ys,
        "xor": xs ^ ys,
        "shl": xs * 2,
        "shr": ys >> 1,
        "neg": -xs,
        "not": ~xs if t.is_signed else (1 << bits) - 1 - xs,
        "where": np.where(x < y, ys, xs),
    }[name]
    lanes = value.flat if isinstance(value, np.ndarray) else value  # lists stay Python ints
    return np.array([wrap(v) for v in lanes], dtype=t.numpy).reshape(x.shape)


def random_lanes(t, shape):
    """Random lanes of t (bfloat as float32 values already rounded to bfloat)."""
    if t.is_float:
        values = (RNG.standard_normal(shape) * 8).astype(np.float32)
        values.flat[:6] = [0.0, -0.0, np.inf, -np.inf, 1e-3, 3.0]
        if t.name == "bfloat":
            return bfloat16_bits_to_float(float_to_bfloat16_bits(values))
        return values.astype(t.numpy)
    info = np.iinfo(t.numpy)
    values = RNG.integers(info.min, info.max, shape, dtype=t.numpy, endpoint=True)
    values.flat[:4] = [info.min, info.max, 0, 1]
    return values


def aligned(array):
    """`array` copied to a 32-byte aligned address: a long4 (32 bytes) must be aligned to its
    size, which numpy's 16-byte alignment does not promise."""
    raw = np.zeros(array.nbytes + 32, np.uint8)
    start = -raw.ctypes.data % 32
    out = raw[start : start + array.nbytes].view(array.dtype).reshape(array.shape)
    out[...] = array
    return out


def as_buffer(t, lanes):
    return aligned(float_to_bfloat16_bits(lanes) if t.name == "bfloat" else lanes)


def from_buffer(t, buffer):
    return bfloat16_bits_to_float(buffer) if t.name == "bfloat" else buffer


NUMERIC = [d for d in enigma.dtypes.SCALAR_DTYPES if not d.is_bool]


@pytest.mark.parametrize("t", NUMERIC, ids=lambda t: t.name)
def test_vector_buffers_and_arithmetic(t):
    ops = FLOAT_OPS if t.is_float else INT_OPS
    args, checks = [], []
    for lanes in (2, 3, 4):
        padded = 4 if lanes == 3 else lanes  # Metal's float3 takes 16 bytes
        x, y = random_lanes(t, (N, padded)), random_lanes(t, (N, padded))
        if t.is_int:  # no division by zero, no MIN / -1
            y[y == 0] = 1
            if t.is_signed:
                y[(x == np.iinfo(t.numpy).min) & (y == -1)] = 1
        out = aligned(np.zeros((N * len(ops), padded), dtype=as_buffer(t, x).dtype))
        args += [as_buffer(t, x), as_buffer(t, y), out]
        checks.append((lanes, x, y, out))
    enigma.compile(arith_kernel(t))(*args, grid=(N, 1, 1), threads=(8, 1, 1), device="cpu")
    for lanes, x, y, out in checks:
        got = from_buffer(t, out).reshape(N, len(ops), -1)[:, :, :lanes]
        for k, (name, _) in enumerate(ops):
            want = reference(t, name, x[:, :lanes], y[:, :lanes])
            if t.is_float:  # rounded once to t (float32 values for bfloat)
                want = want.astype(np.float32)
                if t.name == "bfloat":
                    want = bfloat16_bits_to_float(float_to_bfloat16_bits(want))
                want = want.astype(t.numpy) if t.name != "bfloat" else want
            np.testing.assert_array_equal(got[:, k], want, err_msg=f"{t.name}{lanes} {name}")


@enigma.kernel
def lanes_kernel(
    a: enigma.float4, p: enigma.int3, out: enigma.f32, iout: enigma.i32, s: Scalar(enigma.float2)
):
    i = enigma.thread_position_in_grid
    v = a[i]
    w = p[i]
    lanes = [v.x, v.y, v.z, v.w, v.r, v.a, v[2], enigma.vec_extract(v, i % 4), s.y]
    lanes += [v.wzyx[0], v.xxxx.w, v.zy.y, v.bgr.x]
    for k, lane in enumerate(lanes):
        out[i * 16 + k] = lane
    built = enigma.make_float4(v.xy, s)  # float4(v.xy, s)
    built3 = enigma.make_float3(w.z)  # splat, int -> float
    m = enigma.make_vec(enigma.f32, v.w, 5)  # float2 from the element type
    out[i * 16 + 13] = enigma.dot(built, enigma.make_float4(1.0, 10.0, 100.0, 1000.0))
    out[i * 16 + 14] = built3.y + m.x * m.y
    out[i * 16 + 15] = enigma.vec_extract(enigma.metal_cast(w, enigma.float3), 1)
    # Bool vectors: comparisons, masks, lane reads, construction, where.
    lt = v < 2.0
    gt = v.xyz > enigma.metal_cast(w, enigma.float3)
    mask = (lt.xyz & gt) | ~(lt.xyz ^ gt)
    picked = enigma.where(w, -w, mask)
    flags = enigma.make_vec(enigma.b1, lt.x, gt[1], True)
    iout[i * 8 + 0] = picked.x
    iout[i * 8 + 1] = picked.y
    iout[i * 8 + 2] = picked.z
    bits = enigma.metal_cast(flags, enigma.int3) * enigma.make_vec(enigma.int3, 1, 2, 4)
    iout[i * 8 + 3] = bits.x + bits.y + bits.z
    iout[i * 8 + 4] = enigma.metal_cast(enigma.metal_cast(v, enigma.int4), enigma.uchar4).w
    iout[i * 8 + 5] = (w // 3).x + (w % 3).y * 100


def test_lanes_swizzles_construction_and_bool_vectors():
    a = RNG.uniform(-4, 4, (N, 4)).astype(np.float32)
    p = np.zeros((N, 4), np.int32)
    p[:, :3] = RNG.integers(-50, 50, (N, 3))
    out, iout = np.zeros(N * 16, np.float32), np.zeros(N * 8, np.int32)
    s = (0.25, -8.5)
    lanes_kernel_c = enigma.compile(lanes_kernel)
    lanes_kernel_c(a, p.reshape(-1), out, iout, s, grid=(N, 1, 1), threads=(4, 1, 1), device="cpu")
    out, iout = out.reshape(N, 16), iout.reshape(N, 8)
    i = np.arange(N)
    want = np.stack(
        [a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 0], a[:, 3], a[:, 2], a[i, i % 4],
         np.full(N, -8.5, np.float32), a[:, 3], a[:, 0], a[:, 1], a[:, 2]], axis=1
    )  # fmt: skip
    np.testing.assert_array_equal(out[:, :13], want)
    built = np.stack([a[:, 0], a[:, 1], np.full(N, 0.25), np.full(N, -8.5)], axis=1)
    np.testing.assert_allclose(out[:, 13], built @ [1, 10, 100, 1000], rtol=1e-6)  # dot: 1 ulp
    np.testing.assert_array_equal(out[:, 14], p[:, 2].astype(np.float32) + a[:, 3] * 5)
    np.testing.assert_array_equal(out[:, 15], p[:, 1].astype(np.float32))
    lt = a < 2.0
    gt = a[:, :3] > p[:, :3]
    mask = (lt[:, :3] & gt) | ~(lt[:, :3] ^ gt)
    np.testing.assert_array_equal(iout[:, :3], np.where(mask, -p[:, :3], p[:, :3]))
    np.testing.assert_array_equal(iout[:, 3], lt[:, 0] * 1 + gt[:, 1] * 2 + 4)
    np.testing.assert_array_equal(iout[:, 4], a[:, 3].astype(np.int32).astype(np.uint8))
    w = p[:, :3]
    np.testing.assert_array_equal(iout[:, 5], (w // 3)[:, 0] + np.fmod(w, 3)[:, 1] * 100)


@enigma.kernel
def copy3(src: enigma.float3, dst: enigma.float3):
    i = enigma.thread_position_in_grid
    dst[i] = src[i].zxy


def test_three_lane_buffers_are_padded_to_four():
    src = np.arange(32, dtype=np.float32).reshape(8, 4)
    dst = np.zeros(32, np.float32)  # flat lanes work as well as rows of 4
    enigma.compile(copy3)(src, dst, grid=(8, 1, 1), threads=(8, 1, 1), device="cpu")
    np.testing.assert_array_equal(dst.reshape(8, 4)[:, :3], src[:, [2, 0, 1]])
    with pytest.raises(LaunchError, match=r"shape \(8, 3\): each float3 takes 4 float32"):
        enigma.compile(copy3)(
            np.zeros((8, 3), np.float32), dst, grid=(8, 1, 1), threads=(8, 1, 1), device="cpu"
        )


# --- errors ---------------------------------------------------------------------------------------


def test_swizzle_errors():
    def missing_lane(a: enigma.float2, b: enigma.f32):
        b[0] = a[0].z  # <missing>

    def mixed(a: enigma.float4, b: enigma.float2):
        b[0] = a[0].xg  # <mixed>

    def too_long(a: enigma.float4, b: enigma.float4):
        b[0] = a[0].xyzwx  # <long>

    def assign(a: enigma.float4):
        v = a[0]
        v.x = 1.0  # <assign>

    trace_error(missing_lane, "missing", "reads lane `z` (lane 2), but `float2` has 2 lanes")
    trace_error(mixed, "mixed", "`.xg` mixes the lane names")
    trace_error(too_long, "long", "`.xyzwx` names 5 lanes")
    trace_error(assign, "assign", "cannot assign to `.x`", "immutable")


def test_construction_and_extract_errors():
    def lane_count(a: enigma.float4):
        a[0] = enigma.make_vec(enigma.float4, a[0].xy, 1.0)  # <count>

    def vector_part(a: enigma.float4, b: enigma.int2):
        a[0] = enigma.make_vec(enigma.float4, b[0], 1.0, 2.0)  # <part>

    def float_literal(a: enigma.int2):
        a[0] = enigma.make_vec(enigma.int2, 1, 2.5)  # <literal>

    def bad_lane(a: enigma.float4, b: enigma.f32):
        b[0] = enigma.vec_extract(a[0], 4)  # <lane>

    def scalar(b: enigma.f32):
        b[0] = enigma.vec_extract(b[0], 0)  # <scalar>

    trace_error(lane_count, "count", "got 3 lanes for a 4-lane vector")
    trace_error(vector_part, "part", "cannot take a `int2` part into a vector of `float`")
    trace_error(float_literal, "literal", "is a Python float and cannot meet a value of type `int`")
    trace_error(bad_lane, "lane", "lane 4 does not exist in a `float4`")
    trace_error(scalar, "scalar", "needs a traced vector value, not a scalar `float`")


def test_vec_width_is_validated_and_reserved_for_tensor_fragments():
    # No Tensor fragments here: the kernel loads exactly the float3s it names.
    assert enigma.compile(copy3, vec_width=4).metal_source == enigma.compile(copy3).metal_source
    with pytest.raises(EnigmaError, match="vec_width must be 0 \\(auto\\), 1, 2 or 4, not 3"):
        enigma.compile(copy3, vec_width=3)


@enigma.kernel
def float4_to_ints(src: enigma.float4, signed: enigma.int4, unsigned: enigma.uint4):
    i = enigma.thread_position_in_grid
    v = src[i]
    signed[i] = enigma.metal_cast(v, enigma.int4)
    unsigned[i] = enigma.metal_cast(v, enigma.uint4)


def test_vector_float_to_int_conversion_saturates_like_apple_gpus():
    # Out-of-range lanes clamp to the integer range and NaN lanes give 0, lane by lane,
    # exactly as the scalar conversion does (test_integer.py).
    src = np.array([[3e9, -3e9, np.nan, 2.7], [-2.7, np.inf, -np.inf, 1e-30]], np.float32)
    signed = np.zeros((2, 4), np.int32)
    unsigned = np.zeros((2, 4), np.uint32)
    enigma.compile(float4_to_ints)(src, signed, unsigned, grid=(2, 1, 1), threads=(2, 1, 1))
    imax, imin, umax = 2**31 - 1, -(2**31), 2**32 - 1
    np.testing.assert_array_equal(signed, [[imax, imin, 0, 2], [-2, imax, imin, 0]])
    np.testing.assert_array_equal(unsigned, [[3000000000, 0, 0, 2], [0, umax, 0, 0]])
