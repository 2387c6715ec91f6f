"""The CUDA driver API through `cuda-bindings`: one device, its primary context, memory.

`cuda-bindings` is imported as `cuda.bindings.driver` (12.6 and later) or, for
older releases, `cuda.cuda`; both expose the same functions, each returning a
tuple whose first element is a `CUresult`. Every call goes through `call`, which
raises an EnigmaError with the driver's own error string.

The device's primary context is retained and made current on the calling thread
before every use, so kernels, torch and cupy (which use the primary context too)
share buffers and streams.
"""

from __future__ import annotations

import ctypes
import functools
import threading

from ...errors import EnigmaError

USE_CPU = 'run on the CPU instead with enigma.runtime("cpu"), or pass device="cpu"'


@functools.cache
def bindings():
    """The driver module of cuda-bindings, or an EnigmaError saying how to install it."""
    try:
        from cuda.bindings import driver
    except ImportError:
        try:
            from cuda import cuda as driver
        except ImportError:
            raise EnigmaError(
                "the cuda device needs the `cuda-bindings` package (NVIDIA's driver API"
                " bindings), which is not installed",
                hint=f"pip install cuda-bindings on a machine with an NVIDIA GPU; or {USE_CPU}",
            ) from None
    return driver


def launcher(function, dims: tuple, stream: int, params: int):
    """A callable without arguments that launches `function` on `dims` (3 block counts,
    3 block sizes, the dynamic shared bytes) on `stream` with the kernelParams array at
    address `params`, returning the CUresult as an int (0: success). libcuda's
    cuLaunchKernel is called directly through ctypes where it can be (the hot path of a
    prepared kernel's dispatch: no wrapper objects per call), else through the bindings."""
    raw = _raw_launch()
    handle = _handle_value(function) if raw is not None else None
    if handle is not None:
        # Arguments as ready ctypes values (no argtypes to convert through per call).
        unsigned, pointer = ctypes.c_uint, ctypes.c_void_p
        counts = [unsigned(d) for d in dims]  # blocks, threads, dynamic shared bytes
        return functools.partial(
            raw, pointer(handle), *counts, pointer(stream), pointer(params), pointer()
        )
    launch = bindings().cuLaunchKernel

    def via_bindings() -> int:
        return int(launch(function, *dims, stream, params, 0)[0])

    return via_bindings


def check_launch(status: int, name: str) -> None:
    """Raise the EnigmaError of a launcher's non-zero status for kernel `name`."""
    if status:
        raise_for(bindings().CUresult(status), f"launch of `{name}`")


class StreamLaunches:
    """One kernel's launch on fixed `dims` and kernelParams, on any stream: each stream's
    launcher is built on first use; `run(stream)` is then one call and a status check."""

    def __init__(self, function, dims: tuple, params: int, name: str):
        self._function, self._dims, self._params, self._name = function, dims, params, name
        self._calls: dict[int, object] = {}

    def run(self, stream: int) -> None:
        call = self._calls.get(stream)
        if call is None:
            call = launcher(self._function, self._dims, stream, self._params)
            self._calls[stream] = call
        check_launch(call(), self._name)


@functools.cache
def _raw_launch():
    """libcuda's cuLaunchKernel as a ctypes function, where the bindings in use are
    cuda-bindings themselves (tests substitute a fake) and libcuda loads."""
    if getattr(bindings(), "__name__", "") not in ("cuda.bindings.driver", "cuda.cuda"):
        return None
    try:
        library = ctypes.CDLL("libcuda.so.1")  # this handle's functions are Enigma's own
    except OSError:
        return None
    function = library.cuLaunchKernel
    function.restype = ctypes.c_int
    return function


def _handle_value(handle) -> int | None:
    """The address a cuda-bindings handle (CUfunction) wraps, or None if it has none."""
    try:
        return int(handle)
    except (TypeError, ValueError):
        pass
    try:
        return ctypes.c_void_p.from_address(int(handle.getPtr())).value
    except (AttributeError, TypeError, ValueError):
        return None


