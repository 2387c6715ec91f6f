"""Checks of a `MetalRuntime`, shared by the test device (Linux) and real Metal tests.

Each `check_*` takes a runtime and verifies real results against numpy, so the
same assertions run through libEnigmaRuntime's test device in every `make test`
(test_runtime_metal_testdevice.py) and on an Apple GPU where one exists
(test_metal_device.py). Results are exact except where a tolerance is stated.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_function_constants import reference, windowed_sum
from test_jit import data, scale_then_add

import enigma
from enigma import Scalar, b1, f16, f32, i32, i64, u8
from enigma.errors import EnigmaError

N = 1000


@enigma.kernel
def mixed(a: f16, b: i32, s: Scalar(f32), t: Scalar(i64), u: Scalar(u8), neg: Scalar(b1),
          out_f: f32, out_i: i64):  # fmt: skip
    i = enigma.thread_position_in_grid
    with enigma.if_(i < N):
        x = enigma.metal_cast(a[i], f32) * s
        out_f[i] = enigma.where(x, -x, neg)
        out_i[i] = enigma.metal_cast(b[i], i64) * t + enigma.metal_cast(u, i64)


@enigma.kernel
def scale_in_place(x: f32, k: Scalar(f32)):
    i = enigma.thread_position_in_grid
    x[i] = x[i] * k


def mixed_inputs():
    rng = np.random.default_rng(5)
    a = rng.standard_normal(N).astype(np.float16)
    b = rng.integers(-(2**31), 2**31 - 1, N, dtype=np.int32)
    return a, b


def check_execute_several_dtypes_outputs_and_scalars(rt) -> None:
    """half/int inputs, float/long outputs (output_sizes), float/long/uchar/bool Scalars."""
    ck = enigma.compile(mixed)
    a, b = mixed_inputs()
    t = 3_000_000_000  # beyond 32 bits: the long Scalar keeps all 8 bytes
    for neg in (False, True):
        out_f, out_i = rt.execute(
            ck, [a, b], grid=(N + 24,), threads=(64,), output_sizes=[N * 4, N * 8],
            scalars={"s": 0.5, "t": t, "u": 255, "neg": neg},
        )  # fmt: skip
        want_f = a.astype(np.float32) * np.float32(0.5)
        np.testing.assert_array_equal(np.frombuffer(out_f, np.float32), -want_f if neg else want_f)
        np.testing.assert_array_equal(np.frombuffer(out_i, np.int64), b.astype(np.int64) * t + 255)
    # Scalars among the inputs (numpy scalars too), raw bytes as an input, bytes per output.
    inputs = [a.tobytes(), b, np.float32(2.0), -1, np.uint8(7), False]
    outs = rt.execute(ck, inputs, grid=(N,), threads=(100,), output_sizes=[N * 4, N * 8])
    assert isinstance(outs, list) and len(outs) == 2
    np.testing.assert_array_equal(np.frombuffer(outs[1], np.int64), 7 - b.astype(np.int64))


def check_read_output_dtypes(rt) -> None:
    ck = enigma.compile(mixed)
    a, b = mixed_inputs()
    prepared = rt.prepare(ck, [a, b], grid=(N,), threads=(256,), output_sizes=[N * 4, N * 8],
                          scalars={"s": 1.0, "t": 1, "u": 0, "neg": False})  # fmt: skip
    prepared.dispatch()
    out_f, out_i = prepared.read_output()
    assert out_f.dtype == np.float32 and out_i.dtype == np.int64
    np.testing.assert_array_equal(out_i, b)
    as_bits = prepared.read_output("uint", index=0)
    assert as_bits.dtype == np.uint32
    np.testing.assert_array_equal(as_bits, a.astype(np.float32).view(np.uint32))
    np.testing.assert_array_equal(prepared.read_output(np.int32, index=1)[::2], b)
    prepared.release()


def check_function_constants(rt) -> None:
    ck = enigma.compile(windowed_sum)
    n = 512
    a = np.random.default_rng(3).standard_normal(n + 8).astype(np.float32)
    for width, scale, negate in ((3, 0.5, False), (8, -2.0, True)):
        raw = rt.execute(ck, [a], n * 4, grid=(n,), threads=(128,),
                         constants={0: width, 1: scale, 2: negate})  # fmt: skip
        # float32 sums of up to 8 terms of |x| < 5: within 1e-5 relative + 1e-5 absolute.
        got = np.frombuffer(raw, np.float32)
        np.testing.assert_allclose(got, reference(a, n, width, scale, negate), 1e-5, 1e-5)
    pipelines = rt.stats.pipelines
    rt.execute(ck, [a], n * 4, grid=(n,), threads=(128,), constants={0: 3, 1: 0.5, 2: False})
    assert rt.stats.pipelines == pipelines  # this specialization's pipeline is cached


def check_prepared_buffers_stay_on_device(rt) -> None:
    """A hot loop uploads and downloads nothing; update_input sends a new array."""
    ck = enigma.compile(scale_in_place)
    x0 = np.arange(256, dtype=np.float32)
    # x is the trailing (output) buffer, seeded with update_input; k is given by name.
    prepared = rt.prepare(ck, [], x0.nbytes, grid=(256,), threads=(64,), scalars={"k": 2.0})
    prepared.update_input("x", x0)
    before = (rt.stats.uploads, rt.stats.downloads)
    for _ in range(5):
        prepared.dispatch()
    assert (rt.stats.uploads, rt.stats.downloads) == before  # the data stayed on the device
    np.testing.assert_array_equal(prepared.read_output(), x0 * 32)
    assert rt.stats.downloads == before[1] + 1
    prepared.read_output()  # nothing ran since: no second download
    assert rt.stats.downloads == before[1] + 1
    prepared.update_input(0, np.ones(256, np.float32))
    assert rt.stats.uploads == before[0] + 1
    prepared.dispatch()
    np.testing.assert_array_equal(prepared.read_output(), np.full(256, 2, np.float32))
    prepared.release()


def check_inputs_are_copied_at_prepare(rt) -> None:
    """The device copy is what runs: changing the host array after prepare changes nothing."""
    ck = enigma.compile(mixed)
    a, b = mixed_inputs()
    prepared = rt.prepare(ck, [a, b], grid=(N,), threads=(256,), output_sizes=[N * 4, N * 8],
                          scalars={"s": 1.0, "t": 1, "u": 0, "neg": False})  # fmt: skip
    original = b.copy()
    b[:] = 0
    prepared.dispatch()
    np.testing.assert_array_equal(prepared.read_output(index=1), original)
    prepared.update_input("b", b)
    prepared.dispatch()
    np.testing.assert_array_equal(prepared.read_output(index=1), 0)
    prepared.release()


def check_timing_and_release(rt) -> None:
    ck = enigma.compile(scale_in_place)
    prepared = rt.prepare(ck, [np.ones(4096, np.float32)], grid=(4096,), threads=(256,),
                          scalars={"k": 3.0})  # fmt: skip
    micros = prepared.dispatch_timed()
    assert isinstance(micros, float) and micros > 0
    prepared.dispatch(grid=(10,), threads=(10,))  # another shape for one dispatch
    prepared.release()
    prepared.release()  # idempotent
    for use in (prepared.dispatch, prepared.dispatch_timed, prepared.read_output):
        with pytest.raises(EnigmaError, match="was released"):
            use()
    with pytest.raises(EnigmaError, match="was released"):
        prepared.update_input(0, np.ones(4096, np.float32))


def check_programs(rt) -> None:
    """An @enigma.jit program: both launches share device buffers; outputs read back."""
    x, y = data(256), data(256)
    prog = enigma.compile(scale_then_add, x, y, 2.0)
    out = rt.execute(prog, [x], output_size=y.nbytes)  # y is the trailing (output) buffer
    np.testing.assert_allclose(np.frombuffer(out, np.float32), 2 * x, rtol=1e-6)
    prepared = rt.prepare(prog, [x], output_size=y.nbytes)
    prepared.dispatch()
    np.testing.assert_allclose(prepared.read_output(), 2 * x, rtol=1e-6)
    prepared.dispatch()  # x was scaled on the device by the first run: 4x + 2x
    np.testing.assert_allclose(prepared.read_output(), 6 * x, rtol=1e-5)
    prepared.release()


def check_capabilities(rt) -> dict:
    caps = rt.device_capabilities()
    assert set(caps) >= {
        "name", "gpu_family", "simdgroup_size", "max_threads_per_threadgroup",
        "max_threadgroup_memory_bytes", "supports_async_copy", "unified_memory",
    }  # fmt: skip
    assert caps["simdgroup_size"] == 32 and caps["max_threads_per_threadgroup"] >= 256
    caps["name"] = "changed"
    assert rt.device_capabilities()["name"] != "changed"  # a copy each time
    return rt.device_capabilities()


ALL_CHECKS = [
    check_execute_several_dtypes_outputs_and_scalars,
    check_read_output_dtypes,
    check_function_constants,
    check_prepared_buffers_stay_on_device,
    check_inputs_are_copied_at_prepare,
    check_timing_and_release,
    check_programs,
    check_capabilities,
]
