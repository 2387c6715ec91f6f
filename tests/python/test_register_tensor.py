"""`register_tensor`: per-thread arrays on the cpu device, against numpy.

Element reads and writes move values unchanged, so results are compared
bit-for-bit; the float accumulations add at most 8 float32 values in order and
are compared with a float64 reference at rtol 1e-5. Error cases assert the
message and the user's line.
"""

import re

import numpy as np
import pytest
from tagged_errors import assert_trace_error as trace_error

import enigma
import enigma as en
from enigma import Scalar, f32, i32, u32

RNG = np.random.default_rng(11)


def roundtrip_kernel(dtype, fill):
    @enigma.kernel
    def roundtrip(a: dtype, out: dtype):
        i = enigma.thread_position_in_grid
        r = enigma.register_tensor((2, 3), dtype, fill)
        r[1, 2] = a[i]  # row-major: element 5
        r[0, 1] = r[1, 2]
        for k in enigma.range_constexpr(6):
            out[i * 6 + k] = r[k // 3, k % 3]

    return roundtrip


# (dtype, numpy dtype, fill, the fill as stored, values with the type's edges)
CASES = [
    (enigma.f32, np.float32, -2.5, -2.5, [np.nan, np.inf, -np.inf, -0.0, 1e-45, 3.4e38]),
    (enigma.f16, np.float16, 1, 1.0, [np.nan, -np.inf, -0.0, 6e-8, 65504.0, 0.1]),
    (enigma.i8, np.int8, -3, -3, [-128, 127, 0, -1, 5, 9]),
    (enigma.i32, np.int32, 7, 7, [-(2**31), 2**31 - 1, 0, -1, 12345, 9]),
    (enigma.u32, np.uint32, 7, 7, [0, 2**32 - 1, 2**31, 1, 12345, 9]),
    (enigma.i64, np.int64, -1, -1, [-(2**63), 2**63 - 1, 0, -1, 2**40, 9]),
    (enigma.u16, np.uint16, 9, 9, [0, 65535, 32768, 1, 12345, 2]),
    (enigma.b1, np.bool_, True, True, [False, True, False, False, True, False]),
]


@pytest.mark.parametrize("dtype, np_dtype, fill, stored, values", CASES, ids=lambda c: str(c))
def test_fill_read_write_every_dtype(dtype, np_dtype, fill, stored, values):
    a = np.array(values, np_dtype)
    out = np.zeros(6 * len(a), np_dtype)
    enigma.compile(roundtrip_kernel(dtype, fill))(
        a, out, grid=(len(a), 1, 1), threads=(2, 1, 1), device="cpu"
    )
    expected = np.full((len(a), 6), stored, np_dtype)
    expected[:, 5] = a
    expected[:, 1] = a
    assert out.tobytes() == expected.tobytes()


@enigma.kernel
def column_sums(a: f32, out: f32, n: Scalar(u32)):
    i = enigma.thread_position_in_grid
    sums = enigma.register_tensor(4, f32, 0)  # an int fill converts to the element type
    for k in en.range(n):  # written in the loop: memory, not a carried value
        for j in en.range_constexpr(4):
            sums[j] = sums[j] + a[(i * n + k) * 4 + j]
    first = enigma.register_tensor(2, i32, -1)
    with enigma.for_range(0, n) as k:
        with enigma.if_(a[(i * n + k) * 4] > 0.0):
            first[0] = enigma.metal_cast(k, i32)  # the last k whose column 0 is positive
    for j in en.range_constexpr(4):
        out[i * 5 + j] = sums[j]
    out[i * 5 + 4] = enigma.metal_cast(first[0], f32)


def test_writes_inside_loops_persist():
    threads, n = 4, 8
    a = RNG.standard_normal((threads, n, 4)).astype(np.float32)
    out = np.zeros(threads * 5, np.float32)
    compiled = enigma.compile(column_sums)
    compiled(a.ravel(), out, n, grid=(threads, 1, 1), threads=(threads, 1, 1), device="cpu")
    out = out.reshape(threads, 5)
    np.testing.assert_allclose(out[:, :4], a.astype(np.float64).sum(axis=1), rtol=1e-5, atol=1e-5)
    positive = a[:, :, 0] > 0
    last = [max(np.flatnonzero(p), default=-1) for p in positive]
    np.testing.assert_array_equal(out[:, 4], last)
    # Per-thread arrays print as plain local arrays, filled by a loop.
    assert re.search(r"\n  float v\d+\[4\];\n", compiled.metal_source)
    assert re.search(r"\n  int v\d+\[2\];\n", compiled.metal_source)


def test_fill_with_a_traced_value():
    @enigma.kernel
    def traced_fill(a: f32, out: i32):
        i = enigma.thread_position_in_grid
        r = enigma.register_tensor(3, i32, enigma.metal_cast(a[i], i32) * 2)
        out[i] = r[0] + r[2]

    a = np.array([1.5, -2.0, 3.0], np.float32)
    out = np.zeros(3, np.int32)
    enigma.compile(traced_fill)(a, out, grid=(3, 1, 1), threads=(3, 1, 1), device="cpu")
    np.testing.assert_array_equal(out, [4, -8, 12])


def test_vector_elements():
    @enigma.kernel
    def vector_registers(a: enigma.float4, out: enigma.float4):
        i = enigma.thread_position_in_grid
        r = enigma.register_tensor(2, enigma.float4, 1.0)  # the fill splats to every lane
        r[1] = a[i]
        out[i] = r[0] + r[1]

    a = RNG.standard_normal(8).astype(np.float32)
    out = np.zeros(8, np.float32)
    enigma.compile(vector_registers)(a, out, grid=(2, 1, 1), threads=(2, 1, 1), device="cpu")
    np.testing.assert_array_equal(out, a + np.float32(1.0))  # one f32 rounding, as numpy's


# --- errors ---------------------------------------------------------------------------------------


def test_index_errors():
    def k_out_of_range(a: f32):
        r = enigma.register_tensor((2, 2), f32, 0.0)
        a[0] = r[2, 0]  # <out-of-range>

    def k_traced(a: f32):
        r = enigma.register_tensor(4, f32, 0.0)
        r[enigma.thread_position_in_grid] = 1.0  # <traced-index>

    def k_rank(a: f32):
        r = enigma.register_tensor((2, 2), f32, 0.0)
        a[0] = r[1]  # <rank>

    trace_error(k_out_of_range, "out-of-range", "index (2, 0) is out of bounds", "(2, 2)")
    trace_error(k_traced, "traced-index", "indexed by 1 Python int(s)")
    trace_error(k_rank, "rank", "indexed by 2 Python int(s), not 1")


def test_creation_errors():
    def k_float_fill(a: i32):
        r = enigma.register_tensor(4, i32, 0.5)  # <float-fill>
        a[0] = r[0]

    def k_shape(a: f32):
        r = enigma.register_tensor((4, 0), f32, 0.0)  # <shape>
        a[0] = r[0, 0]

    def k_big(a: f32):
        r = enigma.register_tensor((64, 128), f32, 0.0)  # <big>
        a[0] = r[0, 0]

    trace_error(k_float_fill, "float-fill", "is a Python float", "`int`")
    trace_error(k_shape, "shape", "shape must be a positive Python int")
    trace_error(k_big, "big", "32768 bytes per thread")


def test_use_after_its_loop_and_as_a_value():
    def k_after(a: f32):
        with enigma.for_range(0, 4):
            s = enigma.register_tensor(2, f32, 0.0)
        a[0] = s[0]  # <after-loop>

    def k_value(a: f32):
        r = enigma.register_tensor(2, f32, 0.0)
        a[0] = r + 1.0  # <as-value>

    trace_error(k_after, "after-loop", "created inside the for loop", "create it before")
    trace_error(k_value, "as-value", "a register tensor is an array, not a value")
