"""A stand-in for cuda-bindings' driver module, so the cuda runtime's host code runs here.

Device memory is host bytearrays behind fake pointers; a launch reads the
kernelParams array exactly as the driver does (one address per parameter, then
the EnigmaLaunch) and runs a Python model of the kernel, registered by name, over
that memory. Every call returns a tuple led by a CUresult, as cuda-bindings does.
"""

from __future__ import annotations

import ctypes
import enum
from types import SimpleNamespace

import numpy as np
import pytest


class CUresult(enum.IntEnum):
    CUDA_SUCCESS = 0
    CUDA_ERROR_INVALID_VALUE = 1


class FakeDriver:
    CUresult = CUresult
    CUdevice_attribute = SimpleNamespace(
        CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR="major",
        CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR="minor",
    )
    CUfunction_attribute = SimpleNamespace(
        CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK="max",
        CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES="max_dynamic_shared",
    )
    OK = CUresult.CUDA_SUCCESS

    def __init__(self, models: dict):
        self.models = models  # kernel name -> fn(driver, params addresses, n params, grid)
        self.memory: dict[int, bytearray] = {}
        self.launches: list[tuple] = []
        self.synchronizations = 0
        self._next = 0x10000
        # Module globals by name, as (pointer, bytes); their initial values in `initial`.
        self.globals: dict[str, tuple[int, int]] = {}
        self.initial = {"enigma_dynamic_shared_bytes": (0).to_bytes(4, "little")}
        self.attributes: list[tuple] = []  # cuFuncSetAttribute calls
        self.shared: list[int] = []  # dynamic shared bytes of each launch

    # --- device and context -------------------------------------------------------------
    def cuInit(self, flags):
        return (self.OK,)

    def cuDeviceGetCount(self):
        return (self.OK, 1)

    def cuDeviceGet(self, ordinal):
        return (self.OK, ordinal)

    def cuDeviceGetAttribute(self, which, device):
        return (self.OK, {"major": 9, "minor": 0}[which])

    def cuDeviceGetName(self, length, device):
        return (self.OK, b"Fake H100\0\0")

    def cuDevicePrimaryCtxRetain(self, device):
        return (self.OK, "ctx")

    def cuCtxSetCurrent(self, ctx):
        return (self.OK,)

    def cuCtxSynchronize(self):
        self.synchronizations += 1
        return (self.OK,)

    def cuGetErrorString(self, status):
        return (self.OK, b"invalid argument")

    # --- memory -------------------------------------------------------------------------
    def cuMemAlloc(self, nbytes):
        self._next += (nbytes + 255) // 256 * 256 + 256
        self.memory[self._next] = bytearray(nbytes)
        return (self.OK, self._next)

    def cuMemFree(self, pointer):
        del self.memory[pointer]
        return (self.OK,)

    def cuMemsetD8(self, pointer, value, n):
        self.memory[pointer][:n] = bytes([value]) * n
        return (self.OK,)

    def cuMemcpyHtoD(self, pointer, host, n):
        self.memory[pointer][:n] = ctypes.string_at(host, n)
        return (self.OK,)

    def cuMemcpyDtoH(self, host, pointer, n):
        ctypes.memmove(host, bytes(self.memory[pointer][:n]), n)
        return (self.OK,)

    def array(self, pointer, dtype) -> np.ndarray:
        return np.frombuffer(self.memory[pointer], dtype)

    # --- modules, launches, events ------------------------------------------------------
    def cuModuleLoadData(self, address):
        assert ctypes.string_at(address, 4) == b"\x7fELF"  # a cubin for sm_90
        return (self.OK, "module")

    def cuModuleGetFunction(self, module, name):
        return (self.OK, name.decode())

    def cuModuleGetGlobal(self, module, name):
        name = name.decode()
        if name not in self.globals:
            data = self.initial.get(name, bytes(128))
            status, pointer = self.cuMemAlloc(len(data))
            self.memory[pointer][:] = data
            self.globals[name] = (pointer, len(data))
        return (self.OK, *self.globals[name])

    def cuFuncGetAttribute(self, which, function):
        return (self.OK, 1024)

    def cuFuncSetAttribute(self, function, which, value):
        self.attributes.append((function, which, value))
        return (self.OK,)

    def cuLaunchKernel(self, function, gx, gy, gz, bx, by, bz, shared, stream, params, extra):
        if bx * by * bz > 1024:
            return (CUresult.CUDA_ERROR_INVALID_VALUE,)
        self.launches.append((function, (gx, gy, gz), (bx, by, bz), stream))
        self.shared.append(shared)
        self.models[function](self, params)
        return (self.OK,)

    def cuEventCreate(self, flags):
        return (self.OK, object())

    def cuEventRecord(self, event, stream):
        return (self.OK,)

    def cuEventSynchronize(self, event):
        return (self.OK,)

    def cuEventElapsedTime(self, start, end):
        return (self.OK, 0.005)

    def cuEventDestroy(self, event):
        return (self.OK,)


def slot(params: int, index: int) -> int:
    """The address kernelParams holds for parameter `index`."""
    return ctypes.c_void_p.from_address(params + index * ctypes.sizeof(ctypes.c_void_p)).value


def pointer_arg(params: int, index: int) -> int:
    return ctypes.c_uint64.from_address(slot(params, index)).value


def add_model(driver: FakeDriver, params: int) -> None:
    """c[i] = a[i] + b[i] for i < grid.x: the `add` kernel over the fake memory."""
    n = ctypes.c_uint.from_address(slot(params, 3)).value
    a, b, c = (driver.array(pointer_arg(params, k), np.float32) for k in range(3))
    c[:n] = a[:n] + b[:n]


def fake_runtime(models: dict):
    """The body of a `fake` fixture: (FakeDriver running `models`, a CudaRuntime on it),
    with the fake substituted for cuda-bindings until the test ends."""
    from enigma.runtime.cuda import driver
    from enigma.runtime.cuda.runtime import CudaRuntime

    fake_driver = FakeDriver(models)
    mp = pytest.MonkeyPatch()
    mp.setattr(driver, "bindings", lambda: fake_driver)
    try:
        yield fake_driver, CudaRuntime()
    finally:
        mp.undo()
