"""What a CUDA launch is made of, as pure functions the tests check without a GPU.

The kernel ABI (docs/cuda.md): parameters in Metal's buffer order (buffers as
device pointers, Scalars by value), then `EnigmaLaunch {uint3 grid}` by value;
the grid counts threads, so CUDA runs `ceil(grid / threads)` blocks per
dimension. `cuLaunchKernel` takes `kernelParams`, an array holding the address of
each argument's storage; `KernelArguments` builds that array once, so a prepared
kernel's dispatch is one driver call.

Device arrays (torch CUDA tensors, cupy, anything with `__cuda_array_interface__`)
are used in place after the same checks numpy arrays get: dtype, contiguity,
writability, the device they live on.
"""

from __future__ import annotations

import ctypes
import math

import numpy as np

from ...errors import LaunchError
from ..arguments import KernelLike, Param
from . import dlpack

_DLPACK_CUDA = 2  # kDLCUDA
# torch dtypes that __cuda_array_interface__ cannot describe (bfloat16), by name.
_TORCH_DTYPES = {"torch.bfloat16": ("bfloat", 2)}


class EnigmaLaunch(ctypes.Structure):
    """The prelude's `struct EnigmaLaunch { uint3 grid; }`, passed by value."""

    _fields_ = [("x", ctypes.c_uint), ("y", ctypes.c_uint), ("z", ctypes.c_uint)]


def blocks(grid: tuple, threads: tuple) -> tuple[int, int, int]:
    """Blocks per dimension for a grid of `grid` threads in blocks of `threads`."""
    return tuple(math.ceil(g / t) for g, t in zip(grid, threads, strict=True))


def constant_defines(specialization) -> dict[str, str]:
    """-D definitions of function constants' values, exact to the bit: the emitted
    `#define fcN ((T)(ENIGMA_FUNCTION_CONSTANT_N))` casts the literal to the constant's type."""
    defines = {}
    for index, type_name, bits in specialization:
        defines[f"ENIGMA_FUNCTION_CONSTANT_{index}"] = _literal(type_name, bits)
    return defines


def _literal(type_name: str, bits: int) -> str:
    from ...dtypes import dtype

    t = dtype(type_name)
    if t.is_bool:
        return "1" if bits else "0"
    if t.is_int:
        signed = np.dtype(t.numpy).kind == "i"
        value = bits - (1 << t.bits) if signed and bits >> (t.bits - 1) else bits
        return f"{value}LL" if signed else f"{value}ULL"
    # float, half or bfloat: all exactly representable as a float.
    if t.name == "bfloat":
        as_float = np.asarray([bits << 16], np.uint32).view(np.float32)
    else:
        unsigned = np.uint16 if t.bits == 16 else np.uint32
        as_float = np.asarray([bits], unsigned).view(t.numpy).astype(np.float32)
    value = float(as_float[0])
    if not math.isfinite(value):  # NVRTC has no __builtin_nan: the float's bits, reinterpreted
        return f"__int_as_float((int){int(as_float.view(np.uint32)[0]):#x}U)"
    return value.hex()  # exact: a C++17 hexadecimal floating literal (a double)


def is_device_array(value) -> bool:
    """Whether `value` lives in GPU memory: CUDA array interface or a CUDA DLPack device."""
    if hasattr(value, "__cuda_array_interface__"):
        return True
    device = getattr(value, "__dlpack_device__", None)
    if device is None or isinstance(value, np.ndarray):
        return False
    try:
        return int(device()[0]) == _DLPACK_CUDA
    except Exception:
        return False


def device_array(kernel: KernelLike, param: Param, value) -> tuple[int, int]:
    """(device pointer, bytes) of a device array bound to buffer `param`, checked."""
    where = f"buffer `{param.name}` ({param.dtype.name}) of kernel `{kernel.kernel_name}`"
    if not param.is_buffer:
        raise LaunchError(
            f"Scalar `{param.name}` of kernel `{kernel.kernel_name}` got a device array",
            hint="pass a Python number for a Scalar",
        )
    device = getattr(value, "__dlpack_device__", None)
    if device is not None:
        kind, ordinal = (int(v) for v in device())
        if kind != _DLPACK_CUDA or ordinal != 0:
            raise LaunchError(
                f"{where} got an array on DLPack device ({kind}, {ordinal}), not CUDA device 0",
                hint="move it to the first GPU (x.cuda(0) / x.to('cuda:0')) or pass a numpy array",
            )
    if str(getattr(value, "dtype", "")) in _TORCH_DTYPES:
        # torch bfloat16: older torch gives it no interface, newer an opaque `|V2` typestr.
        return _aligned(where, param, *_torch_tensor(where, param, value))
    try:
        interface = value.__cuda_array_interface__
    except (AttributeError, TypeError, RuntimeError):
        interface = None
    if interface is None and hasattr(value, "__dlpack__"):
        return _aligned(where, param, *_dlpack_array(where, param, value))
    if interface is None:
        return _aligned(where, param, *_torch_tensor(where, param, value))
    shape = tuple(interface["shape"])
    itemsize = np.dtype(interface["typestr"]).itemsize
    check_device_layout(
        where, param, np.dtype(interface["typestr"]), shape, interface.get("strides"), itemsize
    )
    pointer, readonly = interface["data"]
    if readonly and param.writes:
        raise LaunchError(
            f"{where} is written by the kernel but the device array is read-only",
            hint="pass a writable array",
        )
    return _aligned(where, param, int(pointer or 0), math.prod(shape) * itemsize)


