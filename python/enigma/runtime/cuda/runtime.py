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
from ..arguments import (
    KernelLike,
    check_buffer,
    check_count,
    check_required_threads,
    check_scalar,
    kernel_params,
)
from ..base import PreparedKernel, Runtime, launch_shape
from ..binding import Bound, bind_execute
from ..function_constants import check_constants
from ..program import is_program, prepare_program, refuse_shape
from . import driver, tensor_map
from .direct import DirectPlan
from .marshal import KernelArguments, blocks, constant_defines, device_array, is_device_array
from .program_plan import ProgramPlan

MAX_PLANS = 256  # direct-call plans (and program plans) kept per thread


class DeviceMirror:
    """One device buffer per host array (by identity), and which ones the device changed."""

    def __init__(self, device: driver.Device):
        self.device = device
        self._entries: dict[int, tuple[np.ndarray, int]] = {}
        self.newer_on_device: set[int] = set()  # ids of arrays the device changed

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

    def ids(self, arrays) -> list[int]:
        """The ids of those of `arrays` that have a device buffer here."""
        return [id(a) for a in arrays if id(a) in self._entries]

    def to_host(self, arrays) -> None:
        pending = [a for a in arrays if id(a) in self.newer_on_device]
        if pending:
            self.device.synchronize()
        for array in pending:
            self.device.download(array.ctypes.data, self._entries[id(array)][1], array.nbytes)
            self.newer_on_device.discard(id(array))

    def release(self) -> None:
        """Free every buffer (idempotent: a program's launches share one mirror)."""
        for _, pointer in self._entries.values():
            self.device.free(pointer)
        self._entries.clear()
        self.newer_on_device.clear()