def call(function, *args, what: str | None = None):
    """`function(*args)` of the driver; its results after the CUresult (one, a tuple or None)."""
    driver = bindings()
    result = function(*args)
    status, values = result[0], result[1:]
    if status != driver.CUresult.CUDA_SUCCESS:
        raise_for(status, what or function.__name__)
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def raise_for(status, what: str):
    """The EnigmaError of a failed driver call (`what`: the call or the launch)."""
    raise EnigmaError(
        f"CUDA {what} failed: {error_string(status)}",
        hint="check the launch's arguments; a kernel fault leaves the context unusable,"
        " so restart the process after one",
    )


def error_string(status) -> str:
    driver = bindings()
    try:
        err, text = driver.cuGetErrorString(status)
        if err == driver.CUresult.CUDA_SUCCESS and text:
            return f"{text.decode() if isinstance(text, bytes) else text} ({status!r})"
    except Exception:  # an unknown code: the enum name is all there is
        pass
    return repr(status)


class Device:
    """Device 0 and its primary context (retained for the life of the process)."""

    def __init__(self):
        driver = bindings()
        try:
            call(driver.cuInit, 0, what="initialization (cuInit)")
            count = call(driver.cuDeviceGetCount)
        except EnigmaError as e:
            raise EnigmaError(
                f"no usable NVIDIA GPU for the cuda device: {e.message}", hint=USE_CPU
            ) from None
        except Exception as e:  # libcuda.so itself missing: raised by the bindings
            raise EnigmaError(f"no NVIDIA driver for the cuda device ({e})", hint=USE_CPU) from None
        if not count:
            raise EnigmaError("no NVIDIA GPU found for the cuda device", hint=USE_CPU)
        self.handle = call(driver.cuDeviceGet, 0)
        attribute = driver.CUdevice_attribute
        self.capability = tuple(
            int(call(driver.cuDeviceGetAttribute, which, self.handle))
            for which in (
                attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
            )
        )
        name = call(driver.cuDeviceGetName, 64, self.handle)
        self.name = bytes(name).split(b"\0", 1)[0].decode(errors="replace")
        self.context = call(driver.cuDevicePrimaryCtxRetain, self.handle)
        self._current = threading.local()
        self.make_current()

    def make_current(self) -> None:
        """The primary context, current on this thread (once per thread)."""
        if not getattr(self._current, "done", False):
            call(bindings().cuCtxSetCurrent, self.context)
            self._current.done = True

    # --- memory -------------------------------------------------------------------------

    def alloc(self, nbytes: int) -> int:
        self.make_current()
        return int(call(bindings().cuMemAlloc, max(1, int(nbytes)), what="cuMemAlloc"))

    def free(self, pointer: int) -> None:
        call(bindings().cuMemFree, pointer)

    def upload(self, pointer: int, host_address: int, nbytes: int) -> None:
        if nbytes:
            call(bindings().cuMemcpyHtoD, pointer, host_address, nbytes)

    def download(self, host_address: int, pointer: int, nbytes: int) -> None:
        if nbytes:
            call(bindings().cuMemcpyDtoH, host_address, pointer, nbytes)

    def synchronize(self) -> None:
        call(bindings().cuCtxSynchronize)


def stream_handle(stream) -> int:
    """A CUDA stream as the integer the driver takes: None (the default stream), an int,
    a CUstream, or an object with `.cuda_stream` / `.ptr` (torch and cupy streams)."""
    if stream is None:
        return 0
    for attribute in ("cuda_stream", "ptr"):
        if hasattr(stream, attribute):
            return int(getattr(stream, attribute))
    try:
        return int(stream)
    except (TypeError, ValueError):
        raise EnigmaError(
            f"stream={stream!r} is not a CUDA stream",
            hint="pass None, a torch.cuda.Stream, a cupy stream or a CUstream",
        ) from None
