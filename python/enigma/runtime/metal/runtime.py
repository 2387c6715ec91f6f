"""`MetalRuntime`: compiled kernels on a Metal GPU through libEnigmaRuntime.

Arguments are bound and checked by the shared code (binding.py, arguments.py,
function_constants.py) before the device is touched; then a kernel becomes a
library and a pipeline, both cached per runtime by the kernel's identity (its
name and MSL) and its function constants' values, and its arrays become device
buffers (prepared.py). On a Mac the library is the CompiledKernel's metallib
when the Metal toolchain built one, else its MSL compiled in process
(`makeLibrary(source:options:)`, for Macs without the full Xcode).

The test device: libEnigmaRuntime also has a device that runs cpu-device kernel
objects through libenigma_cpu, so the whole of this file runs on Linux through
the real library. It is not a public device: `MetalRuntime._for_testing()`, or
`MetalRuntime()` with ENIGMA_METAL_TEST_DEVICE=1 where no Metal GPU exists (which
routes `enigma.runtime("metal")` and `compiled(..., device="metal")` to it).
There a kernel's "library" is its cpu-device object, built per specialization.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
import threading
from contextlib import contextmanager

from ...errors import EnigmaError, LaunchError
from ..arguments import KernelLike
from ..base import PreparedKernel, Runtime, launch_shape
from ..binding import Bound, bind_direct, bind_execute
from ..function_constants import Specialization, check_constants
from ..program import is_program, launch_program, prepare_program
from .handles import Device, Library, Pipeline, TransferStats
from .library import DTYPE_CODES, Dims, failure, runtime_library
from .prepared import DeviceMirror, MetalPreparedKernel, as_host_array

_USE_CPU = 'run the same kernels on the CPU with enigma.runtime("cpu"), or pass device="cpu"'


def _open_device() -> Device:
    """The system's Metal device, the test device when asked for off macOS, else an error."""
    if sys.platform != "darwin":
        if os.environ.get("ENIGMA_METAL_TEST_DEVICE") == "1":
            return _test_device()
        raise EnigmaError(
            "the metal device is not available: this machine is not a Mac",
            hint=_USE_CPU + " when calling a compiled kernel",
        )
    try:
        return Device("metal")
    except EnigmaError as e:
        raise EnigmaError(
            f"the metal device is not available: {e.message}",
            hint=f"{e.hint}; meanwhile {_USE_CPU}",
        ) from None


def _test_device() -> Device:
    from ..cpu import library as cpu_library

    # Kernel objects leave libenigma_cpu's barrier symbols undefined: load it globally
    # first, as the cpu device does, whatever way the test device opens it.
    cpu_library.runtime_library()
    return Device("test", str(cpu_library.library_path()))


@functools.cache
def is_available() -> bool:
    """Whether this process can run kernels on a real Metal GPU (never the test device)."""
    if sys.platform != "darwin":
        return False
    try:
        Device("metal").release()
    except EnigmaError:
        return False
    return True


