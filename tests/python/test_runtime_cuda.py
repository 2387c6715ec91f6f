"""The cuda device (runtime/cuda): launch marshalling without a GPU, kernels on one with it.

Without a GPU: the grid math, the kernelParams array, function-constant -D
values, the checks of device arrays (fakes with `__cuda_array_interface__`),
the error a missing GPU gives, and an NVRTC cubin for sm_90. With one (marker
`cuda`, run by scripts/device/run-gpu.sh): numpy and torch arguments, Scalars, a
barrier kernel with a partial last threadgroup, function constants, a jit
program and CUDA-event timing, each checked against numpy exactly.
"""

import ctypes

import numpy as np
import pytest
from fake_cuda_driver import add_model, fake_runtime

import enigma
from enigma import Layout, Scalar, Tensor, b1, f32, i32, u32
from enigma.compiler import nvrtc
from enigma.errors import EnigmaError, LaunchError
from enigma.runtime.arguments import kernel_params
from enigma.runtime.cuda.marshal import (
    EnigmaLaunch,
    KernelArguments,
    blocks,
    constant_defines,
    device_array,
    is_device_array,
)
from enigma.runtime.cuda.runtime import bind_device_direct
from enigma.runtime.function_constants import check_constants
from enigma.testing import is_cuda_available, requires_cuda

needs_nvrtc = pytest.mark.skipif(not nvrtc.available(), reason="NVRTC wheels not installed")
N = 1000  # not a multiple of the threadgroup: the last one is partial


@enigma.kernel
def add(a: f32, b: f32, c: f32):
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


@enigma.kernel
def saxpy(x: f32, y: f32, a: Scalar(f32), n: Scalar(u32)):
    i = enigma.thread_position_in_grid
    with enigma.if_(i < n):
        y[i] = a * x[i] + y[i]


@enigma.kernel
def scaled_add(a: f32, b: f32, c: f32):
    i = enigma.thread_position_in_grid
    c[i] = (a[i] + b[i]) * enigma.function_constant(f32, 0)
    with enigma.if_(enigma.function_constant(b1, 1)):
        c[i] = -c[i]


@enigma.kernel
def rotate_in_group(x: i32, out: i32):
    # Each thread reads its right neighbour within the (possibly partial) threadgroup.
    i = enigma.thread_position_in_grid
    t = enigma.thread_index_in_threadgroup()
    size = enigma.threads_per_threadgroup()
    tile = enigma.threadgroup_alloc(i32, 128)
    tile[t] = x[i]
    enigma.barrier()
    out[i] = tile[(t + 1) % size]


