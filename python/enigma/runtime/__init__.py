"""Devices that run compiled kernels (SPEC §4 Running).

`runtime(device)` returns the `Runtime` of a device ("cpu", "metal", "cuda");
`launch` is what `CompiledKernel.__call__` uses. The cpu device runs the
emitted MSL unmodified on the host (runtime/cpu); the metal device needs a
Mac and libEnigmaRuntime (runtime/metal/, docs/metal-runtime.md); the cuda
device runs the kernel's CUDA C++ on an NVIDIA GPU (runtime/cuda/, docs/cuda.md).

>>> rt = enigma.runtime("cpu")
>>> out = rt.execute(ck, [a, b], output_size=a.nbytes, grid=(n, 1, 1), threads=(256, 1, 1))
"""

from __future__ import annotations

from ..errors import EnigmaError
from .arguments import KernelLike
from .base import PreparedKernel, Runtime
from .cpu import CpuRuntime
from .cuda import CudaRuntime
from .metal import MetalRuntime

DEVICES = ("cpu", "metal", "cuda")
_RUNTIMES = {"cpu": CpuRuntime, "metal": MetalRuntime, "cuda": CudaRuntime}
_runtimes: dict[str, Runtime] = {}


def default_device() -> str:
    """The best device present: metal where it can run, else cuda (an NVIDIA GPU with
    cuda-bindings), else cpu."""
    from . import cuda, metal

    if metal.is_available():
        return "metal"
    return "cuda" if cuda.is_available() else "cpu"


def runtime(device: str | None = None) -> Runtime:
    """The runtime of `device` (default: the best one present), shared per process.

    >>> enigma.runtime("cpu").device
    'cpu'
    """
    device = device or default_device()
    if device not in DEVICES:
        raise EnigmaError(
            f"unknown device {device!r}", hint=f"use one of {', '.join(map(repr, DEVICES))}"
        )
    if device not in _runtimes:
        _runtimes[device] = _RUNTIMES[device]()
    return _runtimes[device]


def launch(
    compiled: KernelLike, arrays, grid, threads, device: str | None = None, constants=None
) -> None:
    """Run `compiled` with one argument per parameter; outputs are written in place.

    >>> launch(ck, (a, b, c), grid=(n, 1, 1), threads=(256, 1, 1), device="cpu")
    """
    runtime(device).launch(compiled, arrays, grid, threads, constants=constants)


__all__ = [
    "CpuRuntime",
    "CudaRuntime",
    "KernelLike",
    "MetalRuntime",
    "PreparedKernel",
    "Runtime",
    "launch",
    "runtime",
]
