"""Function constants: values given at launch (`constants=`), specializing the kernel.

Each set of values is a specialization of the one compiled kernel; on the cpu
device it is built once and cached. Results are exact (integer and bool
constants, float constants moved bit for bit: tolerance 0) except the scaled
sums, whose float32 tolerance is stated where they are checked.
"""

import numpy as np
import pytest
from tagged_errors import assert_trace_error

import enigma
from enigma import b1, f16, f32, i8, i16, i32, i64, u8, u16, u32, u64
from enigma.errors import LaunchError


@enigma.kernel
def windowed_sum(a: f32, out: f32):
    i = enigma.thread_position_in_grid
    width = enigma.function_constant(u32, 0)
    scale = enigma.function_constant(f32, 1)
    negate = enigma.function_constant(b1, 2)
    with enigma.for_range(0, width, dtype=u32, init=[0.0]) as (k, acc):  # a constant bound
        acc[0] = acc[0] + a[i + k]
    out[i] = acc[0] * scale
    with enigma.if_(negate):  # a constant condition
        out[i] = -(acc[0] * scale)


def reference(a, n, width, scale, negate):
    windows = sum((a[k : k + n].astype(np.float64) for k in range(width)), np.zeros(n))
    return (-1 if negate else 1) * windows * scale


def test_constants_as_loop_bound_condition_and_value():
    n = 1000
    a = np.random.default_rng(3).standard_normal(n + 8).astype(np.float32)
    ck = enigma.compile(windowed_sum)
    assert ck.function_constants == [
        {"index": 0, "name": "fc0", "dtype": "uint"},
        {"index": 1, "name": "fc1", "dtype": "float"},
        {"index": 2, "name": "fc2", "dtype": "bool"},
    ]
    assert "constant uint fc0 [[function_constant(0)]];" in ck.metal_source
    for width, scale, negate in ((3, 0.5, False), (8, -2.0, True), (0, 1.0, False)):
        out = np.zeros(n, np.float32)
        ck(a, out, grid=(n, 1, 1), threads=(128, 1, 1), device="cpu",
           constants={0: width, 1: scale, 2: negate})  # fmt: skip
        # float32 sums of up to 8 terms of |x| < 5: within 1e-5 relative + 1e-5 absolute.
        np.testing.assert_allclose(out, reference(a, n, width, scale, negate), 1e-5, 1e-5)
    # The runtime objects take the same constants=.
    rt = enigma.runtime("cpu")
    raw = rt.execute(ck, [a], n * 4, grid=(n, 1, 1), threads=(100, 1, 1),
                     constants={0: 2, 1: 1.0, 2: True})  # fmt: skip
    expect = reference(a, n, 2, 1.0, True)
    np.testing.assert_allclose(np.frombuffer(raw, np.float32), expect, 1e-5, 1e-5)


@enigma.kernel
def every_dtype(o8: i8, ou8: u8, o16: i16, ou16: u16, o32: i32, ou32: u32, o64: i64,
                ou64: u64, oh: f16, of: f32, ob: b1):  # fmt: skip
    outs = (o8, ou8, o16, ou16, o32, ou32, o64, ou64, oh, of, ob)
    for index, out in enumerate(outs):  # a Python loop: one constant per dtype
        out[0] = enigma.function_constant(out.dtype, index)
        out[1] = enigma.function_constant(out.dtype, 20 + index)


EDGES = {
    0: (-128, 127), 1: (0, 255), 2: (-(2**15), 2**15 - 1), 3: (0, 2**16 - 1),
    4: (-(2**31), 2**31 - 1), 5: (0, 2**32 - 1), 6: (-(2**63), 2**63 - 1), 7: (0, 2**64 - 1),
    8: (6e-8, -np.inf), 9: (float("nan"), -0.0), 10: (True, False),
}  # fmt: skip
NUMPY = (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64,
         np.float16, np.float32, np.bool_)  # fmt: skip


def test_every_scalar_dtype_with_edge_values():
    outs = [np.zeros(2, t) for t in NUMPY]
    constants = {k: v[0] for k, v in EDGES.items()} | {20 + k: v[1] for k, v in EDGES.items()}
    enigma.compile(every_dtype)(*outs, grid=(1, 1, 1), threads=(1, 1, 1), device="cpu",
                                constants=constants)  # fmt: skip
    for k, out in enumerate(outs):
        expect = np.array(EDGES[k], NUMPY[k])
        assert out.tobytes() == expect.tobytes(), (k, out, expect)  # bit-exact: NaN, -0.0, denormal


# --- misuse -------------------------------------------------------------------------------------


def launch_error(constants, *fragments):
    ck = enigma.compile(windowed_sum)
    a, out = np.zeros(16, np.float32), np.zeros(8, np.float32)
    with pytest.raises(LaunchError) as excinfo:
        ck(a, out, grid=(8, 1, 1), threads=(8, 1, 1), device="cpu", constants=constants)
    for fragment in fragments:
        assert fragment in str(excinfo.value), str(excinfo.value)
    assert "fix:" in str(excinfo.value)


def test_launch_errors():
    launch_error(None, "function constant 0 (`fc0`, uint) of kernel `windowed_sum` was given"
                 " no value")  # fmt: skip
    launch_error({0: 3, 1: 1.0}, "function constant 2 (`fc2`, bool)", "no value")
    launch_error({0: 1.5, 1: 1.0, 2: True}, "function constant 0", "got 1.5", "int")
    launch_error({0: -1, 1: 1.0, 2: True}, "outside uint's range")
    launch_error({0: 3, 1: "x", 2: True}, "function constant 1", "got 'x'")
    launch_error({0: 3, 1: 1.0, 2: 1}, "function constant 2", "True or False")
    launch_error({0: 3, 1: 1.0, 2: True, 5: 1}, "has no function constant 5", "0: uint")
    launch_error([3, 1.0, True], "must be a dict")


@enigma.kernel
def no_constants(a: f32):
    a[enigma.thread_position_in_grid] = 1.0


def test_constants_for_a_kernel_without_any():
    with pytest.raises(LaunchError, match="has no function constant 0"):
        enigma.compile(no_constants)(np.zeros(4, np.float32), grid=(4,), threads=(4,),
                                     device="cpu", constants={0: 1})  # fmt: skip


def test_trace_errors():
    def vector(a: f32):
        a[0] = enigma.function_constant(enigma.float4, 0).x  # <vector>

    def negative(a: f32):
        a[0] = enigma.function_constant(f32, -1)  # <negative>

    def traced_index(a: u32):
        a[0] = enigma.function_constant(u32, a[1])  # <traced>

    def two_dtypes(a: f32):
        x = enigma.function_constant(f32, 3)
        a[0] = x + enigma.function_constant(i32, 3)  # <two-dtypes>

    assert_trace_error(vector, "vector", "function_constant takes a scalar dtype, not `float4`")
    assert_trace_error(negative, "negative", "index must be a Python int in 0..65535, not -1")
    assert_trace_error(traced_index, "traced", "index must be a Python int")
    assert_trace_error(two_dtypes, "two-dtypes", "function constant 3 is a `float`", "not a `int`")