@enigma.jit
def add_program(a, b, c):
    n = enigma.size(a.layout)
    add(a, b, c).launch(grid=(n // 64, 1, 1), block=(64, 1, 1))


class FakeDeviceArray:
    """What torch and cupy expose: the CUDA array interface (version 3)."""

    def __init__(self, shape, typestr="<f4", strides=None, readonly=False, device=(2, 0),
                 pointer=0xDEAD000):  # fmt: skip
        self.__cuda_array_interface__ = {
            "shape": shape, "typestr": typestr, "data": (pointer, readonly),
            "strides": strides, "version": 3,
        }  # fmt: skip
        self._device = device

    def __dlpack_device__(self):
        return self._device


def test_blocks_round_the_grid_up_to_whole_threadgroups():
    assert blocks((1000, 1, 1), (256, 1, 1)) == (4, 1, 1)
    assert blocks((1024, 7, 3), (256, 2, 3)) == (4, 4, 1)


def test_kernel_params_point_at_device_pointers_scalars_and_the_launch():
    ck = enigma.compile(saxpy)
    params = kernel_params(ck)
    scalars = {2: np.asarray([2.5], np.float32), 3: np.asarray([N], np.uint32)}
    args = KernelArguments(params, scalars, {0: 0x1000, 1: 0x2000})
    args.set_grid((N, 1, 1))
    slots = [args.array[k] for k in range(5)]
    assert ctypes.c_uint64.from_address(slots[0]).value == 0x1000
    assert ctypes.c_uint64.from_address(slots[1]).value == 0x2000
    assert ctypes.c_float.from_address(slots[2]).value == 2.5
    assert ctypes.c_uint.from_address(slots[3]).value == N
    launch = EnigmaLaunch.from_address(slots[4])
    assert (launch.x, launch.y, launch.z) == (N, 1, 1)
    assert args.address == ctypes.addressof(args.array)


def test_function_constants_become_exact_literals():
    ck = enigma.compile(scaled_add)
    spec = check_constants(ck, {0: 0.1, 1: True})
    defines = constant_defines(spec)
    assert defines["ENIGMA_FUNCTION_CONSTANT_1"] == "1"
    literal = defines["ENIGMA_FUNCTION_CONSTANT_0"]
    assert float.fromhex(literal) == float(np.float32(0.1))  # the float's bits, not 0.1
    ints = constant_defines([(0, "int", 0xFFFFFFFB), (1, "uint", 7), (2, "long", 1)])
    assert list(ints.values()) == ["-5LL", "7ULL", "1LL"]
    special = constant_defines([(0, "float", 0x7FC00000), (1, "half", 0xFC00)])
    assert list(special.values()) == [
        "__int_as_float((int)0x7fc00000U)",  # NaN
        "__int_as_float((int)0xff800000U)",  # -inf, as a float; the cast makes it a half
    ]


def test_device_arrays_are_checked_like_numpy_arrays():
    ck = enigma.compile(add)
    a, _, c = kernel_params(ck)
    assert not is_device_array(np.zeros(4, np.float32))
    assert is_device_array(FakeDeviceArray((4,)))
    assert device_array(ck, a, FakeDeviceArray((4, 2))) == (0xDEAD000, 32)
    with pytest.raises(LaunchError, match="device array of int32"):
        device_array(ck, a, FakeDeviceArray((4,), "<i4"))
    with pytest.raises(LaunchError, match="non-contiguous"):
        device_array(ck, a, FakeDeviceArray((4, 2), strides=(4, 16)))
    with pytest.raises(LaunchError, match="read-only"):
        device_array(ck, c, FakeDeviceArray((4,), readonly=True))
    with pytest.raises(LaunchError, match="not CUDA device 0"):
        device_array(ck, a, FakeDeviceArray((4,), device=(2, 1)))


def test_numpy_dtype_mismatch_is_a_launch_error_before_any_device_work():
    ck = enigma.compile(add)
    x = np.zeros(4, np.float64)
    with pytest.raises(LaunchError, match="float64"):
        bind_device_direct(ck, [x, x, x])
    with pytest.raises(LaunchError, match="takes 3 arguments"):
        bind_device_direct(ck, [x])


@pytest.mark.skipif(is_cuda_available(), reason="a CUDA GPU is present")
def test_without_a_gpu_the_cuda_runtime_points_at_the_cpu_device():
    with pytest.raises(EnigmaError, match="cuda") as info:
        enigma.runtime("cuda")
    assert 'device="cpu"' in str(info.value)


@needs_nvrtc
def test_nvrtc_builds_a_cubin_for_sm90_with_function_constants():
    ck = enigma.compile(scaled_add)
    defines = constant_defines(check_constants(ck, {0: 2.0, 1: False}))
    binary = nvrtc.compile_cuda(ck.cuda_source, name="scaled_add.cu", arch="sm_90",
                                defines=defines)  # fmt: skip
    assert binary.cubin[:4] == b"\x7fELF"
    assert not binary.log


# --- the runtime's host code over a fake driver (tests/python/fake_cuda_driver.py) -----------


@pytest.fixture
def fake():
    yield from fake_runtime({"add": add_model})


@needs_nvrtc
def test_fake_direct_launch_copies_numpy_in_and_out(fake):
    fake_driver, rt = fake
    a, b = np.arange(2 * N, dtype=np.float32).reshape(2, N)
    c = np.zeros(N, np.float32)
    rt.launch(enigma.compile(add), [a, b, c], (N, 1, 1), (256, 1, 1))
    np.testing.assert_array_equal(c, a + b)
    assert fake_driver.launches == [("add", (4, 1, 1), (256, 1, 1), 0)]
    assert fake_driver.synchronizations >= 1  # numpy results are copied back after the run
    assert not fake_driver.memory  # every buffer freed
    assert rt.arch == "sm_90a"  # Hopper: wgmma and TMA for threadgroup matrices


@needs_nvrtc
def test_fake_prepared_kernel_dispatches_times_reads_and_releases(fake):
    fake_driver, rt = fake
    a, b = np.arange(2 * N, dtype=np.float32).reshape(2, N)
    p = rt.prepare(enigma.compile(add), [a, b], a.nbytes, grid=(N,), threads=(128,))
    p.dispatch(stream=7)
    assert p.dispatch_timed() == 5.0  # the events' 0.005 ms in microseconds
    np.testing.assert_array_equal(p.read_output(), a + b)
    assert [launch[3] for launch in fake_driver.launches] == [7, 0]
    p.dispatch(grid=(2000,), threads=(1000,))  # a new shape: new block counts and EnigmaLaunch
    assert fake_driver.launches[-1][1:3] == ((2, 1, 1), (1000, 1, 1))
    p.release()
    assert not fake_driver.memory
    out = rt.execute(enigma.compile(add), [a, b], a.nbytes, grid=(N,), threads=(128,))
    np.testing.assert_array_equal(np.frombuffer(out, np.float32), a + b)


@needs_nvrtc
def test_fake_jit_program_shares_device_buffers(fake):
    fake_driver, rt = fake
    n = 256
    prog = enigma.compile(add_program, *[Tensor(s, i, f32, Layout(n)) for i, s in enumerate("abc")])
    a, b = np.arange(2 * n, dtype=np.float32).reshape(2, n)
    c = np.zeros(n, np.float32)
    rt.launch(prog, [a, b, c], None, None)
    np.testing.assert_array_equal(c, a + b)
    out = rt.execute(prog, [a, b], output_size=c.nbytes)
    np.testing.assert_array_equal(np.frombuffer(out, np.float32), a + b)
    assert not fake_driver.memory


# --- on a GPU ------------------------------------------------------------------------------

RNG = np.random.default_rng(11)


@requires_cuda
def test_vector_add_numpy_in_place():
    a, b = RNG.standard_normal((2, N)).astype(np.float32)
    c = np.zeros(N, np.float32)
    enigma.compile(add)(a, b, c, grid=(N, 1, 1), threads=(256, 1, 1), device="cuda")
    np.testing.assert_array_equal(c, a + b)


@requires_cuda
def test_vector_add_torch_tensors_zero_copy():
    torch = pytest.importorskip("torch")
    a, b = (torch.randn(N, device="cuda") for _ in range(2))
    c = torch.zeros(N, device="cuda")
    enigma.compile(add)(a, b, c, grid=(N, 1, 1), threads=(256, 1, 1), device="cuda")
    assert torch.equal(c, a + b)


@requires_cuda
def test_torch_call_is_ordered_on_torchs_current_stream():
    torch = pytest.importorskip("torch")
    side = torch.cuda.Stream()
    with torch.cuda.stream(side):
        a = torch.full((N,), 1.5, device="cuda")
        b = torch.full((N,), 2.0, device="cuda")
        c = torch.zeros(N, device="cuda")
        torch.cuda._sleep(2_000_000)  # the call must wait for this, then torch for the call
        enigma.compile(add)(a, b, c, grid=(N, 1, 1), threads=(256, 1, 1), device="cuda")
        doubled = c * 2
    side.synchronize()
    assert torch.equal(doubled, torch.full((N,), 7.0, device="cuda"))


@requires_cuda
def test_saxpy_scalars_prepared_and_timed():
    x, y = RNG.standard_normal((2, N)).astype(np.float32)
    rt = enigma.runtime("cuda")
    prepared = rt.prepare(enigma.compile(saxpy), [x, y], scalars={"a": 2.0, "n": N},
                          grid=(N, 1, 1), threads=(128, 1, 1))  # fmt: skip
    # Scalars a and n come through scalars=; x and y are inputs, so nothing is an output.
    prepared.dispatch()
    assert prepared.dispatch_timed() > 0
    prepared.release()
    out = rt.execute(enigma.compile(saxpy), [x], y.nbytes, scalars={"a": 2.0, "n": N},
                     grid=(N, 1, 1), threads=(128, 1, 1))  # fmt: skip
    np.testing.assert_array_equal(np.frombuffer(out, np.float32), np.float32(2.0) * x)


@requires_cuda
def test_barrier_kernel_with_a_partial_last_threadgroup():
    x = np.arange(N, dtype=np.int32)
    out = np.zeros(N, np.int32)
    enigma.compile(rotate_in_group)(x, out, grid=(N, 1, 1), threads=(128, 1, 1), device="cuda")
    expect = np.concatenate([np.roll(x[k : k + 128], -1) for k in range(0, N, 128)])
    np.testing.assert_array_equal(out, expect)


@requires_cuda
def test_function_constants_specialize_the_cubin():
    a, b = RNG.standard_normal((2, N)).astype(np.float32)
    ck = enigma.compile(scaled_add)
    for scale, negate in ((0.5, False), (3.0, True)):
        c = np.zeros(N, np.float32)
        ck(a, b, c, grid=(N, 1, 1), threads=(256, 1, 1), device="cuda",
           constants={0: scale, 1: negate})  # fmt: skip
        np.testing.assert_array_equal(c, (a + b) * np.float32(scale) * (-1 if negate else 1))


@requires_cuda
def test_jit_program_runs_its_launches():
    n = 256
    prog = enigma.compile(add_program, *[Tensor(s, i, f32, Layout(n)) for i, s in enumerate("abc")])
    a, b = RNG.standard_normal((2, n)).astype(np.float32)
    c = np.zeros(n, np.float32)
    prog(a, b, c, device="cuda")
    np.testing.assert_array_equal(c, a + b)
    out = enigma.runtime("cuda").execute(prog, [a, b], output_size=c.nbytes)
    np.testing.assert_array_equal(np.frombuffer(out, np.float32), a + b)


@requires_cuda
def test_too_many_threads_is_a_launch_error():
    x = np.zeros(4, np.float32)
    with pytest.raises(LaunchError, match="threads"):
        enigma.compile(add)(x, x, x, grid=(4096, 1, 1), threads=(2048, 1, 1), device="cuda")
