"""Device arrays on the cuda device, over the fake driver: used in place, checked first.

torch/cupy-style arrays (`__cuda_array_interface__`) and DLPack-only arrays are bound
in place through a per-thread launch plan (repeated calls refill its pointers), with
vector Scalars, after the alignment their vector accesses need; launch shapes whose
partial multi-dimensional threadgroups CUDA would split into warps unlike Metal are
refused for kernels with SIMD-group functions. The fake driver and fixture are
test_runtime_cuda.py's.
"""

import ctypes

import numpy as np
import pytest
from fake_cuda_driver import add_model, fake_runtime
from test_runtime_cuda import FakeDeviceArray, N, add, needs_nvrtc

import enigma
from enigma import Scalar, f32
from enigma.errors import LaunchError
from enigma.runtime.cuda import dlpack
from enigma.runtime.cuda import runtime as cuda_runtime


@pytest.fixture
def fake():
    yield from fake_runtime({"add": add_model})


def add_operands(fake_driver, a: float, b: float) -> list[int]:
    """Device pointers of a, b (filled with `a`, `b`) and c: N floats each."""
    pointers = [fake_driver.cuMemAlloc(N * 4)[1] for _ in range(3)]
    fake_driver.array(pointers[0], np.float32)[:] = a
    fake_driver.array(pointers[1], np.float32)[:] = b
    return pointers


@needs_nvrtc
def test_fake_device_arrays_are_used_in_place(fake):
    fake_driver, rt = fake
    pointers = add_operands(fake_driver, 1.5, 2.0)
    arrays = [FakeDeviceArray((N,), pointer=p) for p in pointers]
    rt.launch(enigma.compile(add), arrays, (N, 1, 1), (256, 1, 1))
    assert (fake_driver.array(pointers[2], np.float32) == 3.5).all()
    assert len(fake_driver.memory) == 3  # the caller's arrays, nothing else
    assert fake_driver.synchronizations == 0  # enqueued on the stream, not waited for


@enigma.kernel
def add4(a: enigma.float4, b: enigma.float4, c: enigma.float4):
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


@needs_nvrtc
def test_fake_repeated_device_calls_reuse_one_plan_with_new_pointers(fake):
    fake_driver, rt = fake
    sets = [[fake_driver.cuMemAlloc(N * 4)[1] for _ in range(3)] for _ in range(2)]
    for k, (a, b, _) in enumerate(sets):
        fake_driver.array(a, np.float32)[:] = k
        fake_driver.array(b, np.float32)[:] = 10
    ck = enigma.compile(add)
    for pointers in sets * 2:
        rt.launch(ck, [FakeDeviceArray((N,), pointer=p) for p in pointers], (N,), (256,))
    assert (fake_driver.array(sets[0][2], np.float32) == 10).all()
    assert (fake_driver.array(sets[1][2], np.float32) == 11).all()
    assert len(fake_driver.launches) == 4 and fake_driver.synchronizations == 0
    assert len(rt._scope.plans) == 1  # one kernel, one shape: one plan


@enigma.kernel
def shift2(x: enigma.float2, by: Scalar(enigma.float2)):
    i = enigma.thread_position_in_grid
    x[i] = x[i] + by


@needs_nvrtc
def test_fake_device_call_with_a_vector_scalar(fake):
    fake_driver, rt = fake
    fake_driver.models["shift2"] = lambda driver, params: None
    x = FakeDeviceArray((N, 2), pointer=fake_driver.cuMemAlloc(N * 8)[1])
    ck = enigma.compile(shift2)
    rt.launch(ck, [x, (1.0, 2.0)], (N,), (256,))
    with pytest.raises(LaunchError, match="pass 2 numbers"):
        rt.launch(ck, [x, 1.0], (N,), (256,))
    assert len(fake_driver.launches) == 1


@needs_nvrtc
def test_fake_misaligned_vector_device_array_is_refused_before_launch(fake):
    fake_driver, rt = fake
    base = fake_driver.cuMemAlloc(N * 16 + 16)[1]
    arrays = [FakeDeviceArray((N, 4), pointer=base) for _ in range(3)]
    arrays[1] = FakeDeviceArray((N, 4), pointer=base + 4)  # starts mid-float4
    with pytest.raises(LaunchError, match="not aligned to 16 bytes"):
        rt.launch(enigma.compile(add4), arrays, (N,), (256,))
    assert not fake_driver.launches


