"""The `cuda` device: the CUDA C++ of a compiled kernel, compiled with NVRTC, run on GPU 0.

`CudaRuntime` compiles `CompiledKernel.cuda_source` for the device's compute
capability (a cubin; PTX that the driver compiles when NVRTC does not know the
architecture), once per set of function-constant values (`-DENIGMA_FUNCTION_
CONSTANT_<i>`), and caches the loaded function per process (NVRTC's results are
cached on disk, compiler/nvrtc.py). numpy arguments are mirrored in device
buffers (`DeviceMirror`, shared by the launches of an @enigma.jit program) and
copied back after the launch; device arrays (torch, cupy) are used in place.

>>> rt = enigma.runtime("cuda")
>>> p = rt.prepare(ck, [a, b], a.nbytes, grid=(n,), threads=(256,))
>>> p.dispatch(); p.dispatch_timed(); p.read_output()
"""

from __future__ import annotations

import ctypes
import threading
from contextlib import contextmanager

import numpy as np

from ...compiler import nvrtc
from ...errors import EnigmaError, LaunchError
from ..arguments import KernelLike, check_buffer, check_count, check_scalar, kernel_params
from ..base import PreparedKernel, Runtime, launch_shape
from ..binding import Bound, bind_execute
from ..function_constants import check_constants
from ..program import is_program, launch_program, prepare_program
from . import driver
from .marshal import KernelArguments, blocks, constant_defines, device_array, is_device_array


class DeviceMirror:
    """One device buffer per host array (by identity), and which ones the device changed."""

    def __init__(self, device: driver.Device):
        self.device = device
        self._entries: dict[int, tuple[np.ndarray, int]] = {}
        self._newer_on_device: set[int] = set()

    def pointer_for(self, array: np.ndarray, zeroed: bool = False) -> int:
        entry = self._entries.get(id(array))
        if entry is None:
            pointer = self.device.alloc(array.nbytes)
            if not zeroed:
                self.device.upload(pointer, array.ctypes.data, array.nbytes)
            else:
                driver.call(driver.bindings().cuMemsetD8, pointer, 0, max(1, array.nbytes))
            entry = self._entries[id(array)] = (array, pointer)
        return entry[1]

    def written(self, arrays) -> None:
        self._newer_on_device.update(id(a) for a in arrays if id(a) in self._entries)

    def to_host(self, arrays) -> None:
        pending = [a for a in arrays if id(a) in self._newer_on_device]
        if pending:
            self.device.synchronize()
        for array in pending:
            self.device.download(array.ctypes.data, self._entries[id(array)][1], array.nbytes)
            self._newer_on_device.discard(id(array))

    def release(self) -> None:
        """Free every buffer (idempotent: a program's launches share one mirror)."""
        for _, pointer in self._entries.values():
            self.device.free(pointer)
        self._entries.clear()
        self._newer_on_device.clear()


class CudaFunction:
    """A loaded kernel: its module, function handle and the most threads a block may have."""

    def __init__(self, kernel: KernelLike, binary: nvrtc.CudaBinary):
        d = driver.bindings()
        image = binary.cubin if binary.cubin is not None else binary.ptx
        self._image = ctypes.create_string_buffer(image)  # NUL-terminated, as PTX must be
        self.module = driver.call(d.cuModuleLoadData, ctypes.addressof(self._image))
        self.handle = driver.call(d.cuModuleGetFunction, self.module, kernel.kernel_name.encode())
        attribute = d.CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK
        self.max_threads = int(driver.call(d.cuFuncGetAttribute, attribute, self.handle))


