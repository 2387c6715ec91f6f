"""The `cuda` device: kernels' CUDA C++ (cpp/cuda_emitter) on an NVIDIA GPU (docs/cuda.md).

driver.py    cuda-bindings (either import path), device 0, its primary context, memory
marshal.py   the launch ABI as pure functions: blocks, kernelParams, device arrays, -D constants
runtime.py   CudaRuntime and CudaPreparedKernel: NVRTC compile, module cache, mirrors, launch

Without a GPU or cuda-bindings, `CudaRuntime()` is an EnigmaError pointing at the
`cpu` device.
"""

import functools

from .runtime import CudaPreparedKernel, CudaRuntime


@functools.cache
def is_available() -> bool:
    """Whether a CUDA GPU and cuda-bindings are present (initializes the driver once)."""
    from ...errors import EnigmaError
    from .driver import Device

    try:
        Device()
    except EnigmaError:
        return False
    return True


__all__ = ["CudaPreparedKernel", "CudaRuntime", "is_available"]
