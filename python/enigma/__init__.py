"""Enigma: a Python DSL and MLIR compiler for GPU compute kernels.

Write a kernel with `@enigma.kernel`, compile it with `enigma.compile`, run
it on the `cpu` device (any machine), `metal` (macOS) or later `cuda`.

>>> @enigma.kernel
... def vector_add(a: enigma.f32, b: enigma.f32, c: enigma.f32):
...     i = enigma.thread_position_in_grid
...     c[i] = a[i] + b[i]
>>> enigma.compile(vector_add)(a, b, c, grid=(n, 1, 1), threads=(256, 1, 1), device="cpu")
"""

import sys as _sys

__version__ = "0.1.0"

from . import (  # noqa: E402
    benchmark,
    ir,  # noqa: E402
    testing,
)
from .compiler import CompiledKernel, compile  # noqa: E402
from .dtypes import *  # noqa: E402,F403  (the twelve dtypes, vectors and their classes)
from .dtypes import (  # noqa: E402
    DType,
    Scalar,
    bfloat16_bits_to_float,
    dtype,
    float_to_bfloat16_bits,
)
from .errors import CompilerError, EnigmaError, LaunchError, TraceError  # noqa: E402
from .jit import Constexpr, JitProgram, jit  # noqa: E402
from .language import (  # noqa: E402
    Buffer,
    Carry,
    IRValue,
    KernelFunction,
    KernelParam,
    RegisterTensor,
    arch,
    barrier,
    cos,
    exp,
    fmax,
    fmin,
    for_range,
    grid_size,
    if_,
    imax,
    imin,
    kernel,
    load_if,
    log,
    metal_cast,
    range,  # enigma.range (kernel loops); shadows the builtin in this module only
    range_constexpr,
    register_tensor,
    simd_barrier,
    simdgroup_index_in_threadgroup,
    simdgroups_per_threadgroup,
    sin,
    sqrt,
    store_if,
    thread_index_in_simdgroup,
    thread_index_in_threadgroup,
    thread_position_in_grid,
    thread_position_in_grid_xyz,
    thread_position_in_threadgroup,
    threadgroup_alloc,
    threadgroup_position_in_grid,
    threadgroups_per_grid,
    threads_per_grid,
    threads_per_simdgroup,
    threads_per_threadgroup,
    where,
    while_,
)
from .language.async_copy import (  # noqa: E402
    AsyncCopyEvent,
    async_copy_1d_d2t,
    async_copy_1d_t2d,
    async_copy_2d_d2t,
    async_copy_2d_t2d,
    async_copy_wait,
)
from .language.atomics import *  # noqa: E402,F403  (atomic_load ... atomic_compare_exchange_weak)
from .language.constants import function_constant  # noqa: E402
from .language.geometry import *  # noqa: E402,F403  (dot, length, ..., faceforward)
from .language.ops_integer import *  # noqa: E402,F403  (imin ... insert_bits, cmp_*, as_type)
from .language.ops_math import *  # noqa: E402,F403  (sqrt ... smoothstep; abs, round: Metal's)
from .language.pack import *  # noqa: E402,F403  (pack_float_to_*, unpack_*_to_float)
from .language.simd import *  # noqa: E402,F403  (simd_* and quad_* functions)
from .language.simdgroup_matrix import (  # noqa: E402
    SimdgroupMatrix,
    make_filled_simdgroup_matrix,
    simdgroup_matrix_load,
    simdgroup_matrix_store,
    simdgroup_multiply_accumulate,
)
from .language.threadgroup_matrix import (  # noqa: E402
    ThreadgroupMatrix,
    make_filled_threadgroup_matrix,
    threadgroup_matrix_store,
    threadgroup_multiply_accumulate,
)
from .language.vectors import *  # noqa: E402,F403  (make_vec, make_float2/3/4, vec_extract)
from .layout import (  # noqa: E402  (the layout algebra, SPEC §4)
    ComposedLayout,
    Layout,
    Swizzle,
    blocked_product,
    coalesce,
    compact_col_major,
    compact_order,
    compact_row_major,
    complement,
    composition,
    cosize,
    crd2idx,
    depth,
    elem_scale,
    flat_divide,
    flatten,
    idx2crd,
    is_compatible,
    is_congruent,
    left_inverse,
    logical_divide,
    logical_product,
    make_composed_layout,
    make_identity_layout,
    make_layout,
    make_layout_tv,
    make_ordered_layout,
    prefix_product,
    product,
    product_each,
    raked_product,
    rank,
    recast_layout,
    repeat_like,
    right_inverse,
    select,
    shape_div,
    size,
    slice_and_offset,
    suffix_product,
    tiled_divide,
    tiled_product,
    zipped_divide,
    zipped_product,
)
from .runtime import MetalRuntime, PreparedKernel, runtime  # noqa: E402
from .tensor import (  # noqa: E402  (tensors, views and fragments, SPEC §4)
    CoordTensor,
    Tensor,
    elem_less,
    local_partition,
    local_tile,
    make_fragment,
    make_identity_tensor,
    make_tensor,
    tensor_composition,
    tensor_zipped_divide,
)
from .tile import (  # noqa: E402
    copy,
    dequantize_int8,
    gemm,
    pack_int4x2,
    pack_uint8x4,
    pipeline,
    unpack_int4x2,
    unpack_uint8x4,
)

# `import enigma.arch` works as well as `enigma.arch.thread_idx()`.
_sys.modules[__name__ + ".arch"] = arch
