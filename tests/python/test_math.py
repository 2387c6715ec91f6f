"""Metal's float math functions on the cpu device against float64 numpy references.

One kernel per dtype (f32, f16, bf16) applies every unary function and
predicate to `x`, every binary one to `(x, y)` and every ternary one to
`(x, y, z)`. Inputs hold the edge values (NaN, -NaN, ±inf, ±0, subnormals,
halves for `round`, the type's extremes) and random values. References are
computed in float64 from the exact input values and rounded once to the
dtype; tolerances are stated per dtype below.
"""

import numpy as np
import pytest

import enigma
from enigma import EnigmaError, bf16, f16, f32, i32, u8

N = 256
RNG = np.random.default_rng(7)

UNARY = ["sqrt", "rsqrt", "exp", "exp2", "log", "log2", "log10", "sin", "cos", "tan", "asin",
         "acos", "atan", "sinh", "cosh", "tanh", "ceil", "floor", "round", "trunc", "sign",
         "saturate", "fract", "abs"]  # fmt: skip
BINARY = ["fmin", "fmax", "pow", "fmod", "atan2", "step", "copysign"]
TERNARY = ["clamp", "fma", "mix", "smoothstep"]
PREDICATES = ["isnan", "isinf", "isfinite", "signbit", "isnormal"]
FLOAT_OUTPUTS = UNARY + BINARY + TERNARY


def make_kernel(dtype):
    def all_math(x: dtype, y: dtype, z: dtype, out: dtype, pred: u8):
        i = enigma.thread_position_in_grid
        for k, name in enumerate(UNARY):
            out[k * N + i] = getattr(enigma, name)(x[i])
        for k, name in enumerate(BINARY, len(UNARY)):
            out[k * N + i] = getattr(enigma, name)(x[i], y[i])
        for k, name in enumerate(TERNARY, len(UNARY) + len(BINARY)):
            out[k * N + i] = getattr(enigma, name)(x[i], y[i], z[i])
        for k, name in enumerate(PREDICATES):
            pred[k * N + i] = getattr(enigma, name)(x[i])

    all_math.__name__ = f"all_math_{dtype.name}"
    return enigma.kernel(all_math)


# dtype -> (numpy storage, relative tolerance, smallest normal, largest value below 1).
# f32: the host's libm is within ~1 ulp; 4 ulp (2^-21) allows Metal's precise bounds for
# the cheap functions. f16/bf16: computed in float, rounded once: 1 ulp of the type.
TYPES = {
    "float": (np.float32, 2**-21, 2.0**-126, np.float32(1) - np.float32(2**-24)),
    "half": (np.float16, 2**-10, 2.0**-14, 1 - 2**-11),
    "bfloat": (np.float32, 2**-7, 2.0**-126, 1 - 2**-8),
}


def to_dtype(values, name):
    """float64 `values` rounded once to dtype `name` (as float64)."""
    v = np.asarray(values, np.float64)
    if name == "bfloat":
        with np.errstate(over="ignore"):
            bits = enigma.float_to_bfloat16_bits(v.astype(np.float32))
        return enigma.bfloat16_bits_to_float(bits).astype(np.float64)
    with np.errstate(over="ignore"):
        return v.astype(TYPES[name][0]).astype(np.float64)


def inputs(name):
    """x, y, z of exact dtype values; y <= z (the clamp bounds) wherever both are finite."""
    tiny = TYPES[name][2]
    edges = [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, tiny / 4, -tiny / 4, tiny, 0.5,
             -0.5, 1.5, -2.5, 2.5, 1.0, -1.0, 0.999, 1e4, -1e4, 3.0, 1e-3, 88.0, -100.0,
             60000.0]  # fmt: skip
    x = np.concatenate([edges, RNG.standard_normal(N - len(edges)) * 4])
    y = RNG.standard_normal(N) * 2
    y[: len(edges)] = RNG.permutation(np.array(edges[4:] * 2)[: len(edges)])
    y[:4] = [1.0, 2.0, -3.0, 0.5]  # NaN/inf operands come from x
    z = y + np.abs(RNG.standard_normal(N)) + 0.25
    return to_dtype(x, name), to_dtype(y, name), to_dtype(z, name)


