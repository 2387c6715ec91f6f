"""The tensor-map template of threadgroup matrix products' TMA loads (sm_90a).

A Hopper TMA copy reads its source through a 128-byte `CUtensorMap` that only the
driver can encode (`cuTensorMapEncodeTiled`). A threadgroup matrix product's tiles
are known only inside the kernel, so the prelude (CUDATileMatrixPrelude.inc) starts
from an encoded template in the module global `enigma_tma_template`: 16-bit elements,
rank 2, a 64 x 64 box (128-byte rows) with the 128-byte swizzle. Each block copies it,
replaces the address, extents and row stride with `tensormap.replace`, and loads A's
and B's slices through its copies. The runtime writes the template into each module
that has threadgroup matrices when it loads it.

Only ctypes and libcuda (no cuda-bindings): it runs wherever the driver does.
"""

from __future__ import annotations

import ctypes
import functools

from ...errors import EnigmaError

TEMPLATE_SYMBOL = "enigma_tma_template"
MAP_BYTES = 128

_UINT16 = 1  # CU_TENSOR_MAP_DATA_TYPE_UINT16: the copies move bits, half or bfloat alike
_INTERLEAVE_NONE = 0
_SWIZZLE_128B = 3
_L2_PROMOTION_256B = 3
_FILL_ZEROS = 0  # CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE: outside the extents reads as 0


def _encode_function(library: ctypes.CDLL):
    function = library.cuTensorMapEncodeTiled
    function.restype = ctypes.c_int
    u32, u64 = ctypes.c_uint32, ctypes.c_uint64
    function.argtypes = [
        ctypes.c_void_p, ctypes.c_int, u32, ctypes.c_void_p, ctypes.POINTER(u64),
        ctypes.POINTER(u64), ctypes.POINTER(u32), ctypes.POINTER(u32), ctypes.c_int,
        ctypes.c_int, ctypes.c_int, ctypes.c_int,
    ]  # fmt: skip
    return function


def encode_template(library: ctypes.CDLL, box_rows: int) -> bytes:
    """The 128 bytes of a template map with a 64 x `box_rows` box (elements x rows).
    Its address and extents are placeholders the kernel replaces."""
    storage = (ctypes.c_uint8 * (MAP_BYTES + 64))()
    start = (ctypes.addressof(storage) + 63) & ~63  # CUtensorMap is 64-byte aligned
    u32, u64 = ctypes.c_uint32, ctypes.c_uint64
    dims = (u64 * 2)(64, box_rows)
    strides = (u64 * 1)(128)  # bytes between rows
    box = (u32 * 2)(64, box_rows)
    element_strides = (u32 * 2)(1, 1)
    status = _encode_function(library)(
        start, _UINT16, 2, ctypes.c_void_p(1 << 20), dims, strides, box, element_strides,
        _INTERLEAVE_NONE, _SWIZZLE_128B, _L2_PROMOTION_256B, _FILL_ZEROS,
    )  # fmt: skip
    if status:
        raise EnigmaError(
            f"the driver could not encode the TMA template of threadgroup matrix products"
            f" (cuTensorMapEncodeTiled returned CUresult {status})",
            hint="threadgroup matrix products need an sm_90 GPU and a CUDA 12 driver or newer",
        )
    return bytes((ctypes.c_uint8 * MAP_BYTES).from_address(start))


@functools.cache
def template() -> bytes:
    """The template every product retargets (a 64 x 64 box), encoded by this driver."""
    return encode_template(ctypes.CDLL("libcuda.so.1"), 64)
