"""Integer and bit functions, comparisons, `where`, `metal_cast` and `as_type` on the cpu
device, against exact Python-int references, for every integer dtype.

One kernel per integer dtype runs every integer function, the arithmetic operators
(C's promotion of char/short to int must not change a result) and the typed and
unsigned comparisons; one kernel converts each of the 12 dtypes to each of the 12
(Metal semantics: float -> integer truncates, saturates, NaN gives 0).
"""

import inspect

import numpy as np
import pytest

import enigma
from enigma import EnigmaError, f32, i8, i16, i32, i64, u8, u16, u32, u64

N = 128
RNG = np.random.default_rng(11)
INTEGERS = [i8, u8, i16, u16, i32, u32, i64, u64]
NP = {"char": np.int8, "uchar": np.uint8, "short": np.int16, "ushort": np.uint16,
      "int": np.int32, "uint": np.uint32, "long": np.int64, "ulong": np.uint64,
      "float": np.float32, "half": np.float16, "bfloat": np.uint16, "bool": np.bool_}  # fmt: skip
UNSIGNED = {i8: u8, i16: u16, i32: u32, i64: u64}


class IntType:
    """Range arithmetic of one integer dtype, on Python ints."""

    def __init__(self, t):
        self.w, self.signed = t.bits, t.is_signed
        self.lo = -(1 << (self.w - 1)) if self.signed else 0
        self.hi = (1 << (self.w - 1)) - 1 if self.signed else (1 << self.w) - 1
        self.mask = (1 << self.w) - 1

    def wrap(self, v):
        v &= self.mask
        return v - (1 << self.w) if self.signed and v > self.hi else v

    def sat(self, v):
        return min(max(v, self.lo), self.hi)


def extract(T, a, off, bits):
    if bits == 0:
        return 0
    v = ((a & T.mask) >> off) & ((1 << bits) - 1)
    if T.signed and v >> (bits - 1):
        v -= 1 << bits
    return v


def insert(T, a, b, off, bits):
    m = ((1 << bits) - 1) << off
    return T.wrap(((a & T.mask) & ~m) | ((b << off) & m))


def reverse(T, a):
    return T.wrap(int(format(a & T.mask, f"0{T.w}b")[::-1], 2))


def rotate(T, a, b):
    n, u = (b & T.mask) % T.w, a & T.mask
    return T.wrap((u << n) | (u >> (T.w - n)))


def ctz(T, a):
    u = a & T.mask
    return T.w if u == 0 else (u & -u).bit_length() - 1


def cdiv(a, b):  # C division truncates toward zero
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


