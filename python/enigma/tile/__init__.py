"""Tile helpers: the building blocks of tiled kernels, written in the kernel language.

`copy` moves a thread's partition of a tile between device, threadgroup and register
memory (vectorized, or under a mask); `gemm` multiplies tiles per thread or per
SIMD-group with simdgroup matrices; `pipeline` rotates multi-stage threadgroup
buffers; `quantize` packs and dequantizes 8- and 4-bit integers. All are plain
functions called inside an `@enigma.kernel` body (docs/tile.md).
"""

from .copy import copy, in_bounds
from .gemm import gemm, simdgroup_accumulator, store_accumulator
from .matrix import MatrixView
from .pipeline import Pipeline, pipeline
from .quantize import (
    dequantize_int8,
    pack_int4x2,
    pack_uint8x4,
    unpack_int4x2,
    unpack_uint8x4,
)

__all__ = [
    "MatrixView", "Pipeline", "copy", "dequantize_int8", "gemm", "in_bounds", "pack_int4x2",
    "pack_uint8x4",
    "pipeline", "simdgroup_accumulator", "store_accumulator", "unpack_int4x2", "unpack_uint8x4",
]  # fmt: skip
