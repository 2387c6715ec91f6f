"""Python owners of libEnigmaRuntime's handles: device, library, pipeline, buffer.

Each object holds one C handle and releases it exactly once: by `release()`, or
when the object is collected (a `weakref.finalize`, which also runs at exit in
reverse order of creation). A child keeps its parent alive (a pipeline its
library, a library or buffer its device), so a handle is never released while
something made from it can still be used. Every call that fails raises an
`EnigmaError` carrying the library's message; the callers add the kernel name.

`TransferStats` counts what crosses between host and device per device: tests
use it to show that a prepared kernel's hot loop uploads nothing, and it tells a
user where the time of a slow loop goes.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from ...errors import EnigmaError
from .library import EnigmaRtConstant, failure, read_json, runtime_library


@dataclass
class TransferStats:
    """Host <-> device traffic and objects built on one device, since it was created."""

    uploads: int = 0
    upload_bytes: int = 0
    downloads: int = 0
    download_bytes: int = 0
    libraries: int = 0  # libraries loaded (each kernel's MSL, metallib or cpu object)
    pipelines: int = 0  # pipelines created (one per kernel and specialization)


class _Handle:
    """A C handle released once, explicitly or when collected."""

    _release_name = ""

    def __init__(self, handle: int | None, what: str, hint: str):
        if not handle:
            raise failure(what, hint)
        self.handle = handle
        release = getattr(runtime_library(), self._release_name)
        self._finalizer = weakref.finalize(self, release, handle)

    @property
    def alive(self) -> bool:
        return self._finalizer.alive

    def release(self) -> None:
        """Release the handle now (idempotent)."""
        self._finalizer()

    def _check_alive(self) -> None:
        # A released handle is a dangling pointer on the Swift side: never pass it on.
        if not self.alive:
            raise EnigmaError(
                f"this {type(self).__name__.lower()} of libEnigmaRuntime was released",
                hint="create it again",
            )


class Device(_Handle):
    """An MTLDevice ("metal") or the test device ("test", runs cpu-device kernel objects)."""

    _release_name = "enigma_rt_device_release"

    def __init__(self, kind: str, config: str | None = None):
        lib = runtime_library()
        handle = lib.enigma_rt_device_create(kind.encode(), config.encode() if config else None)
        super().__init__(
            handle,
            f"cannot open the {kind} device of libEnigmaRuntime",
            'run the kernels on the CPU instead: enigma.runtime("cpu")',
        )
        self.kind = kind
        self.stats = TransferStats()
        self.capabilities = read_json(
            lib.enigma_rt_device_capabilities,
            handle,
            f"cannot read the capabilities of the {kind} device",
            "this is a bug in libEnigmaRuntime: report it",
        )

    def library_from_file(self, path: str) -> Library:
        handle = runtime_library().enigma_rt_library_from_file(self.handle, str(path).encode())
        return Library(self, handle, f"cannot load the kernel library {path}")

    def library_from_bytes(self, data: bytes) -> Library:
        handle = runtime_library().enigma_rt_library_from_bytes(self.handle, data, len(data))
        return Library(self, handle, f"cannot load a kernel library of {len(data)} bytes")

    def library_from_source(self, msl: str) -> Library:
        handle = runtime_library().enigma_rt_library_from_source(self.handle, msl.encode())
        return Library(self, handle, "the Metal compiler in the runtime rejected the MSL")

    def buffer(self, nbytes: int) -> Buffer:
        """A zero-filled shared buffer of `nbytes` (at least 1: Metal has no empty buffers)."""
        length = max(1, nbytes)
        handle = runtime_library().enigma_rt_buffer_create(self.handle, length)
        return Buffer(self, handle, length, f"cannot allocate a device buffer of {length} bytes")

    def wrap(self, address: int, nbytes: int) -> Buffer:
        """A buffer over host memory without a copy (page-aligned address and length)."""
        handle = runtime_library().enigma_rt_buffer_wrap(self.handle, address, nbytes)
        return Buffer(self, handle, nbytes, f"cannot wrap {nbytes} bytes of host memory")


class Library(_Handle):
    """A loaded kernel library (.metallib, MSL compiled in process, or a cpu object)."""

    _release_name = "enigma_rt_library_release"

    def __init__(self, device: Device, handle: int | None, what: str):
        super().__init__(handle, what, _LIBRARY_HINT[device.kind])
        self.device = device
        device.stats.libraries += 1

    def pipeline(self, function: str, constants: tuple = ()) -> Pipeline:
        """The compute pipeline of `function` specialized for `constants`
        ((index, dtype code, bits), ...)."""
        array = (EnigmaRtConstant * max(1, len(constants)))(*constants)
        handle = runtime_library().enigma_rt_pipeline_create(
            self.handle, function.encode(), array, len(constants)
        )
        return Pipeline(self, handle, function)


_LIBRARY_HINT = {
    "metal": "Enigma's MSL should always load: report it with compiled.metal_source, and run"
    ' the kernel with device="cpu" meanwhile',
    "test": "the test device takes cpu-device kernel objects (enigma.runtime.cpu.build)",
}


class Pipeline(_Handle):
    """A compute pipeline: one kernel function of a library, ready to dispatch."""

    _release_name = "enigma_rt_pipeline_release"

    def __init__(self, library: Library, handle: int | None, function: str):
        super().__init__(
            handle,
            f"cannot create the pipeline of function `{function}`",
            "check that the library holds this kernel and that every function constant"
            " has a value of its type",
        )
        self.library = library
        self.function = function
        library.device.stats.pipelines += 1
        self.info = read_json(
            runtime_library().enigma_rt_pipeline_info,
            handle,
            f"cannot read the limits of pipeline `{function}`",
            "this is a bug in libEnigmaRuntime: report it",
        )


class Buffer(_Handle):
    """Device memory visible to the CPU (shared storage), `length` bytes."""

    _release_name = "enigma_rt_buffer_release"

    def __init__(self, device: Device, handle: int | None, length: int, what: str):
        hint = "free buffers of kernels you no longer dispatch (PreparedKernel.release())"
        if "wrap" in what:
            hint = "give page-aligned host memory whose length is a multiple of the page size"
        super().__init__(handle, what, hint)
        self.device = device
        self.length = length

    def upload(self, array: np.ndarray, offset: int = 0) -> None:
        """Copy a C-contiguous host array's bytes into the buffer at `offset`."""
        self._check_alive()
        nbytes = array.nbytes
        code = runtime_library().enigma_rt_buffer_upload(
            self.handle, offset, array.ctypes.data, nbytes
        )
        if code:
            raise failure(f"uploading {nbytes} bytes at offset {offset} failed", _RANGE_HINT)
        self.device.stats.uploads += 1
        self.device.stats.upload_bytes += nbytes

    def download_into(self, array: np.ndarray, offset: int = 0) -> None:
        """Fill a writable C-contiguous host array from the buffer at `offset`."""
        self._check_alive()
        nbytes = array.nbytes
        code = runtime_library().enigma_rt_buffer_download(
            self.handle, offset, array.ctypes.data, nbytes
        )
        if code:
            raise failure(f"downloading {nbytes} bytes at offset {offset} failed", _RANGE_HINT)
        self.device.stats.downloads += 1
        self.device.stats.download_bytes += nbytes

    def device_length(self) -> int:
        """The length libEnigmaRuntime reports for the buffer."""
        return runtime_library().enigma_rt_buffer_length(self.handle)


_RANGE_HINT = "keep offset + length within the buffer's length"