class CudaPreparedKernel(PreparedKernel):
    """A kernel with its device buffers and kernelParams, ready to dispatch again and again.

    `dispatch()` only enqueues the launch (on `stream`, default the legacy default
    stream); `read_output`, `dispatch_timed` and `execute` wait for it.
    """

    def __init__(self, runtime, kernel, bound: Bound, grid, threads, function, mirror, *,
                 zeroed=False, device_pointers=None):  # fmt: skip
        super().__init__(kernel, bound, grid, threads)
        self._runtime, self._function, self._mirror = runtime, function, mirror
        device_pointers = device_pointers or {}
        pointers, scalars, host_written = {}, {}, []
        for i, (param, value) in enumerate(zip(bound.params, bound.values, strict=True)):
            if not param.is_buffer:
                scalars[i] = value
            elif i in device_pointers:
                pointers[i] = device_pointers[i]
            else:
                pointers[i] = mirror.pointer_for(value, zeroed and i in bound.outputs)
                if param.writes:
                    host_written.append(value)
        self._written = host_written
        self._arguments = KernelArguments(bound.params, scalars, pointers)
        self._events = None
        if self._checked is not None:
            runtime.check_threads(kernel, function, self._checked[1])
        # What each dispatch needs, looked up once.
        d = driver.bindings()
        self._cu_launch, self._success = d.cuLaunchKernel, d.CUresult.CUDA_SUCCESS
        self._handle, self._address = function.handle, self._arguments.address
        self._shape_of_dims, self._dims = None, None

    def dispatch(self, grid=None, threads=None, stream=None) -> None:
        """Enqueue one run (default: the grid and threads given to `prepare`)."""
        self._launch(*self._shape(grid, threads), driver.stream_handle(stream))

    def _dispatch(self, grid, threads) -> None:
        self._launch(grid, threads, 0)
        self._runtime.gpu.synchronize()

    def _launch(self, grid, threads, stream: int) -> None:
        """The one driver call of a dispatch; shapes are re-derived only when they change."""
        if (grid, threads) != self._shape_of_dims:
            if (grid, threads) != self._checked:
                self._runtime.check_threads(self.kernel, self._function, threads)
            self._arguments.set_grid(grid)
            self._dims = (*blocks(grid, threads), *threads)
            self._shape_of_dims = (grid, threads)
        # 0 bytes of dynamic shared memory: threadgroup arrays are static __shared__.
        status = self._cu_launch(self._handle, *self._dims, 0, stream, self._address, 0)[0]
        if status != self._success:
            driver.raise_for(status, f"launch of `{self.kernel.kernel_name}`")
        if self._written:
            self._mirror.written(self._written)

    def dispatch_timed(self, grid=None, threads=None) -> float:
        """Run once and return the GPU time between two CUDA events, in microseconds."""
        d = driver.bindings()
        shape = self._shape(grid, threads)
        if self._events is None:
            self._events = [driver.call(d.cuEventCreate, 0) for _ in range(2)]
        start, end = self._events
        driver.call(d.cuEventRecord, start, 0)
        self._launch(*shape, 0)
        driver.call(d.cuEventRecord, end, 0)
        driver.call(d.cuEventSynchronize, end, what=f"run of `{self.kernel.kernel_name}`")
        return float(driver.call(d.cuEventElapsedTime, start, end)) * 1000.0

    def _to_host(self, arrays) -> None:
        self._mirror.to_host([a for a in arrays if isinstance(a, np.ndarray)])

    def release(self) -> None:
        for event in self._events or []:
            driver.call(driver.bindings().cuEventDestroy, event)
        self._events = None
        self._mirror.release()
        super().release()