def storage(values, name):
    if name == "bfloat":
        return enigma.float_to_bfloat16_bits(values.astype(np.float32))
    return values.astype(TYPES[name][0])


def from_storage(array, name):
    if name == "bfloat":
        return enigma.bfloat16_bits_to_float(array).astype(np.float64)
    return array.astype(np.float64)


def round_half_away(x):
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def references(x, y, z, name):
    """float64 references in output order, and the rounding each gets."""
    below_one = TYPES[name][3]
    with np.errstate(all="ignore"):
        fract = np.where(np.isinf(x), np.copysign(0.0, x),
                         np.minimum(to_dtype(x - np.floor(x), name), below_one))  # fmt: skip
        fract[np.isnan(x)] = np.nan
        t = np.fmin(np.fmax((z - x) / (y - x), 0.0), 1.0)  # smoothstep(edge0=x, edge1=y, z)
        refs = {
            "sqrt": np.sqrt(x), "rsqrt": 1 / np.sqrt(x), "exp": np.exp(x), "exp2": np.exp2(x),
            "log": np.log(x), "log2": np.log2(x), "log10": np.log10(x), "sin": np.sin(x),
            "cos": np.cos(x), "tan": np.tan(x), "asin": np.arcsin(x), "acos": np.arccos(x),
            "atan": np.arctan(x), "sinh": np.sinh(x), "cosh": np.cosh(x), "tanh": np.tanh(x),
            "ceil": np.ceil(x), "floor": np.floor(x), "round": round_half_away(x),
            "trunc": np.trunc(x), "sign": np.where(x == 0, x, np.nan_to_num(np.sign(x))),
            "saturate": np.fmin(np.fmax(x, 0.0), 1.0), "fract": fract, "abs": np.abs(x),
            "fmin": np.fmin(x, y), "fmax": np.fmax(x, y), "pow": np.power(x, y),
            "fmod": np.fmod(x, y), "atan2": np.arctan2(x, y), "step": np.where(y < x, 0.0, 1.0),
            "copysign": np.copysign(x, y), "clamp": np.fmin(np.fmax(x, y), z),
            "fma": x * y + z, "mix": x + (y - x) * z, "smoothstep": t * t * (3 - 2 * t),
        }  # fmt: skip
    return refs


@pytest.mark.parametrize("dtype", [f32, f16, bf16], ids=lambda t: t.name)
def test_float_math(dtype):
    name = dtype.name
    x, y, z = inputs(name)
    out = np.zeros(len(FLOAT_OUTPUTS) * N, np.uint16 if name == "bfloat" else TYPES[name][0])
    pred = np.zeros(len(PREDICATES) * N, np.uint8)
    kernel = make_kernel(dtype)
    enigma.compile(kernel)(storage(x, name), storage(y, name), storage(z, name), out, pred,
                           grid=(N, 1, 1), threads=(64, 1, 1), device="cpu")  # fmt: skip
    got = from_storage(out, name).reshape(len(FLOAT_OUTPUTS), N)
    refs = references(x, y, z, name)
    rtol = TYPES[name][1]
    for k, fn in enumerate(FLOAT_OUTPUTS):
        ref = to_dtype(refs[fn], name)
        # mix and smoothstep compute in several roundings: allow them relative to their
        # operands' magnitude (cancellation); the others are within rtol of the result.
        scale = np.abs(x) + np.abs(y) + np.abs(z) if fn in ("mix", "smoothstep", "fma") else 0
        with np.errstate(invalid="ignore"):
            atol = np.broadcast_to(np.nan_to_num(4 * rtol * scale) + TYPES[name][2], (N,))
        nan, finite = np.isnan(ref), np.isfinite(ref)
        assert np.array_equal(np.isnan(got[k]), nan), fn
        assert np.array_equal(got[k][~finite & ~nan], ref[~finite & ~nan]), fn  # ±inf exactly
        with np.errstate(invalid="ignore"):
            bad = (np.abs(got[k] - ref) > rtol * np.abs(ref) + atol) & finite
        assert not bad.any(), (fn, x[bad][:4], got[k][bad][:4], ref[bad][:4])
    # Signed zeros: sign(±0) = ±0, fract(-inf) = -0, abs(-0) = +0.
    sign, fract_, absx = (got[FLOAT_OUTPUTS.index(f)] for f in ("sign", "fract", "abs"))
    zero = x == 0
    assert np.array_equal(np.signbit(sign[zero]), np.signbit(x[zero]))
    assert np.signbit(fract_[x == -np.inf]).all() and not np.signbit(absx).any()

    tiny = TYPES[name][2]
    with np.errstate(invalid="ignore"):
        pred_refs = [np.isnan(x), np.isinf(x), np.isfinite(x), np.signbit(x),
                     np.isfinite(x) & (np.abs(x) >= tiny)]  # fmt: skip
    np.testing.assert_array_equal(pred.reshape(len(PREDICATES), N), np.array(pred_refs, np.uint8))


