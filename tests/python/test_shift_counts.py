"""Shifts by counts at or above the bit width, and by negative counts, on the cpu device.

The MSL specification (§3.1, scalar and vector operators) defines `E1 << E2` and
`E1 >> E2` for every count: E1 is shifted by the log2(N) least significant bits
of E2 viewed as unsigned, N the width of E1's type -- the computed type, after
C++'s integer promotion for scalars (char and short shift as int, N = 32), the
element type for vectors (char4 shifts lane by lane, N = 8). `>>` is arithmetic
for signed types. The numpy model below computes exactly that; every integer
dtype is checked as a scalar, and 8-, 16-, 32- and 64-bit lanes as vectors.
"""

import numpy as np

import enigma
from enigma import i8, i16, i32, i64, u8, u16, u32, u64

RNG = np.random.default_rng(5)
N = 64
# Counts in range, at and past the width of every type, negative, and extreme.
SPECIAL = [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255, 256,
           -1, -2, -8, -31, -32, -33, -64, -65, 2**31 - 1, -(2**31)]  # fmt: skip


def counts(dtype, n=N):
    c = np.array(SPECIAL + list(RNG.integers(-300, 300, n - len(SPECIAL))), np.int64)
    return c.astype(dtype)  # wraps into the type, as a traced count of that type would


def values(dtype, n=N):
    info = np.iinfo(dtype)
    v = RNG.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    v[:4] = [info.min, info.max, 0, 1] if info.min else [info.max, 1, 0, 0x5A]
    return v


def metal_shift(x, c, computed, left):
    """x (numpy array) shifted in dtype `computed` by the low log2(bits) bits of c."""
    bits = np.dtype(computed).itemsize * 8
    unsigned = np.dtype(f"u{bits // 8}")
    k = (c.astype(np.int64) & (bits - 1)).astype(unsigned)
    v = x.astype(computed)
    if left:
        return (v.view(unsigned) << k).view(computed)
    return v >> k.astype(computed)  # numpy's >> is arithmetic on signed types


SCALARS = [(np.int8, np.int32), (np.uint8, np.int32), (np.int16, np.int32),
           (np.uint16, np.int32), (np.int32, np.int32), (np.uint32, np.uint32),
           (np.int64, np.int64), (np.uint64, np.uint64)]  # fmt: skip


@enigma.kernel
def scalar_shifts(n: i32, a: i8, b: u8, c: i16, d: u16, e: i32, f: u32, g: i64, h: u64,
                  la: i32, ra: i32, lb: i32, rb: i32, lc: i32, rc: i32, ld: i32,
                  rd: i32, le: i32, re: i32, lf: u32, rf: u32, lg: i64, rg: i64,
                  lh: u64, rh: u64):  # fmt: skip
    i = enigma.thread_position_in_grid
    k = n[i]
    for x, left, right in ((a, la, ra), (b, lb, rb), (c, lc, rc), (d, ld, rd), (e, le, re),
                           (f, lf, rf), (g, lg, rg), (h, lh, rh)):  # fmt: skip
        left[i] = x[i] << k
        right[i] = x[i] >> k


def test_scalar_shifts_of_every_integer_type_by_any_count():
    n = counts(np.int32)
    xs = [values(t) for t, _ in SCALARS]
    outs = [np.zeros(N, computed) for _, computed in SCALARS for _ in range(2)]
    enigma.compile(scalar_shifts)(n, *xs, *outs, grid=(N, 1, 1), threads=(N, 1, 1), device="cpu")
    for (_, computed), x, left, right in zip(SCALARS, xs, outs[0::2], outs[1::2], strict=True):
        np.testing.assert_array_equal(left, metal_shift(x, n, computed, True), err_msg=str(x.dtype))
        np.testing.assert_array_equal(
            right, metal_shift(x, n, computed, False), err_msg=str(x.dtype)
        )


VECTORS = [(enigma.char4, np.int8, 4), (enigma.ushort4, np.uint16, 4), (enigma.int4, np.int32, 4),
           (enigma.uint2, np.uint32, 2), (enigma.long2, np.int64, 2)]  # fmt: skip


@enigma.kernel
def vector_shifts(ca: enigma.char4, a: enigma.char4, la: enigma.char4, ra: enigma.char4,
                  cb: enigma.ushort4, b: enigma.ushort4, lb: enigma.ushort4, rb: enigma.ushort4,
                  cc: enigma.int4, c: enigma.int4, lc: enigma.int4, rc: enigma.int4,
                  cd: enigma.uint2, d: enigma.uint2, ld: enigma.uint2, rd: enigma.uint2,
                  ce: enigma.long2, e: enigma.long2, le: enigma.long2,
                  re: enigma.long2):  # fmt: skip
    i = enigma.thread_position_in_grid
    for k, x, left, right in ((ca, a, la, ra), (cb, b, lb, rb), (cc, c, lc, rc), (cd, d, ld, rd),
                              (ce, e, le, re)):  # fmt: skip
        left[i] = x[i] << k[i]
        right[i] = x[i] >> k[i]


def test_vector_shifts_lane_by_lane_in_the_element_width():
    n = N // 4
    args, checks = [], []
    for _, dtype, lanes in VECTORS:
        k, x = counts(dtype, n * lanes), values(dtype, n * lanes)
        left, right = np.zeros_like(x), np.zeros_like(x)
        args += [k, x, left, right]
        checks.append((k, x, left, right, dtype))
    enigma.compile(vector_shifts)(*args, grid=(n, 1, 1), threads=(n, 1, 1), device="cpu")
    for k, x, left, right, dtype in checks:
        # No promotion: an 8-bit lane shifts by its count's low 3 bits.
        np.testing.assert_array_equal(left, metal_shift(x, k, dtype, True), err_msg=str(dtype))
        np.testing.assert_array_equal(right, metal_shift(x, k, dtype, False), err_msg=str(dtype))


def test_emitted_count_is_masked_only_when_not_known_in_range():
    msl = enigma.compile(scalar_shifts).metal_source
    assert "int v4 = v3 << (v1 & 31);" in msl  # a char shifts as int: N = 32
    assert "ulong v42 = v41 >> (ulong(v35) & 63UL);" in msl
    assert "<< 3;" in enigma.compile(literal_count).metal_source  # in range: as written


@enigma.kernel
def literal_count(x: i32):
    i = enigma.thread_position_in_grid
    x[i] = x[i] << 3