class CudaRuntime(Runtime):
    """Runs kernels on the first NVIDIA GPU through the CUDA driver API."""

    device = "cuda"

    def __init__(self):
        self.gpu = driver.Device()
        self.arch = "sm_{}{}".format(*self.gpu.capability)
        self._functions: dict[tuple, CudaFunction] = {}
        self._lock = threading.Lock()
        self._scope = threading.local()

    def function(self, kernel: KernelLike, specialization=()) -> CudaFunction:
        """The loaded function of `kernel` for these constants' values (compiled on a miss)."""
        source = kernel.cuda_source
        key = (source, specialization)
        with self._lock:
            loaded = self._functions.get(key)
            if loaded is None:
                self.gpu.make_current()
                loaded = CudaFunction(kernel, self._compile(kernel, source, specialization))
                self._functions[key] = loaded
        return loaded

    def _compile(self, kernel, source: str, specialization) -> nvrtc.CudaBinary:
        defines = constant_defines(specialization)
        name = f"{kernel.kernel_name}.cu"
        try:
            return nvrtc.compile_cuda(source, name=name, arch=self.arch, defines=defines)
        except EnigmaError as e:
            if "gpu-architecture" not in e.message:
                raise
        # This NVRTC predates the GPU: PTX for the newest arch it knows; the driver JITs it.
        return nvrtc.compile_cuda(source, name=name, arch="compute_90", defines=defines)

    def check_threads(self, kernel: KernelLike, function: CudaFunction, threads) -> None:
        total = threads[0] * threads[1] * threads[2]
        if total > function.max_threads:
            raise LaunchError(
                f"threads={tuple(threads)} for kernel `{kernel.kernel_name}` is {total} threads"
                f" per block; this kernel can have at most {function.max_threads} on this GPU"
                " (its registers and shared memory limit it)",
                hint=f"use a smaller threadgroup, e.g. threads=({function.max_threads}, 1, 1)",
            )

    def prepare(self, compiled, inputs, output_size=None, grid=None, threads=None, *,
                scalars=None, output_sizes=None, constants=None) -> PreparedKernel:  # fmt: skip
        if is_program(compiled):
            with self._program_scope():
                return prepare_program(
                    self, compiled, inputs, output_size, grid, threads, scalars=scalars,
                    output_sizes=output_sizes, constants=constants,
                )  # fmt: skip
        specialization = check_constants(compiled, constants)
        bound = bind_execute(
            compiled, inputs, output_size, scalars=scalars, output_sizes=output_sizes
        )
        function = self.function(compiled, specialization)
        mirror = DeviceMirror(self.gpu)
        return CudaPreparedKernel(
            self, compiled, bound, grid, threads, function, mirror, zeroed=True
        )

    def launch(self, compiled: KernelLike, arrays, grid, threads, constants=None) -> None:
        if is_program(compiled):
            with self._program_scope() as mirror:
                try:
                    launch_program(self, compiled, arrays, grid, threads, constants)
                    mirror.to_host([a for a in arrays if isinstance(a, np.ndarray)])
                finally:
                    mirror.release()
            return
        specialization = check_constants(compiled, constants)
        bound, device_pointers = bind_device_direct(compiled, arrays)
        grid, threads = launch_shape(compiled, grid, threads)
        function = self.function(compiled, specialization)
        prepared = CudaPreparedKernel(
            self, compiled, bound, grid, threads, function, DeviceMirror(self.gpu),
            device_pointers=device_pointers,
        )  # fmt: skip
        try:
            prepared._dispatch(grid, threads)
            prepared._to_host([bound.values[i] for i in bound.outputs])
        finally:
            prepared.release()

    def prepare_bound(self, kernel, bound: Bound, grid, threads, specialization=()):
        mirror = getattr(self._scope, "mirror", None) or DeviceMirror(self.gpu)
        function = self.function(kernel, specialization)
        return CudaPreparedKernel(self, kernel, bound, grid, threads, function, mirror)

    @contextmanager
    def _program_scope(self):
        """While a program is bound, its launches share one mirror of its arrays."""
        mirror = DeviceMirror(self.gpu)
        self._scope.mirror = mirror
        try:
            yield mirror
        except BaseException:
            mirror.release()
            raise
        finally:
            self._scope.mirror = None


def bind_device_direct(kernel: KernelLike, arrays) -> tuple[Bound, dict[int, int]]:
    """`compiled(*arrays)` on cuda: numpy arrays checked as on every device, device arrays
    (torch, cupy) checked here and used in place; returns their device pointers by index."""
    params = kernel_params(kernel)
    check_count(kernel, params, len(arrays))
    values, pointers = [], {}
    for i, (param, value) in enumerate(zip(params, arrays, strict=True)):
        if is_device_array(value):
            pointers[i], _ = device_array(kernel, param, value)
            values.append(value)
        elif param.is_buffer:
            values.append(check_buffer(kernel, param, value))
        else:
            values.append(check_scalar(kernel, param, value))
    outputs = [i for i, p in enumerate(params) if p.is_buffer and p.writes]
    return Bound(params, values, outputs), pointers