def test_emitted_msl_is_precise():
    src = enigma.compile(make_kernel(f32)).metal_source
    assert "precise::sin(" in src and "precise::fmin(" in src and " round(" in src
    src16 = enigma.compile(make_kernel(f16)).metal_source
    assert "precise::" not in src16 and " sin(" in src16 and "smoothstep(" in src16


# --- errors -----------------------------------------------------------------------------------


def trace_error(fn):
    @enigma.kernel
    def bad(a: i32, b: f32):
        i = enigma.thread_position_in_grid
        b[i] = fn(a[i], b[i])

    with pytest.raises(EnigmaError) as e:
        enigma.compile(bad)
    return str(e.value)


def test_float_math_rejects_integers():
    msg = trace_error(lambda a, b: enigma.sqrt(a))
    assert "sqrt takes a floating-point value, not `int`" in msg and "metal_cast" in msg
    assert "test_math.py" in msg  # the user's line
    msg = trace_error(lambda a, b: enigma.fmin(a, a))
    assert "imin" in msg
    msg = trace_error(lambda a, b: enigma.mix(b, b))
    assert "mix takes 3 argument(s), got 2" in msg
    msg = trace_error(lambda a, b: enigma.isnan(a))
    assert "isnan takes a floating-point value" in msg


@enigma.kernel
def vector_lanes(x: enigma.float4, y: enigma.half2, o: enigma.float4, h: enigma.half2, m: u8):
    i = enigma.thread_position_in_grid
    o[i] = enigma.where(enigma.mix(x[i], x[i] * 2.0, 0.5), enigma.fract(x[i]), enigma.isnan(x[i]))
    h[i] = enigma.smoothstep(0.0, 1.0, enigma.sign(y[i]) * y[i])
    m[i] = enigma.where(False, True, enigma.isinf(x[i].x) | enigma.signbit(x[i].y))


def test_vectors_are_per_lane_and_where_takes_every_kind():
    """Vector arguments compute lane by lane (a scalar splats); `where` on floats and bools.
    Tolerance: f32 1 ulp (2^-23 relative), half 1 ulp (2^-10)."""
    n = 16
    x = (RNG.standard_normal((n, 4)) * 3).astype(np.float32)
    x[0] = [np.nan, np.inf, -1.25, -0.0]
    y = RNG.standard_normal((n, 2)).astype(np.float16)
    o, h, m = np.zeros((n, 4), np.float32), np.zeros((n, 2), np.float16), np.zeros(n, np.uint8)
    enigma.compile(vector_lanes)(x, y, o, h, m, grid=(n, 1, 1), threads=(16, 1, 1), device="cpu")
    x64 = x.astype(np.float64)
    with np.errstate(invalid="ignore"):
        fract = np.minimum(x64 - np.floor(x64), 1 - 2**-24)
        fract[np.isinf(x64)] = 0.0
        ref = np.where(np.isnan(x64), fract, x64 + (2 * x64 - x64) * 0.5)
    np.testing.assert_allclose(o, ref, rtol=2**-23, atol=0)
    t = np.clip(np.abs(y.astype(np.float64)), 0, 1)
    np.testing.assert_allclose(h.astype(np.float64), t * t * (3 - 2 * t), rtol=2**-10, atol=2**-24)
    np.testing.assert_array_equal(m, np.isinf(x[:, 0]) | np.signbit(x[:, 1]))
