"""@enigma.jit programs on the cuda device with device arrays (runtime/cuda/program_plan.py).

Without a GPU, over the fake driver (fake_cuda_driver.py): a two-launch program
on fake device arrays runs in order on the arrays' stream with no copy and no
synchronization; an array shorter than its buffer's extent is refused before any
launch; numpy and device arrays mix (numpy copied in and back); the cpu device
still refuses device arrays. With a GPU (marker `cuda`): the same program on
torch tensors, ordered on torch's current stream.
"""

import ctypes

import numpy as np
import pytest
from fake_cuda_driver import FakeDriver, add_model, pointer_arg, slot
from test_runtime_cuda import FakeDeviceArray, add, needs_nvrtc, saxpy

import enigma
from enigma import Layout, Tensor, f32
from enigma.errors import LaunchError
from enigma.runtime.cuda import driver
from enigma.runtime.cuda import runtime as cuda_runtime
from enigma.runtime.cuda.runtime import CudaRuntime
from enigma.testing import requires_cuda

N = 256


@enigma.jit
def add_then_axpy(a, b, c, d):
    """c = a + b, then d = 2 c + d: the second launch reads what the first wrote."""
    n = enigma.size(a.layout)
    add(a, b, c).launch(grid=(n // 64, 1, 1), block=(64, 1, 1))
    saxpy(c, d, 2.0, n).launch(grid=(n // 128, 1, 1), block=(128, 1, 1))


def saxpy_model(fake_driver: FakeDriver, params: int) -> None:
    """y[i] = a x[i] + y[i] for i < n: the `saxpy` kernel over the fake memory."""
    x, y = (fake_driver.array(pointer_arg(params, k), np.float32) for k in range(2))
    a = ctypes.c_float.from_address(slot(params, 2)).value
    n = ctypes.c_uint.from_address(slot(params, 3)).value
    y[:n] = np.float32(a) * x[:n] + y[:n]


def program():
    tensors = [Tensor(s, i, f32, Layout(N)) for i, s in enumerate("abcd")]
    return enigma.compile(add_then_axpy, *tensors)


@pytest.fixture
def fake():
    fake_driver = FakeDriver({"add": add_model, "saxpy": saxpy_model})
    mp = pytest.MonkeyPatch()
    mp.setattr(driver, "bindings", lambda: fake_driver)
    yield fake_driver, CudaRuntime(), mp
    mp.undo()


def operands(fake_driver, n=N) -> list[int]:
    """Device pointers of a, b, c, d holding 1.5, 2.0, 0 and 10."""
    pointers = [fake_driver.cuMemAlloc(n * 4)[1] for _ in range(4)]
    for pointer, value in zip(pointers, (1.5, 2.0, 0.0, 10.0), strict=True):
        fake_driver.array(pointer, np.float32)[:] = value
    return pointers


@needs_nvrtc
def test_fake_program_on_device_arrays_is_enqueued_in_order_on_their_stream(fake):
    fake_driver, rt, mp = fake
    streams = []
    mp.setattr(cuda_runtime, "current_stream", lambda arrays: streams.append(arrays) or 7)
    prog = program()
    pointers = operands(fake_driver)
    arrays = [FakeDeviceArray((N,), pointer=p) for p in pointers]
    for _ in range(2):  # the second call reuses the plan with the same checks
        rt.launch(prog, arrays, None, None)
    d = fake_driver.array(pointers[3], np.float32)
    np.testing.assert_array_equal(d, 10 + 2 * 2 * 3.5)  # add ran before axpy, twice
    assert (
        fake_driver.launches
        == [
            ("add", (4, 1, 1), (64, 1, 1), 7),
            ("saxpy", (2, 1, 1), (128, 1, 1), 7),
        ]
        * 2
    )
    assert streams == [arrays, arrays]
    assert fake_driver.synchronizations == 0  # enqueued, not waited for
    assert len(fake_driver.memory) == 4  # the caller's arrays, no copies
    assert len(rt._scope.program_plans) == 1


@needs_nvrtc
def test_fake_device_array_shorter_than_its_extent_is_refused_before_any_launch(fake):
    fake_driver, rt, _ = fake
    pointers = operands(fake_driver)
    arrays = [FakeDeviceArray((N,), pointer=p) for p in pointers]
    arrays[2] = FakeDeviceArray((N - 1,), pointer=pointers[2])
    with pytest.raises(LaunchError, match=r"buffer `c` \(float\).* holds 255 elements") as e:
        rt.launch(program(), arrays, None, None)
    assert "at least 256 float" in e.value.hint
    arrays[2] = FakeDeviceArray((N,), typestr="<i4", pointer=pointers[2])
    with pytest.raises(LaunchError, match="buffer `c`.*device array of int32"):
        rt.launch(program(), arrays, None, None)
    assert not fake_driver.launches


@needs_nvrtc
def test_fake_program_mixes_numpy_and_device_arrays(fake):
    fake_driver, rt, _ = fake
    pointers = operands(fake_driver)
    a = np.arange(N, dtype=np.float32)
    d = np.full(N, 10, np.float32)
    b, c = (FakeDeviceArray((N,), pointer=p) for p in pointers[1:3])
    rt.launch(program(), [a, b, c, d], None, None)
    np.testing.assert_array_equal(fake_driver.array(pointers[2], np.float32), a + 2)
    np.testing.assert_array_equal(d, 10 + 2 * (a + 2))  # copied back after the launches
    assert fake_driver.synchronizations >= 1
    assert len(fake_driver.memory) == 4  # a's and d's mirrors freed
    short = np.zeros(N - 1, np.float32)
    with pytest.raises(LaunchError, match="buffer `d`.* holds 255 elements"):
        rt.launch(program(), [a, b, c, short], None, None)


def test_cpu_programs_still_refuse_device_arrays():
    arrays = [FakeDeviceArray((N,)) for _ in range(4)]
    with pytest.raises(LaunchError, match="buffer `a`.*not a numpy array"):
        program()(*arrays, device="cpu")


@requires_cuda
def test_program_on_torch_tensors_runs_on_torchs_current_stream():
    torch = pytest.importorskip("torch")
    prog = program()
    side = torch.cuda.Stream()
    with torch.cuda.stream(side):
        a, b = (torch.randn(N, device="cuda") for _ in range(2))
        c = torch.zeros(N, device="cuda")
        d = torch.randn(N, device="cuda")
        expect = 2 * (a + b) + d
        torch.cuda._sleep(2_000_000)  # the launches must wait for this, torch for them
        prog(a, b, c, d, device="cuda")
        doubled = d * 2
    side.synchronize()
    torch.testing.assert_close(doubled, 2 * expect)
    assert torch.equal(c, a + b)
    with pytest.raises(LaunchError, match="buffer `c`.* holds 255 elements"):
        prog(a, b, c[: N - 1], d, device="cuda")
