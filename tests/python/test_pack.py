"""Metal's pack/unpack functions on the cpu device, bit for bit against a numpy model.

The model follows MSL §7.7 in float32 operation by operation (tolerance: none,
the packed words and unpacked floats must be identical): clamp(f * M) with NaN
-> 0, round half to even, two's complement fields for snorm, c / M back, the
sRGB curve with powf. Inputs: random values in [-1.5, 1.5], exact halves
(f * M = k + 0.5, where rounding to even shows), NaN, +-inf, +-0, subnormals,
and every byte/field pattern of interest for unpack.
"""

import numpy as np
import pytest

import enigma

RNG = np.random.default_rng(5)
F = np.float32
FORMATS = {  # name: lanes of the packed float vector
    "snorm4x8": 4,
    "unorm4x8": 4,
    "snorm2x16": 2,
    "unorm2x16": 2,
    "srgb_unorm4x8": 4,
    "unorm10a2": 4,
}


def unorm(f, m):
    with np.errstate(invalid="ignore"):
        return np.rint(np.fmin(np.fmax(f * F(m), F(0)), F(m))).astype(np.uint32)


def snorm(f, m, bits):
    with np.errstate(invalid="ignore"):
        v = np.rint(np.fmin(np.fmax(f * F(m), F(-m)), F(m))).astype(np.int64)
    return (v & ((1 << bits) - 1)).astype(np.uint32)


def to_srgb(c):
    c = np.where(np.isnan(c), F(0), c)
    with np.errstate(invalid="ignore"):
        curve = F(1.055) * np.power(np.maximum(c, F(0)), F(1) / F(2.4)) - F(0.055)
    out = np.where(c < F(0.0031308), F(12.92) * c, curve)
    return np.where(c > 1, F(1), np.where(c < 0, F(0), out)).astype(F)


def pack_model(name, v):
    lanes = [v[:, k] for k in range(v.shape[1])]
    if name == "snorm4x8":
        fields = [snorm(x, 127, 8) for x in lanes], 8
    elif name == "unorm4x8":
        fields = [unorm(x, 255) for x in lanes], 8
    elif name == "snorm2x16":
        fields = [snorm(x, 32767, 16) for x in lanes], 16
    elif name == "unorm2x16":
        fields = [unorm(x, 65535) for x in lanes], 16
    elif name == "srgb_unorm4x8":
        fields = [unorm(to_srgb(x), 255) for x in lanes[:3]] + [unorm(lanes[3], 255)], 8
    else:
        fields = [unorm(x, 1023) for x in lanes[:3]] + [unorm(lanes[3], 3)], 10
    word = np.zeros(len(v), np.uint32)
    for k, field in enumerate(fields[0]):
        word |= field << np.uint32(fields[1] * k)
    return word


def unpack_model(name, u):
    def field(shift, bits):
        return (u >> np.uint32(shift)) & np.uint32((1 << bits) - 1)

    def signed(shift, bits):
        x = field(shift, bits).astype(np.int64)
        return np.where(x >= 1 << (bits - 1), x - (1 << bits), x).astype(F)

    def from_srgb(c):
        # The correctly rounded power (in float64, rounded once): numpy's own float32
        # power is 1 ulp off on some machines (its SIMD paths), libm's powf is not here.
        base = ((c + F(0.055)) / F(1.055)).astype(np.float64)
        with np.errstate(invalid="ignore"):
            curve = np.power(base, np.float64(F(2.4))).astype(F)
        return np.where(c <= F(0.04045), c / F(12.92), curve)

    if name == "snorm4x8":
        lanes = [np.maximum(signed(8 * k, 8) / F(127), F(-1)) for k in range(4)]
    elif name == "unorm4x8":
        lanes = [field(8 * k, 8).astype(F) / F(255) for k in range(4)]
    elif name == "snorm2x16":
        lanes = [np.maximum(signed(16 * k, 16) / F(32767), F(-1)) for k in range(2)]
    elif name == "unorm2x16":
        lanes = [field(16 * k, 16).astype(F) / F(65535) for k in range(2)]
    elif name == "srgb_unorm4x8":
        lanes = [from_srgb(field(8 * k, 8).astype(F) / F(255)) for k in range(3)]
        lanes.append(field(24, 8).astype(F) / F(255))
    else:
        lanes = [field(10 * k, 10).astype(F) / F(1023) for k in range(3)]
        lanes.append(field(30, 2).astype(F) / F(3))
    return np.stack(lanes, axis=1).astype(F)


