"""Metal's geometric functions on the cpu device, against a float64 numpy reference.

dot, length and distance on 2-, 3- and 4-lane vectors; normalize, reflect,
refract and faceforward on all three widths; cross on 3 lanes; for float,
half and bfloat. The reference evaluates each definition in float64 and rounds
once to the element type. Tolerance: 1 ulp of the element type relative to
the result (and 1 subnormal ulp), plus 8 ulp of the inputs' squared magnitude for the functions
whose result can cancel (cross, reflect, refract) -- Metal's precise variants
promise a few ulp. Edge rows: a zero vector (normalize gives NaN), a NaN lane,
an infinite lane, lanes near the type's maximum (length must not overflow
where the true length is finite) and subnormal lanes.
"""

import numpy as np
import pytest

import enigma
from enigma import Scalar
from enigma.dtypes import bfloat16_bits_to_float, float_to_bfloat16_bits

RNG = np.random.default_rng(11)
N = 16
SCALARS = ("dot", "length", "distance")
VECTORS = ("normalize", "reflect", "refract", "faceforward")


def geometry_kernel(t):
    v2, v3, v4 = (enigma.dtype(f"{t.name}{n}") for n in (2, 3, 4))

    def body(a2: v2, b2: v2, o2: v2, a3: v3, b3: v3, o3: v3, a4: v4, b4: v4, o4: v4,
             s: t, eta: Scalar(t)):  # fmt: skip
        i = enigma.thread_position_in_grid
        for k, (a, b, o) in enumerate(((a2, b2, o2), (a3, b3, o3), (a4, b4, o4))):
            x, y = a[i], b[i]
            s[i * 9 + k * 3 + 0] = enigma.dot(x, y)
            s[i * 9 + k * 3 + 1] = enigma.length(x)
            s[i * 9 + k * 3 + 2] = enigma.distance(x, y)
            o[i * 5 + 0] = enigma.normalize(x)
            o[i * 5 + 1] = enigma.reflect(x, y)
            o[i * 5 + 2] = enigma.refract(x, y, eta)
            o[i * 5 + 3] = enigma.faceforward(x, y, y - x)
            o[i * 5 + 4] = enigma.cross(x, y) if k == 1 else x

    body.__name__ = body.__qualname__ = f"geometry_{t.short}"
    return enigma.kernel(body)


def rounded(t, values):
    """float64 values rounded once to t, as float64."""
    if t.name == "bfloat":
        return bfloat16_bits_to_float(float_to_bfloat16_bits(values.astype(np.float32))).astype(
            np.float64
        )
    with np.errstate(over="ignore"):  # beyond the type's range: inf, as the kernel rounds
        return values.astype(t.numpy).astype(np.float64)


def inputs(t, lanes):
    big = {"float": 1e30, "half": 6e4, "bfloat": 1e30}[t.name]
    tiny = {"float": 1e-40, "half": 1e-7, "bfloat": 1e-40}[t.name]
    x = rounded(t, RNG.uniform(-2, 2, (N, 4)))
    y = rounded(t, RNG.uniform(-2, 2, (N, 4)))
    x[0], x[1, 1], x[2, 0], x[3], x[4] = 0.0, np.nan, np.inf, big, tiny
    if lanes < 4:
        x[:, lanes:] = y[:, lanes:] = 0.0  # the padding lane of 3-lane vectors
    return x, y


def reference(x, y, eta, nref):
    """(dot, length, distance), (normalize, reflect, refract, faceforward, cross) in float64."""
    with np.errstate(all="ignore"):
        dot = (x * y).sum(axis=1)
        length = np.sqrt((x * x).sum(axis=1))
        distance = np.sqrt(((x - y) ** 2).sum(axis=1))
        normalize = x / length[:, None]
        reflect = x - 2 * dot[:, None] * y
        k = 1 - eta * eta * (1 - dot * dot)
        refract = eta * x - (eta * dot + np.sqrt(np.maximum(k, 0)))[:, None] * y
        refract[k < 0] = 0.0
        face = np.where((nref * y).sum(axis=1)[:, None] < 0, x, -x)
        cross = np.cross(x, y) if x.shape[1] == 3 else x
    return (dot, length, distance), (normalize, reflect, refract, face, cross)