class CudaFunction:
    """A loaded kernel: its module, function handle, the most threads a block may have and
    the dynamic shared memory each block is launched with."""

    def __init__(self, kernel: KernelLike, binary: nvrtc.CudaBinary):
        d = driver.bindings()
        image = binary.cubin if binary.cubin is not None else binary.ptx
        self._image = ctypes.create_string_buffer(image)  # NUL-terminated, as PTX must be
        self.module = driver.call(d.cuModuleLoadData, ctypes.addressof(self._image))
        self.handle = driver.call(d.cuModuleGetFunction, self.module, kernel.kernel_name.encode())
        self.shared_bytes = 0
        if getattr(kernel, "required_threads", 0):
            self.shared_bytes = self._prepare_threadgroup_matrices(d, kernel)
        attribute = d.CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK
        self.max_threads = int(driver.call(d.cuFuncGetAttribute, attribute, self.handle))

    def _prepare_threadgroup_matrices(self, d, kernel: KernelLike) -> int:
        """The dynamic shared memory of a kernel with threadgroup matrices, as its module
        says (`enigma_dynamic_shared_bytes`, 0 off sm_90a), allowed on the function; and
        the TMA template its products retarget, written into the module."""
        pointer, _ = driver.call(d.cuModuleGetGlobal, self.module, b"enigma_dynamic_shared_bytes")
        value = ctypes.c_uint32()
        driver.call(d.cuMemcpyDtoH, ctypes.addressof(value), pointer, 4)
        if not value.value:
            return 0
        attribute = d.CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
        try:
            driver.call(d.cuFuncSetAttribute, self.handle, attribute, value.value)
        except EnigmaError:
            arrays = getattr(kernel, "threadgroup_memory_bytes", 0)
            raise LaunchError(
                f"kernel `{kernel.kernel_name}` needs {value.value} bytes of shared memory per"
                f" block for its threadgroup matrix products, plus {arrays} for its threadgroup"
                " arrays; this GPU allows less",
                hint="use threadgroup matrices with fewer columns (cols=128 or 64) or smaller"
                " threadgroup arrays",
            ) from None
        symbol = tensor_map.TEMPLATE_SYMBOL.encode()
        pointer, _ = driver.call(d.cuModuleGetGlobal, self.module, symbol)
        host = ctypes.create_string_buffer(tensor_map.template(), tensor_map.MAP_BYTES)
        driver.call(d.cuMemcpyHtoD, pointer, ctypes.addressof(host), tensor_map.MAP_BYTES)
        return value.value

    def dims(self, grid: tuple, threads: tuple) -> tuple:
        """cuLaunchKernel's block counts, block sizes and dynamic shared bytes."""
        return (*blocks(grid, threads), *threads, self.shared_bytes)


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
        # ids of the host arrays the kernel writes, marked newer on the device per dispatch
        self._written = tuple(mirror.ids(host_written))
        self._newer_on_device = mirror.newer_on_device
        self._arguments = KernelArguments(bound.params, scalars, pointers)
        self._events = None
        if self._checked is not None:
            runtime.check_threads(kernel, function, *self._checked)
        # What each dispatch needs, built once per launch shape and stream.
        self._launch_key, self._call = None, None
        self._quick = None  # the call for the prepared shape on the default stream

    def dispatch(self, grid=None, threads=None, stream=None) -> None:
        """Enqueue one run (default: the grid and threads given to `prepare`)."""
        quick = self._quick
        if quick is not None and grid is None and threads is None and stream is None:
            status = quick()  # the hot path: one ctypes call into libcuda
            if status:
                driver.check_launch(status, self.kernel.kernel_name)
            if self._written:
                self._newer_on_device.update(self._written)
            return
        self._launch(*self._shape(grid, threads), driver.stream_handle(stream))

    def _dispatch(self, grid, threads, stream: int = 0) -> None:
        self._launch(grid, threads, stream)
        self._runtime.gpu.synchronize()

    def _launch(self, grid, threads, stream: int) -> None:
        """The one driver call of a dispatch; its arguments are rebuilt only when the
        shape or the stream changes (0 bytes of dynamic shared memory: threadgroup
        arrays are static __shared__)."""
        if (grid, threads, stream) != self._launch_key:
            if (grid, threads) != self._checked:
                self._runtime.check_threads(self.kernel, self._function, grid, threads)
            self._arguments.set_grid(grid)
            dims = self._function.dims(grid, threads)
            address = self._arguments.address
            self._call = driver.launcher(self._function.handle, dims, stream, address)
            self._launch_key = (grid, threads, stream)
            self._quick = self._call if (grid, threads) == self._checked and not stream else None
        driver.check_launch(self._call(), self.kernel.kernel_name)
        if self._written:
            self._newer_on_device.update(self._written)

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
        self._quick = self._call = self._launch_key = None
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
        # sm_90a: Hopper's wgmma and TMA (threadgroup matrices); its cubins run on sm_90 only.
        self.arch = "sm_{}{}".format(*self.gpu.capability)
        if self.gpu.capability == (9, 0):
            self.arch += "a"
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
        ptx_arch = "compute_90a" if self.arch == "sm_90a" else "compute_90"
        return nvrtc.compile_cuda(source, name=name, arch=ptx_arch, defines=defines)

    def check_threads(self, kernel: KernelLike, function: CudaFunction, grid, threads) -> None:
        check_simdgroup_shape(kernel, grid, threads)
        check_required_threads(kernel, grid, threads)
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
            refuse_shape(compiled, grid, threads)
            self._program_plan(compiled, constants).run(arrays, current_stream(arrays))
            return
        specialization = check_constants(compiled, constants)
        if self._direct_call(compiled, specialization, arrays, grid, threads):
            return
        bound, device_pointers = bind_device_direct(compiled, arrays)
        grid, threads = launch_shape(compiled, grid, threads)
        function = self.function(compiled, specialization)
        prepared = CudaPreparedKernel(
            self, compiled, bound, grid, threads, function, DeviceMirror(self.gpu),
            device_pointers=device_pointers,
        )  # fmt: skip
        stream = current_stream(arrays)
        if len(device_pointers) == sum(p.is_buffer for p in bound.params):
            # Device arrays only: enqueued on their stream, not waited for (as torch does).
            prepared._launch(grid, threads, stream)
            return
        try:
            if stream:  # numpy uploads ran on the legacy stream, which a torch stream may
                self.gpu.synchronize()  # not wait for (non-blocking): they finish first
            prepared._dispatch(grid, threads, stream)
            prepared._to_host([bound.values[i] for i in bound.outputs])
        finally:
            prepared.release()

    def _direct_call(self, kernel, specialization, arrays, grid, threads) -> bool:
        """A call on device arrays through this thread's cached DirectPlan of the kernel and
        shape; False where the plan declines (numpy arrays, a failed check: the full path
        then copies or says what is wrong)."""
        plans = getattr(self._scope, "plans", None)
        if plans is None:
            plans = self._scope.plans = {}
        try:
            key = (kernel, specialization, grid, threads)
            plan = plans.get(key)
        except TypeError:  # an unhashable grid (a list): no cache
            return False
        if plan is None:
            shape = launch_shape(kernel, grid, threads)
            self.gpu.make_current()
            if len(plans) >= MAX_PLANS:  # e.g. a grid that changes every call: start over
                plans.clear()
            plan = plans[key] = DirectPlan(self, kernel, specialization, *shape)
        return plan.try_launch(arrays, current_stream(arrays))

    def _program_plan(self, program, constants) -> ProgramPlan:
        """This thread's ProgramPlan of `program` with these constants (built on a miss)."""
        plans = getattr(self._scope, "program_plans", None)
        if plans is None:
            plans = self._scope.program_plans = {}
        try:
            key = (program, tuple(sorted((constants or {}).items())))
            plan = plans.get(key)
        except TypeError:  # an unhashable constant value: no cache
            key, plan = None, None
        if plan is None:
            self.gpu.make_current()
            plan = ProgramPlan(self, program, constants)
            if key is not None:
                if len(plans) >= MAX_PLANS:
                    plans.clear()
                plans[key] = plan
        return plan

    def prepare_bound(self, kernel, bound: Bound, grid, threads, specialization=()):
        mirror = getattr(self._scope, "mirror", None) or DeviceMirror(self.gpu)
        function = self.function(kernel, specialization)
        return CudaPreparedKernel(self, kernel, bound, grid, threads, function, mirror)

    @contextmanager
    def _program_scope(self):
        """While a program is prepared, its launches share one mirror of its arrays."""
        mirror = DeviceMirror(self.gpu)
        self._scope.mirror = mirror
        try:
            yield
        except BaseException:
            mirror.release()
            raise
        finally:
            self._scope.mirror = None