# (name, kernel expression, reference on Python ints). T: IntType; a, b, c values,
# d a nonzero divisor, s a shift amount below the width.
OPS = [
    ("imin", lambda a, b, c, d, s: enigma.imin(a, b), lambda T, a, b, c, d, s: min(a, b)),
    ("imax", lambda a, b, c, d, s: enigma.imax(a, b), lambda T, a, b, c, d, s: max(a, b)),
    ("iclamp", lambda a, b, c, d, s: enigma.iclamp(a, enigma.imin(b, c), enigma.imax(b, c)),
     lambda T, a, b, c, d, s: min(max(a, min(b, c)), max(b, c))),
    ("popcount", lambda a, b, c, d, s: enigma.popcount(a),
     lambda T, a, b, c, d, s: bin(a & T.mask).count("1")),
    ("clz", lambda a, b, c, d, s: enigma.clz(a),
     lambda T, a, b, c, d, s: T.w - (a & T.mask).bit_length()),
    ("ctz", lambda a, b, c, d, s: enigma.ctz(a), lambda T, a, b, c, d, s: ctz(T, a)),
    ("reverse_bits", lambda a, b, c, d, s: enigma.reverse_bits(a),
     lambda T, a, b, c, d, s: reverse(T, a)),
    ("add_sat", lambda a, b, c, d, s: enigma.add_sat(a, b), lambda T, a, b, c, d, s: T.sat(a + b)),
    ("sub_sat", lambda a, b, c, d, s: enigma.sub_sat(a, b), lambda T, a, b, c, d, s: T.sat(a - b)),
    ("mul_hi", lambda a, b, c, d, s: enigma.mul_hi(a, b),
     lambda T, a, b, c, d, s: T.wrap((a * b) >> T.w)),
    ("rotate", lambda a, b, c, d, s: enigma.rotate(a, b), lambda T, a, b, c, d, s: rotate(T, a, b)),
    ("mad_sat", lambda a, b, c, d, s: enigma.mad_sat(a, b, c),
     lambda T, a, b, c, d, s: T.sat(a * b + c)),
    ("extract_low", lambda a, b, c, d, s: enigma.extract_bits(a, 1, 3),
     lambda T, a, b, c, d, s: extract(T, a, 1, 3)),
    ("extract_high", lambda a, b, c, d, s: enigma.extract_bits(a, a.dtype.bits - 5, 5),
     lambda T, a, b, c, d, s: extract(T, a, T.w - 5, 5)),
    ("extract_all", lambda a, b, c, d, s: enigma.extract_bits(a, 0, a.dtype.bits),
     lambda T, a, b, c, d, s: extract(T, a, 0, T.w)),
    ("extract_none", lambda a, b, c, d, s: enigma.extract_bits(a, s, 0),
     lambda T, a, b, c, d, s: 0),
    ("insert_bits", lambda a, b, c, d, s: enigma.insert_bits(a, b, 2, 5),
     lambda T, a, b, c, d, s: insert(T, a, b, 2, 5)),
    ("abs", lambda a, b, c, d, s: enigma.abs(a),
     lambda T, a, b, c, d, s: T.wrap(abs(a)) if T.signed else a),
    ("where", lambda a, b, c, d, s: enigma.where(a, b, a < b),
     lambda T, a, b, c, d, s: b if a < b else a),
    # Operators, stored back into the dtype (C promotion must not leak).
    ("add", lambda a, b, c, d, s: a + b, lambda T, a, b, c, d, s: T.wrap(a + b)),
    ("sub", lambda a, b, c, d, s: a - b, lambda T, a, b, c, d, s: T.wrap(a - b)),
    ("mul", lambda a, b, c, d, s: a * b, lambda T, a, b, c, d, s: T.wrap(a * b)),
    ("div", lambda a, b, c, d, s: a / d, lambda T, a, b, c, d, s: T.wrap(cdiv(a, d))),
    ("rem", lambda a, b, c, d, s: a % d, lambda T, a, b, c, d, s: T.wrap(a - cdiv(a, d) * d)),
    ("shl", lambda a, b, c, d, s: a << s, lambda T, a, b, c, d, s: T.wrap(a << s)),
    ("shr", lambda a, b, c, d, s: a >> s, lambda T, a, b, c, d, s: T.wrap(a >> s)),
    ("xor", lambda a, b, c, d, s: a ^ b, lambda T, a, b, c, d, s: T.wrap(a ^ b)),
    ("not", lambda a, b, c, d, s: ~a, lambda T, a, b, c, d, s: T.wrap(~a)),
]  # fmt: skip
COMPARISONS = [
    ("cmp_eq", lambda a, b: a == b), ("cmp_ne", lambda a, b: a != b),
    ("cmp_lt", lambda a, b: a < b), ("cmp_le", lambda a, b: a <= b),
    ("cmp_gt", lambda a, b: a > b), ("cmp_ge", lambda a, b: a >= b),
]  # fmt: skip
UNSIGNED_COMPARISONS = ["cmp_ult", "cmp_ule", "cmp_ugt", "cmp_uge"]


def make_kernel(t):
    ut = UNSIGNED.get(t, t)

    def integer_ops(a: t, b: t, c: t, d: t, s: t, out: t, diff: ut, cmp: u8):
        i = enigma.thread_position_in_grid
        args = (a[i], b[i], c[i], d[i], s[i])
        for k, (_, expr, _) in enumerate(OPS):
            out[k * N + i] = expr(*args)
        diff[i] = enigma.abs_diff(a[i], b[i])
        for k, name in enumerate([n for n, _ in COMPARISONS] + UNSIGNED_COMPARISONS):
            cmp[k * N + i] = getattr(enigma, name)(a[i], b[i])

    integer_ops.__name__ = f"integer_ops_{t.name}"
    return enigma.kernel(integer_ops)


def integer_inputs(t):
    T = IntType(t)
    edges = [0, 1, T.hi, T.lo, T.hi - 1, T.lo + 1, 0x55, T.wrap(0xF0)]
    edges += [-1, -2] if T.signed else [2, T.hi >> 1]
    a = [T.wrap(int(v)) for v in RNG.integers(0, 1 << 62, N)]
    b = [T.wrap(int(v)) for v in RNG.integers(0, 1 << 62, N)]
    c = [T.wrap(int(v)) for v in RNG.integers(0, 1 << 62, N)]
    a[: len(edges)] = edges
    b[: len(edges) * 2] = edges + edges[::-1]
    c[: len(edges)] = edges[::-1]
    d = [1 if v == 0 or (v == -1 and x == T.lo) else v for x, v in zip(a, b, strict=True)]
    s = [int(v) % T.w for v in RNG.integers(0, 64, N)]
    return T, a, b, c, d, s


