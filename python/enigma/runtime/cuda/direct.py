"""The direct call on device arrays, `compiled(*tensors, grid=..., threads=..., device="cuda")`,
with as little host work per call as its checks allow.

A `DirectPlan` is what one kernel, one set of function-constant values and one
launch shape need: the loaded function, the checked block counts and the
kernelParams storage. The runtime keeps plans per thread (a call fills the
storage, then launches, and cuLaunchKernel copies it, so a thread's next call
may refill it). A call checks each argument on a fast path: a torch CUDA
tensor by its dtype, device, contiguity and address alignment, read from the
tensor's attributes (torch's `__cuda_array_interface__` builds a dict per
access, which costs more than the launch); a cupy array through its array
interface; a Python number for a Scalar. Anything else (numpy arrays, a wrong
dtype, a non-contiguous view) makes the plan decline, and the runtime's full
path runs instead, which copies numpy arrays or raises the LaunchError that says
what is wrong.
"""

from __future__ import annotations

import sys

import numpy as np

from ..arguments import KernelLike, check_scalar, kernel_params
from . import driver
from .marshal import KernelArguments, device_array, required_alignment

# The torch dtype of each Enigma scalar type a buffer may hold, by torch's name.
TORCH_NAMES = {
    "float": "torch.float32",
    "half": "torch.float16",
    "bfloat": "torch.bfloat16",
    "char": "torch.int8",
    "uchar": "torch.uint8",
    "short": "torch.int16",
    "ushort": "torch.uint16",
    "int": "torch.int32",
    "uint": "torch.uint32",
    "long": "torch.int64",
    "ulong": "torch.uint64",
    "bool": "torch.bool",
}


class DirectPlan:
    """One kernel's launch on one shape, reused by every direct call that matches it."""

    def __init__(self, runtime, kernel: KernelLike, specialization, grid, threads):
        self.kernel = kernel
        self.params = kernel_params(kernel)
        function = runtime.function(kernel, specialization)
        runtime.check_threads(kernel, function, grid, threads)
        scalars = {  # placeholders of each Scalar's type, overwritten by every call
            i: check_scalar(kernel, p, 0 if p.dtype.lanes == 1 else (0,) * p.dtype.lanes)
            for i, p in enumerate(self.params)
            if not p.is_buffer
        }
        pointers = {i: 0 for i, p in enumerate(self.params) if p.is_buffer}
        self.arguments = KernelArguments(self.params, scalars, pointers)
        self.arguments.set_grid(grid)
        dims = function.dims(grid, threads)
        address = self.arguments.address
        self._launches = driver.StreamLaunches(function.handle, dims, address, kernel.kernel_name)
        self._torch_dtypes: dict[str, object] = {}  # torch dtype name -> torch.dtype
        self._checks = [
            (i, p, TORCH_NAMES.get(p.dtype.scalar.name), required_alignment(p))
            for i, p in enumerate(self.params)
        ]

    def try_launch(self, arrays, stream: int) -> bool:
        """Launch with `arrays` if every argument passes the fast checks; False (nothing
        done) if one does not."""
        if len(arrays) != len(self.params):
            return False
        arguments = self.arguments
        for (i, param, torch_name, alignment), value in zip(self._checks, arrays, strict=True):
            if not param.is_buffer:  # check_scalar's LaunchError is the full path's too
                arguments.set_scalar(i, check_scalar(self.kernel, param, value))
                continue
            pointer = torch_pointer(value, torch_name, self._torch_dtypes)
            if pointer is None:
                if not hasattr(value, "__cuda_array_interface__") or type(value) is np.ndarray:
                    return False
                try:
                    pointer, _ = device_array(self.kernel, param, value)
                except Exception:  # the full path raises it with its message
                    return False
            if pointer % alignment:
                return False
            arguments.set_pointer(i, pointer)
        self._launches.run(stream)
        return True


def torch_pointer(value, torch_name: str | None, dtypes: dict) -> int | None:
    """The data pointer of a contiguous torch tensor of dtype `torch_name` on GPU 0, or
    None for anything else (another array type, dtype, device or layout). `dtypes`
    caches the torch.dtype objects by name."""
    torch = sys.modules.get("torch")
    if torch is None or torch_name is None or not isinstance(value, torch.Tensor):
        return None
    want = dtypes.get(torch_name)
    if want is None:
        want = dtypes[torch_name] = getattr(torch, torch_name.removeprefix("torch."), None)
    if value.dtype is not want or value.get_device() != 0 or not value.is_contiguous():
        return None
    return value.data_ptr()