def to_buffer(t, values):
    if t.name == "bfloat":
        return float_to_bfloat16_bits(values.astype(np.float32))
    return np.ascontiguousarray(values.astype(t.numpy))


def from_buffer(t, buffer):
    if t.name == "bfloat":
        return bfloat16_bits_to_float(buffer).astype(np.float64)
    return buffer.astype(np.float64)


@pytest.mark.parametrize("t", [enigma.f32, enigma.f16, enigma.bf16], ids=lambda t: t.name)
def test_geometry(t):
    ulp = {"float": 2.0**-23, "half": 2.0**-10, "bfloat": 2.0**-7}[t.name]
    least = {"float": 2.0**-149, "half": 2.0**-24, "bfloat": 2.0**-133}[t.name]  # 1 subnormal ulp
    eta = 0.75
    args, cases = [], []
    for lanes in (2, 3, 4):
        padded = 4 if lanes == 3 else lanes
        x, y = inputs(t, lanes)
        out = to_buffer(t, np.zeros((N * 5, padded)))
        args += [to_buffer(t, x[:, :padded]), to_buffer(t, y[:, :padded]), out]
        cases.append((lanes, x[:, :lanes], y[:, :lanes], out))
    scalars = to_buffer(t, np.zeros(N * 9))
    enigma.compile(geometry_kernel(t))(
        *args, scalars, eta, grid=(N, 1, 1), threads=(16, 1, 1), device="cpu"
    )
    s = from_buffer(t, scalars).reshape(N, 3, 3)
    for k, (lanes, x, y, out) in enumerate(cases):
        want_s, want_v = reference(x, y, rounded(t, np.array(eta))[()], rounded(t, y - x))
        got_v = from_buffer(t, out).reshape(N, 5, -1)[:, :, :lanes]
        with np.errstate(over="ignore"):
            scale = np.nan_to_num((x * x + y * y).sum(axis=1), posinf=0.0)[:, None]
        for j, want in enumerate(want_s):
            np.testing.assert_allclose(
                s[:, k, j], rounded(t, want), rtol=ulp, atol=least, err_msg=f"{SCALARS[j]} {lanes}"
            )
        for j, want in enumerate(want_v[: 5 if lanes == 3 else 4]):
            name = (VECTORS + ("cross",))[j]
            cancels = name in ("reflect", "refract", "cross")
            atol = ulp * scale * (8 if cancels else 0) + least
            with np.errstate(invalid="ignore"):
                diff = np.abs(got_v[:, j] - rounded(t, want))
                ok = (diff <= ulp * np.abs(want) + atol) | (got_v[:, j] == rounded(t, want))
                ok |= np.isnan(got_v[:, j]) & np.isnan(want)
            assert ok.all(), f"{name} {t.name}{lanes}:\n{got_v[:, j][~ok]}\n{want[~ok]}"


def test_geometry_errors():
    @enigma.kernel
    def wrong(a: enigma.float4, b: enigma.half3, c: enigma.f32):
        c[0] = enigma.cross(a[0], a[0])

    with pytest.raises(enigma.EnigmaError, match="cross is defined for 3-lane vectors"):
        wrong.trace()

    @enigma.kernel
    def mixed(a: enigma.float3, b: enigma.half3, c: enigma.f32):
        c[0] = enigma.dot(a[0], b[0])

    with pytest.raises(enigma.EnigmaError, match="dot needs vectors of one type"):
        mixed.trace()

    @enigma.kernel
    def scalar(a: enigma.f32):
        a[0] = enigma.length(a[0])

    with pytest.raises(enigma.EnigmaError, match="length takes a float, half or bfloat vector"):
        scalar.trace()