class _DLManagedTensor(ctypes.Structure):
    _fields_ = [("dl_tensor", dlpack._DLTensor), ("context", ctypes.c_void_p),
                ("deleter", ctypes.c_void_p)]  # fmt: skip


_DLTENSOR = ctypes.c_char_p(b"dltensor")  # the capsule keeps this name's address
_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.restype = ctypes.py_object
_capsule_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]


class FakeDLPackArray:
    """An array that offers only DLPack (as JAX's do): no __cuda_array_interface__."""

    def __init__(self, pointer, shape, code=2, bits=32, strides=None):
        self._shape = (ctypes.c_int64 * len(shape))(*shape)
        self._strides = (ctypes.c_int64 * len(shape))(*strides) if strides else None
        self._managed = _DLManagedTensor()
        t = self._managed.dl_tensor
        t.data, t.device.device_type, t.device.device_id, t.ndim = pointer, 2, 0, len(shape)
        t.dtype.code, t.dtype.bits, t.dtype.lanes = code, bits, 1
        t.shape = self._shape
        t.strides = self._strides  # a NULL pointer when None: C-contiguous

    def __dlpack_device__(self):
        return (2, 0)

    def __dlpack__(self, stream=None):
        return _capsule_new(ctypes.addressof(self._managed), _DLTENSOR.value, None)


@needs_nvrtc
def test_fake_dlpack_only_arrays_are_used_in_place_after_checks(fake):
    fake_driver, rt = fake
    pointers = add_operands(fake_driver, 1.25, 2.0)
    arrays = [FakeDLPackArray(p, (N,)) for p in pointers]
    rt.launch(enigma.compile(add), arrays, (N, 1, 1), (256, 1, 1))
    assert (fake_driver.array(pointers[2], np.float32) == 3.25).all()
    wrong = [*arrays[:2], FakeDLPackArray(pointers[2], (N,), code=0)]  # int32
    with pytest.raises(LaunchError, match="got a DLPack array of int32"):
        rt.launch(enigma.compile(add), wrong, (N, 1, 1), (256, 1, 1))
    strided = [*arrays[:2], FakeDLPackArray(pointers[2], (N // 2,), strides=(2,))]
    with pytest.raises(LaunchError, match="non-contiguous"):
        rt.launch(enigma.compile(add), strided, (N, 1, 1), (256, 1, 1))


@enigma.kernel
def row_sums(x: f32, out: f32):
    i = enigma.thread_position_in_grid
    out[i] = enigma.simd_sum(x[i])


@needs_nvrtc
def test_fake_partial_2d_threadgroup_with_simd_functions_is_refused(fake):
    fake_driver, rt = fake
    ck = enigma.compile(row_sums)
    assert ck.uses_simdgroups and not enigma.compile(add).uses_simdgroups
    x, out = np.ones((2, 64), np.float32)
    for grid, threads in [((20, 4, 1), (16, 2, 1)), ((16, 3, 2), (16, 2, 2))]:
        with pytest.raises(LaunchError, match="partial threadgroup in [xy]") as e:
            rt.launch(ck, [x, out], grid, threads)
        assert "round grid" in e.value.hint
    assert not fake_driver.launches
    fake_driver.models["row_sums"] = lambda driver, params: None
    rt.launch(ck, [x, out], (32, 2, 1), (16, 2, 1))  # whole threadgroups
    rt.launch(ck, [x, out], (20, 1, 1), (32, 1, 1))  # one row: warps are SIMD-groups
    rt.launch(ck, [x, out], (16, 3, 1), (16, 2, 1))  # cut in y, nothing after it
    assert len(fake_driver.launches) == 3


@needs_nvrtc
def test_fake_numpy_uploads_finish_before_a_launch_on_another_stream(fake, monkeypatch):
    # torch's side streams do not wait for the legacy stream the uploads use
    fake_driver, rt = fake
    seen = []
    fake_driver.models["add"] = lambda d, params: seen.append(d.synchronizations)
    monkeypatch.setattr(cuda_runtime, "current_stream", lambda arrays: 7)
    a, b = np.ones((2, N), np.float32)
    c = FakeDeviceArray((N,), pointer=fake_driver.cuMemAlloc(N * 4)[1])
    rt.launch(enigma.compile(add), [a, b, c], (N,), (256,))
    assert seen == [1] and fake_driver.launches[-1][3] == 7