class MetalRuntime(Runtime):
    """Runs kernels on the Metal GPU of a Mac (SPEC §4 Running).

    >>> rt = enigma.MetalRuntime()  # off macOS: EnigmaError naming enigma.runtime("cpu")
    >>> out = rt.execute(ck, [a, b], a.nbytes, grid=(n,), threads=(256,))
    """

    device = "metal"

    def __init__(self):
        self._attach(_open_device())

    @classmethod
    def _for_testing(cls) -> MetalRuntime:
        """A runtime on libEnigmaRuntime's test device (Linux tests; not a public device)."""
        runtime = cls.__new__(cls)
        runtime._attach(_test_device())
        return runtime

    def _attach(self, device: Device) -> None:
        self._device = device
        self.kind = device.kind  # "metal", or "test"
        self._lock = threading.Lock()
        self._libraries: dict[tuple, Library] = {}
        self._pipelines: dict[tuple, Pipeline] = {}
        self._scope = threading.local()  # the buffers an @enigma.jit program's launches share

    def device_capabilities(self) -> dict:
        """What the device offers: name, gpu_family, simdgroup_size, max_threads_per_threadgroup,
        max_threadgroup_memory_bytes, supports_async_copy, unified_memory.

        >>> enigma.MetalRuntime().device_capabilities()["gpu_family"]
        'apple9'
        """
        return dict(self._device.capabilities)

    @property
    def stats(self) -> TransferStats:
        """Uploads, downloads, libraries and pipelines of this runtime's device so far."""
        return self._device.stats

    # --- the Runtime interface --------------------------------------------------------------

    def prepare(
        self,
        compiled: KernelLike,
        inputs,
        output_size=None,
        grid=None,
        threads=None,
        *,
        scalars=None,
        output_sizes=None,
        constants=None,
    ) -> PreparedKernel:
        inputs = [as_host_array(value) for value in inputs]
        if is_program(compiled):
            with self._program_scope():
                return prepare_program(
                    self,
                    compiled,
                    inputs,
                    output_size,
                    grid,
                    threads,
                    scalars=scalars,
                    output_sizes=output_sizes,
                    constants=constants,
                )
        specialization = check_constants(compiled, constants)
        self._check_supported(compiled)
        bound = bind_execute(
            compiled, inputs, output_size, scalars=scalars, output_sizes=output_sizes
        )
        mirror = DeviceMirror(self._device)
        return self._prepared(compiled, bound, grid, threads, specialization, mirror, True)

    def launch(self, compiled: KernelLike, arrays, grid, threads, constants=None) -> None:
        if is_program(compiled):
            with self._program_scope(wrap=True) as mirror:
                launch_program(self, compiled, arrays, grid, threads, constants)
                mirror.to_host(arrays)
            return
        specialization = check_constants(compiled, constants)
        self._check_supported(compiled)
        bound = bind_direct(compiled, arrays)
        grid, threads = launch_shape(compiled, grid, threads)
        mirror = DeviceMirror(self._device, wrap=True)
        prepared = self._prepared(compiled, bound, grid, threads, specialization, mirror)
        try:
            prepared.dispatch()
            prepared._to_host([bound.values[i] for i in bound.outputs])
        finally:
            prepared.release()

    def prepare_bound(
        self, kernel: KernelLike, bound: Bound, grid, threads, specialization=()
    ) -> MetalPreparedKernel:
        self._check_supported(kernel)
        mirror = getattr(self._scope, "mirror", None) or DeviceMirror(self._device)
        return self._prepared(kernel, bound, grid, threads, specialization, mirror)

    def _prepared(self, kernel, bound, grid, threads, specialization, mirror, zeroed=False):
        """`zeroed`: the outputs are new zero-filled arrays (bind_execute), which new device
        buffers already equal, so they are not uploaded."""
        pipeline = self.pipeline(kernel, specialization)
        if grid is not None and threads is not None:  # refused before any buffer is made
            self._check_threads(kernel, pipeline, launch_shape(kernel, grid, threads)[1])
        return MetalPreparedKernel(self, kernel, bound, grid, threads, pipeline, mirror, zeroed)

    @contextmanager
    def _program_scope(self, wrap: bool = False):
        """While a program is bound, its launches share one mirror of its arrays."""
        mirror = DeviceMirror(self._device, wrap=wrap)
        self._scope.mirror = mirror
        try:
            yield mirror
        except BaseException:
            mirror.release()
            raise
        finally:
            self._scope.mirror = None
        if wrap:  # a direct call: nothing outlives it
            mirror.release()

    # --- libraries and pipelines ------------------------------------------------------------

    def pipeline(self, kernel: KernelLike, specialization: Specialization = ()) -> Pipeline:
        """The cached pipeline of `kernel` for its function constants' values, built (with its
        library) on first use and checked against the device's threadgroup memory."""
        key = (kernel.kernel_name, kernel.metal_source, specialization)
        with self._lock:
            pipeline = self._pipelines.get(key)
            if pipeline is None:
                self._check_threadgroup_memory(kernel, 0)
                library = self._library(kernel, specialization)
                constants = tuple((i, DTYPE_CODES[t], bits) for i, t, bits in specialization)
                try:
                    pipeline = library.pipeline(kernel.kernel_name, constants)
                except EnigmaError as e:
                    raise self._about(kernel, e) from None
                static = int(pipeline.info.get("static_threadgroup_memory_bytes", 0))
                self._check_threadgroup_memory(kernel, static)
                self._pipelines[key] = pipeline
            return pipeline

    def _library(self, kernel: KernelLike, specialization: Specialization) -> Library:
        # Metal specializes a library's function when making the pipeline; a cpu-device
        # object has the constants compiled in, so the test device needs one per specialization.
        key = (
            kernel.kernel_name,
            kernel.metal_source,
            specialization if self.kind == "test" else (),
        )
        library = self._libraries.get(key)
        if library is None:
            try:
                library = self._load_library(kernel, specialization)
            except EnigmaError as e:
                raise self._about(kernel, e) from None
            self._libraries[key] = library
        return library

    def _load_library(self, kernel: KernelLike, specialization: Specialization) -> Library:
        if self.kind == "test":
            from ..cpu.build import build_object

            path, _ = build_object(kernel, specialization)
            return self._device.library_from_file(str(path))
        metallib = getattr(kernel, "metallib_bytes", None)
        if metallib:
            return self._device.library_from_bytes(metallib)
        return self._device.library_from_source(kernel.metal_source)

    # --- checks and dispatch ----------------------------------------------------------------

    def _about(self, kernel: KernelLike, error: EnigmaError) -> EnigmaError:
        return type(error)(
            f"kernel `{kernel.kernel_name}` on the {self.kind} device: {error.message}",
            hint=error.hint,
        )

    def _check_supported(self, kernel: KernelLike) -> None:
        if self.kind == "test":  # cpu-device objects: the cpu device's limits apply
            from ..cpu.runtime import _check_supported

            _check_supported(kernel)

    def _check_threadgroup_memory(self, kernel: KernelLike, static_bytes: int) -> None:
        limit = int(self._device.capabilities["max_threadgroup_memory_bytes"])
        used = max(int(getattr(kernel, "threadgroup_memory_bytes", 0) or 0), static_bytes)
        if used > limit:
            raise LaunchError(
                f"kernel `{kernel.kernel_name}` uses {used} bytes of threadgroup memory; the"
                f" {self.kind} device ({self._device.capabilities.get('name', '?')}) has {limit}",
                hint="allocate less with threadgroup_alloc (smaller tiles), or split the kernel",
            )

    def _check_threads(self, kernel: KernelLike, pipeline: Pipeline, threads: tuple) -> None:
        total = threads[0] * threads[1] * threads[2]
        device_limit = int(self._device.capabilities["max_threads_per_threadgroup"])
        pipeline_limit = int(pipeline.info["max_total_threads_per_threadgroup"])
        limit = min(device_limit, pipeline_limit)
        if total > limit:
            width = int(pipeline.info.get("thread_execution_width", 32)) or 32
            suggested = max(width, limit // width * width)
            which = "this kernel's pipeline" if pipeline_limit < device_limit else "the device"
            raise LaunchError(
                f"threads={threads} for kernel `{kernel.kernel_name}` is {total} threads per"
                f" threadgroup; on the {self.kind} device {which} allows at most {limit}",
                hint=f"use a smaller threadgroup, e.g. threads=({suggested}, 1, 1)",
            )

    def _dispatch(self, kernel, pipeline: Pipeline, args, count: int, grid, threads) -> float:
        """Run `pipeline` once and wait; returns the GPU time in microseconds."""
        self._check_threads(kernel, pipeline, threads)
        micros = ctypes.c_double(0.0)
        code = runtime_library().enigma_rt_dispatch(
            pipeline.handle, args, count, Dims(*grid), Dims(*threads), ctypes.byref(micros)
        )
        if code:
            raise failure(
                f"running kernel `{kernel.kernel_name}` on the {self.kind} device failed",
                "check the kernel's indexing against the buffers' sizes; if the arguments are"
                " right, report it with compiled.metal_source",
            )
        return micros.value