@pytest.mark.parametrize("t", INTEGERS, ids=lambda t: t.name)
def test_integer_functions(t):
    T, a, b, c, d, s = integer_inputs(t)
    np_t = NP[t.name]
    ut = UNSIGNED.get(t, t)
    out = np.zeros(len(OPS) * N, np_t)
    diff = np.zeros(N, NP[ut.name])
    ncmp = len(COMPARISONS) + len(UNSIGNED_COMPARISONS)
    cmp = np.zeros(ncmp * N, np.uint8)
    arrays = [np.array(v, dtype=np_t) for v in (a, b, c, d, s)]
    enigma.compile(make_kernel(t))(*arrays, out, diff, cmp, grid=(N, 1, 1), threads=(32, 1, 1),
                                   device="cpu")  # fmt: skip
    got = out.reshape(len(OPS), N)
    for k, (name, _, ref) in enumerate(OPS):
        expected = [ref(T, *args) for args in zip(a, b, c, d, s, strict=True)]
        assert got[k].tolist() == expected, (name, t.name)
    assert diff.tolist() == [abs(x - y) for x, y in zip(a, b, strict=True)]
    cmp = cmp.reshape(ncmp, N)
    for k, (name, ref) in enumerate(COMPARISONS):
        assert cmp[k].tolist() == [int(ref(x, y)) for x, y in zip(a, b, strict=True)], name
    ua, ub = [x & T.mask for x in a], [y & T.mask for y in b]
    # cmp_ult & co. are <, <=, >, >= on the bit patterns read as unsigned.
    signed_forms = [ref for _, ref in COMPARISONS[2:]]
    for k, name in enumerate(UNSIGNED_COMPARISONS):
        ref = signed_forms[k]
        row = cmp[len(COMPARISONS) + k].tolist()
        assert row == [int(ref(x, y)) for x, y in zip(ua, ub, strict=True)], name


def test_signedness_reaches_the_msl():
    src = enigma.compile(make_kernel(u8)).metal_source
    assert "addsat(" in src and "mulhi(" in src and "absdiff(" in src and "madsat(" in src
    src = enigma.compile(make_kernel(i32)).metal_source
    assert "uint(" in src  # cmp_ult & co. read the int operands as uint


# --- metal_cast: every pair of the 12 dtypes --------------------------------------------------

ALL = [enigma.b1, i8, u8, i16, u16, i32, u32, i64, u64, enigma.f16, enigma.bf16, f32]


def make_cast_kernel():
    def cast_all(*buffers):
        i = enigma.thread_position_in_grid
        for k, src in enumerate(buffers[: len(ALL)]):
            for dst, t in zip(buffers[len(ALL) :], ALL, strict=True):
                dst[k * N + i] = enigma.metal_cast(src[i], t)

    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    params = [inspect.Parameter(f"{io}_{t.short}", kind, annotation=t)
              for io in ("src", "dst") for t in ALL]  # fmt: skip
    cast_all.__signature__ = inspect.Signature(params)
    return enigma.kernel(cast_all)


def source_values(t):
    """N values of dtype t as float64 (floats) or Python ints, edges first."""
    if t.is_bool:
        return [bool(v) for v in RNG.integers(0, 2, N)]
    if t.is_float:
        edges = [np.nan, np.inf, -np.inf, 0.0, -0.0, 0.5, -0.5, -1.5, 2.75, -2.75, 127.5,
                 128.0, -129.0, 255.9, 256.0, 65504.0, -70000.0, 3e9, -3e9, 5e18, -1e19, 2e19,
                 1e-40]  # fmt: skip
        v = np.concatenate([edges, RNG.standard_normal(N - len(edges)) * 1000])
        return v
    T = IntType(t)
    v = [T.wrap(int(x)) for x in RNG.integers(0, 1 << 62, N)]
    v[:6] = [0, 1, T.hi, T.lo, T.hi - 1, T.lo + 1]
    return v


def round_to(values, t):
    """float64 values rounded to float dtype t (as float64)."""
    v = np.asarray(values, np.float64)
    if t.name == "bfloat":
        return enigma.bfloat16_bits_to_float(
            enigma.float_to_bfloat16_bits(v.astype(np.float32))
        ).astype(np.float64)
    with np.errstate(over="ignore"):
        return v.astype(NP[t.name]).astype(np.float64)


