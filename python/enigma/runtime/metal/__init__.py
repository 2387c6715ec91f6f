"""The `metal` device: kernels on an Apple GPU through libEnigmaRuntime (swift/EnigmaRuntime).

library.py   finding libEnigmaRuntime and declaring its C ABI for ctypes
handles.py   Python owners of its device, library, pipeline and buffer handles
prepared.py  MetalPreparedKernel and the device buffers mirroring host arrays
runtime.py   MetalRuntime: binding, validation, caches, dispatch; the test device

Off macOS, `MetalRuntime()` is an `EnigmaError` pointing at the `cpu` device,
which runs the very same MSL (docs/metal-runtime.md has the test device that
lets this code run on Linux).
"""

from .prepared import MetalPreparedKernel
from .runtime import MetalRuntime, is_available

__all__ = ["MetalPreparedKernel", "MetalRuntime", "is_available"]