@enigma.kernel
def pack_all(v4: enigma.float4, v2: enigma.float2, words: enigma.u32, raw: enigma.u32,
             back4: enigma.float4, back2: enigma.float2):  # fmt: skip
    i = enigma.thread_position_in_grid
    x4, x2 = v4[i], v2[i]
    words[i * 6 + 0] = enigma.pack_float_to_snorm4x8(x4)
    words[i * 6 + 1] = enigma.pack_float_to_unorm4x8(x4)
    words[i * 6 + 2] = enigma.pack_float_to_snorm2x16(x2)
    words[i * 6 + 3] = enigma.pack_float_to_unorm2x16(x2)
    words[i * 6 + 4] = enigma.pack_float_to_srgb_unorm4x8(x4)
    words[i * 6 + 5] = enigma.pack_float_to_unorm10a2(x4)
    u = raw[i]
    back4[i * 4 + 0] = enigma.unpack_snorm4x8_to_float(u)
    back4[i * 4 + 1] = enigma.unpack_unorm4x8_to_float(u)
    back4[i * 4 + 2] = enigma.unpack_unorm4x8_srgb_to_float(u)
    back4[i * 4 + 3] = enigma.unpack_unorm10a2_to_float(u)
    back2[i * 2 + 0] = enigma.unpack_snorm2x16_to_float(u)
    back2[i * 2 + 1] = enigma.unpack_unorm2x16_to_float(u)


def ties(m):
    """float32 f with f * m == k + 0.5 exactly (k even and odd): rint rounds them to even."""
    out = []
    for k in range(0, min(m, 600)):
        f = F((k + 0.5) / m)
        if F(f * F(m)) == F(k + 0.5):
            out.append(f)
    return np.array(out[:16] or [F(0.5)], F)


def test_pack_and_unpack_bit_exact():
    n = 256
    v4 = RNG.uniform(-1.5, 1.5, (n, 4)).astype(F)
    specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-40, 1.0, -1.0, 0.5], F)
    v4.flat[: specials.size] = specials
    for lane, m in enumerate((127, 255, 1023, 3)):
        t = ties(m)
        v4[20 + 20 * lane : 20 + 20 * lane + t.size, lane % 4] = t
    v2 = np.ascontiguousarray(v4[:, :2])
    v2[100:116, 0] = ties(65535)
    v2[116:132, 1] = ties(32767)
    words = np.zeros(n * 6, np.uint32)
    raw = RNG.integers(0, 2**32, n, dtype=np.uint32)
    raw[:8] = [0, 0xFFFFFFFF, 0x80808080, 0x7F7F7F7F, 0x80008000, 0x7FFF7FFF, 0x81818181, 1]
    back4, back2 = np.zeros(n * 16, F), np.zeros(n * 4, F)
    compiled = enigma.compile(pack_all)
    compiled(v4, v2, words, raw, back4, back2, grid=(n, 1, 1), threads=(64, 1, 1), device="cpu")
    words = words.reshape(n, 6)
    for k, name in enumerate(FORMATS):
        want = pack_model(name, v2 if FORMATS[name] == 2 else v4)
        np.testing.assert_array_equal(words[:, k], want, err_msg=f"pack_float_to_{name}")
    u = raw
    back4, back2 = back4.reshape(n, 4, 4), back2.reshape(n, 2, 2)
    for k, name in enumerate(("snorm4x8", "unorm4x8", "srgb_unorm4x8", "unorm10a2")):
        np.testing.assert_array_equal(back4[:, k], unpack_model(name, u), err_msg=name)
    for k, name in enumerate(("snorm2x16", "unorm2x16")):
        np.testing.assert_array_equal(back2[:, k], unpack_model(name, u), err_msg=name)


def test_pack_errors():
    @enigma.kernel
    def half_input(a: enigma.half4, w: enigma.u32):
        w[0] = enigma.pack_float_to_unorm4x8(a[0])

    with _raises("packs a `float4`, not `half4`"):
        half_input.trace()

    @enigma.kernel
    def float_word(a: enigma.f32, b: enigma.float4):
        b[0] = enigma.unpack_unorm4x8_to_float(a[0])

    with _raises("unpacks a 32-bit `uint`, not `float`"):
        float_word.trace()


def _raises(fragment):
    return pytest.raises(enigma.EnigmaError, match=fragment.replace("`", "."))
