"""The `cpu` device: Enigma's MSL compiled by clang against a host metal_stdlib.

include/     the host `metal_stdlib` and enigma_host/ headers the MSL compiles against
launcher.py  the generated C++ entry that calls the kernel for each GPU thread
build.py     clang invocation and the on-disk object cache
library.py   libenigma_cpu (thread pool + fibers) through ctypes
runtime.py   CpuRuntime: binding, validation, dispatch
"""

from .runtime import CpuKernel, CpuPreparedKernel, CpuRuntime, load_kernel

__all__ = ["CpuKernel", "CpuPreparedKernel", "CpuRuntime", "load_kernel"]