def convert_ref(x, src, dst):
    """Metal's conversion of one value."""
    if dst.is_bool:
        return bool(x != 0) or (src.is_float and np.isnan(x))
    if dst.is_float:
        return float(int(x)) if not src.is_float else float(x)
    T = IntType(dst)
    if src.is_float:  # truncate, saturate, NaN -> 0
        return 0 if np.isnan(x) else T.sat(int(np.clip(np.trunc(x), -(2.0**64), 2.0**64)))
    return T.wrap(int(x))


def to_array(values, t):
    if t.name == "bfloat":
        return enigma.float_to_bfloat16_bits(round_to(values, t).astype(np.float32))
    if t.is_float:
        return round_to(values, t).astype(NP[t.name])
    return np.array(values, dtype=NP[t.name])


def from_array(array, t):
    if t.name == "bfloat":
        return enigma.bfloat16_bits_to_float(array).astype(np.float64)
    return array.astype(np.float64) if t.is_float else array.tolist()


def test_metal_cast_every_pair():
    sources = [to_array(source_values(t), t) for t in ALL]
    dsts = [np.zeros(len(ALL) * N, NP[t.name]) for t in ALL]
    enigma.compile(make_cast_kernel())(*sources, *dsts, grid=(N, 1, 1), threads=(32, 1, 1),
                                       device="cpu")  # fmt: skip
    for src_t, src in zip(ALL, sources, strict=True):
        xs = from_array(src, src_t)
        xs = xs.tolist() if isinstance(xs, np.ndarray) else xs
        for dst_t, dst in zip(ALL, dsts, strict=True):
            got = from_array(dst.reshape(len(ALL), N)[ALL.index(src_t)], dst_t)
            ref = [convert_ref(x, src_t, dst_t) for x in xs]
            if dst_t.is_float:
                # int -> half/bfloat may round through float (one extra rounding): 1 ulp.
                ref = round_to(ref, dst_t)
                rtol = 0 if src_t.is_float or src_t.bits <= 16 else 2**-8
                np.testing.assert_allclose(got, ref, rtol=rtol, err_msg=f"{src_t} -> {dst_t}")
            else:
                assert list(map(int, got)) == list(map(int, ref)), f"{src_t} -> {dst_t}"


# --- as_type ----------------------------------------------------------------------------------


@enigma.kernel
def bit_casts(x: f32, bits: u32, back: f32, h: enigma.f16, hbits: i16):
    i = enigma.thread_position_in_grid
    bits[i] = enigma.as_type(x[i], u32)
    back[i] = enigma.as_type(enigma.as_type(x[i], u32) ^ 0x80000000, f32)
    hbits[i] = enigma.as_type(h[i], i16)


def test_as_type_keeps_bits():
    x = np.array([1.0, -0.0, np.inf, np.nan, 1e-40, -3.5] * 8, np.float32)
    h = x.astype(np.float16)
    bits, back, hbits = np.zeros(48, np.uint32), np.zeros(48, np.float32), np.zeros(48, np.int16)
    enigma.compile(bit_casts)(x, bits, back, h, hbits, grid=(48, 1, 1), threads=(16, 1, 1),
                              device="cpu")  # fmt: skip
    np.testing.assert_array_equal(bits, x.view(np.uint32))
    np.testing.assert_array_equal(back.view(np.uint32), x.view(np.uint32) ^ 0x80000000)
    np.testing.assert_array_equal(hbits, h.view(np.int16))


# --- errors -----------------------------------------------------------------------------------


def trace_error(body):
    @enigma.kernel
    def bad(a: i32, b: f32, c: enigma.f16):
        i = enigma.thread_position_in_grid
        body(a, b, c, i)

    with pytest.raises(EnigmaError) as e:
        enigma.compile(bad)
    assert "test_integer.py" in str(e.value)  # the user's line
    return str(e.value)


def test_integer_errors():
    assert "add_sat takes integer values, not `float`" in trace_error(
        lambda a, b, c, i: enigma.add_sat(b[i], b[i])
    )
    assert "use enigma.fmin for floats" in trace_error(lambda a, b, c, i: enigma.imin(b[i], b[i]))
    assert "cmp_ult takes integer values" in trace_error(
        lambda a, b, c, i: enigma.cmp_ult(b[i], b[i])
    )
    assert "offset + bits <= 32" in trace_error(lambda a, b, c, i: enigma.extract_bits(a[i], 30, 4))
    msg = trace_error(lambda a, b, c, i: enigma.as_type(c[i], i32))
    assert "as_type needs types of the same size: `half` and `int`" in msg and "metal_cast" in msg
    assert "bool has no defined bits" in trace_error(
        lambda a, b, c, i: enigma.as_type(a[i] < 0, u8)
    )
