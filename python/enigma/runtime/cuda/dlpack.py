"""Device arrays that only speak DLPack (`__dlpack__` / `__dlpack_device__`): their
address, dtype and layout, read from the capsule without taking ownership.

`value.__dlpack__()` returns a PyCapsule named "dltensor" holding a
DLManagedTensor (the DLPack C ABI: a DLTensor, then the producer's context and
deleter). Enigma reads the DLTensor and leaves the capsule unconsumed, so its
destructor releases the producer's reference when the capsule goes; the array
itself, which the caller holds for the call, keeps the memory alive.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

# DLDataTypeCode values
_INT, _UINT, _FLOAT, _BFLOAT, _BOOL = 0, 1, 2, 4, 6


class _DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class _DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class _DLTensor(ctypes.Structure):
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("device", _DLDevice),
        ("ndim", ctypes.c_int32),
        ("dtype", _DLDataType),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
        ("strides", ctypes.POINTER(ctypes.c_int64)),
        ("byte_offset", ctypes.c_uint64),
    ]


_CAPSULE_NAME = b"dltensor"
_get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_get_pointer.restype = ctypes.c_void_p
_get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
_is_valid = ctypes.pythonapi.PyCapsule_IsValid
_is_valid.restype = ctypes.c_int
_is_valid.argtypes = [ctypes.py_object, ctypes.c_char_p]


@dataclass(frozen=True)
class DLArray:
    """What a launch needs of a DLPack array: where it is and how its elements lie."""

    pointer: int
    device: tuple[int, int]  # (DLDeviceType, ordinal)
    kind: str  # "int", "uint", "float", "bfloat", "bool" or "unknown"
    bits: int
    lanes: int
    shape: tuple[int, ...]
    strides: tuple[int, ...] | None  # in elements; None: C-contiguous

    @property
    def nbytes(self) -> int:
        count = 1
        for extent in self.shape:
            count *= extent
        return count * self.bits * self.lanes // 8


def read(value) -> DLArray | None:
    """The DLTensor behind `value.__dlpack__()`, or None if it gives no legacy capsule."""
    capsule = value.__dlpack__()
    if not _is_valid(capsule, _CAPSULE_NAME):
        return None
    tensor = _DLTensor.from_address(_get_pointer(capsule, _CAPSULE_NAME))
    ndim = tensor.ndim
    shape = tuple(tensor.shape[i] for i in range(ndim))
    strides = tuple(tensor.strides[i] for i in range(ndim)) if tensor.strides else None
    kinds = {_INT: "int", _UINT: "uint", _FLOAT: "float", _BFLOAT: "bfloat", _BOOL: "bool"}
    return DLArray(
        pointer=(tensor.data or 0) + tensor.byte_offset,
        device=(tensor.device.device_type, tensor.device.device_id),
        kind=kinds.get(tensor.dtype.code, "unknown"),
        bits=tensor.dtype.bits,
        lanes=tensor.dtype.lanes,
        shape=shape,
        strides=strides,
    )