def required_alignment(param: Param) -> int:
    """Bytes a buffer's address must be a multiple of: its element's own alignment (a
    float4 is 16 bytes) or more where the kernel's vector accesses need it."""
    return max(param.alignment, param.dtype.itemsize if param.dtype.lanes > 1 else 1)


def _aligned(where: str, param: Param, pointer: int, nbytes: int) -> tuple[int, int]:
    alignment = required_alignment(param)
    if pointer % alignment and nbytes:
        raise LaunchError(
            f"{where} is at an address not aligned to {alignment} bytes, which its"
            " vector accesses need (a view that starts mid-vector?)",
            hint="pass a tensor that starts on an aligned address, e.g. x.clone()",
        )
    return pointer, nbytes


def _dlpack_array(where: str, param: Param, value) -> tuple[int, int]:
    """(pointer, bytes) of an array that offers only DLPack, after the usual checks."""
    array = dlpack.read(value)
    if array is None:
        raise LaunchError(
            f"{where} got a {type(value).__name__} whose __dlpack__() gives no DLPack capsule",
            hint="pass a torch CUDA tensor, a cupy array or a numpy array",
        )
    scalar = param.dtype.scalar
    kind = {"f": "float", "i": "int", "u": "uint", "b": "bool"}[np.dtype(scalar.numpy).kind]
    want = (
        ("bfloat", 16) if scalar.name == "bfloat" else (kind, np.dtype(scalar.numpy).itemsize * 8)
    )
    if (array.kind, array.bits) != want or array.lanes != 1:
        raise LaunchError(
            f"{where} got a DLPack array of {array.kind}{array.bits}"
            + (f"x{array.lanes}" if array.lanes != 1 else ""),
            hint=f"pass {scalar.name} data",
        )
    if array.strides is not None:
        itemsize = array.bits // 8
        byte_strides = [stride * itemsize for stride in array.strides]
        check_device_layout(where, param, None, array.shape, byte_strides, itemsize)
    return array.pointer, array.nbytes


def _torch_tensor(where: str, param: Param, value) -> tuple[int, int]:
    name = str(getattr(value, "dtype", ""))
    if name not in _TORCH_DTYPES or not hasattr(value, "data_ptr"):
        raise LaunchError(
            f"{where} got a {type(value).__name__} without __cuda_array_interface__",
            hint="pass a torch CUDA tensor, a cupy array or a numpy array",
        )
    enigma_name, itemsize = _TORCH_DTYPES[name]
    if param.dtype.scalar.name != enigma_name:
        raise LaunchError(
            f"{where} got a {name} tensor", hint=f"pass a tensor of {param.dtype.name}"
        )
    if not value.is_contiguous():
        raise LaunchError(f"{where} got a non-contiguous tensor", hint="pass x.contiguous()")
    return int(value.data_ptr()), int(value.numel()) * itemsize


def check_device_layout(where, param: Param, dtype, shape, strides, itemsize) -> None:
    """A device array's dtype must be the parameter's and its elements contiguous."""
    want = param.dtype
    if dtype is not None and dtype != np.dtype(want.scalar.numpy):
        raise LaunchError(
            f"{where} got a device array of {dtype}",
            hint=f"pass {want.scalar.numpy} data (x.to(...) / x.astype(...))",
        )
    if strides is not None:
        expected, step = [], itemsize
        for extent in reversed(shape):
            expected.insert(0, step)
            step *= extent
        if any(s != e for s, e, n in zip(strides, expected, shape, strict=True) if n > 1):
            raise LaunchError(
                f"{where} got a non-contiguous device array (strides {tuple(strides)})",
                hint="pass a contiguous copy (x.contiguous() / cupy.ascontiguousarray(x))",
            )


class KernelArguments:
    """The storage of every argument of a launch and the kernelParams array pointing at it.

    `buffers[i]` holds the device pointer of parameter i when it is a buffer; Scalars
    point at their bound numpy value; the last entry points at the EnigmaLaunch.
    """

    def __init__(self, params: list[Param], scalars: dict[int, np.ndarray], pointers: dict):
        self.launch = EnigmaLaunch(1, 1, 1)
        self._storage: list = []
        addresses = []
        for i, param in enumerate(params):
            if param.is_buffer:
                cell = ctypes.c_uint64(pointers[i])
                self._storage.append(cell)
                addresses.append(ctypes.addressof(cell))
            else:
                value = np.ascontiguousarray(scalars[i])
                self._storage.append(value)
                addresses.append(value.ctypes.data)
        addresses.append(ctypes.addressof(self.launch))
        self.array = (ctypes.c_void_p * len(addresses))(*addresses)
        self.address = ctypes.addressof(self.array)

    def set_grid(self, grid: tuple) -> None:
        self.launch.x, self.launch.y, self.launch.z = grid

    def pointer(self, index: int) -> int:
        return self._storage[index].value

    def set_pointer(self, index: int, pointer: int) -> None:
        self._storage[index].value = pointer

    def set_scalar(self, index: int, value: np.ndarray) -> None:
        """A new value of Scalar `index` (as check_scalar gives it), in its storage."""
        self._storage[index][...] = value