def check_simdgroup_shape(kernel: KernelLike, grid, threads) -> None:
    """Refuse a launch whose partial last threadgroup CUDA splits into warps unlike Metal.

    Metal numbers a partial threadgroup's threads over its own (smaller) extents and
    forms SIMD-groups from that numbering; a CUDA block keeps its full extents, so where
    a row (x) or a plane (x * y) is cut short and more rows or planes follow, other
    threads share a warp than share a SIMD-group on Metal. Only kernels whose results
    depend on that grouping (reductions, shuffles, simdgroup matrices) are refused."""
    if not getattr(kernel, "uses_simdgroups", False):
        return
    (gx, gy, _), (tx, ty, tz) = grid, threads
    cut = [axis for axis, g, t, after in (("x", gx, tx, ty * tz), ("y", gy, ty, tz))
           if g % t and after > 1]  # fmt: skip
    if cut:
        axis = cut[0]
        raise LaunchError(
            f"grid={tuple(grid)} with threads={tuple(threads)} leaves a partial threadgroup"
            f" in {axis} followed by more threads of the same threadgroup; kernel"
            f" `{kernel.kernel_name}` uses SIMD-group functions, and CUDA's warps would"
            " group those threads differently from Metal's SIMD-groups",
            hint=f"round grid {axis} up to a multiple of threads {axis} and mask the extra"
            " threads in the kernel, or use a one-dimensional threadgroup",
        )


def current_stream(arrays) -> int:
    """The stream a direct call on device arrays runs on: torch's or cupy's current stream
    when such an array is an argument (so the launch is ordered with their work), else the
    legacy default stream."""
    for value in arrays:
        module = type(value).__module__.split(".")[0]
        if module == "torch" and getattr(value, "is_cuda", False):
            import torch

            raw = getattr(torch._C, "_cuda_getCurrentRawStream", None)  # no Stream object
            if raw is not None:
                return int(raw(value.get_device()))
            return int(torch.cuda.current_stream(value.device).cuda_stream)
        if module == "cupy":
            import cupy

            return int(cupy.cuda.get_current_stream().ptr)
    return 0


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
