"""The kernel language: what an `@enigma.kernel` body is written with (SPEC §4).

`kernel` makes a traced kernel; inside its body, parameters are `Buffer`s and
`IRValue`s, thread/grid queries come from builtins.py, structured control flow
from control_flow.py, memory from memory.py, conversions and math from ops.py.
The trace produces the Enigma IR of `enigma.ir`.
"""

from . import arch
from .async_copy import (
    ASYNC_COPY_FUNCTIONS,
    AsyncCopyEvent,
    async_copy_1d_d2t,
    async_copy_1d_t2d,
    async_copy_2d_d2t,
    async_copy_2d_t2d,
    async_copy_wait,
)
from .atomics import *  # noqa: F403  (atomic_load ... atomic_compare_exchange_weak)
from .atomics import ATOMIC_FUNCTIONS
from .builtins import (
    grid_size,
    simdgroup_index_in_threadgroup,
    simdgroups_per_threadgroup,
    thread_index_in_simdgroup,
    thread_index_in_threadgroup,
    thread_position_in_grid,
    thread_position_in_grid_xyz,
    thread_position_in_threadgroup,
    threadgroup_position_in_grid,
    threadgroups_per_grid,
    threads_per_grid,
    threads_per_simdgroup,
    threads_per_threadgroup,
)
from .constants import function_constant
from .control_flow import Carry, for_range, if_, while_
from .core import IRValue
from .geometry import *  # noqa: F403  (dot, length, ..., faceforward)
from .geometry import GEOMETRY_FUNCTIONS
from .kernel import KernelFunction, KernelParam, kernel
from .masked import load_if, store_if
from .memory import Buffer, barrier, simd_barrier, threadgroup_alloc
from .ops import metal_cast, where
from .ops_integer import *  # noqa: F403  (imin ... insert_bits, cmp_*, as_type)
from .ops_integer import __all__ as _INTEGER_FUNCTIONS
from .ops_integer import imax, imin
from .ops_math import *  # noqa: F403  (sqrt ... smoothstep, isnan ...; abs and round)
from .ops_math import __all__ as _MATH_FUNCTIONS
from .ops_math import cos, exp, fmax, fmin, log, sin, sqrt
from .pack import *  # noqa: F403  (pack_float_to_* and unpack_*_to_float)
from .pack import PACK_FUNCTIONS
from .range_loop import range, range_constexpr  # enigma.range: not in __all__ (builtin)
from .registers import RegisterTensor, register_tensor
from .simd import *  # noqa: F403  (simd_sum ... quad_broadcast)
from .simd import SIMD_FUNCTIONS
from .simdgroup_matrix import (
    MATRIX_FUNCTIONS,
    SimdgroupMatrix,
    make_filled_simdgroup_matrix,
    simdgroup_matrix_load,
    simdgroup_matrix_store,
    simdgroup_multiply_accumulate,
)
from .threadgroup_matrix import (
    THREADGROUP_MATRIX_FUNCTIONS,
    ThreadgroupMatrix,
    make_filled_threadgroup_matrix,
    threadgroup_matrix_store,
    threadgroup_multiply_accumulate,
)
from .vectors import make_float2, make_float3, make_float4, make_vec, vec_extract

__all__ = [
    "Buffer", "Carry", "IRValue", "KernelFunction", "KernelParam", "arch", "barrier", "cos",
    "exp", "fmax", "fmin", "for_range", "grid_size", "if_", "imax", "imin", "kernel", "log",
    "metal_cast", "simd_barrier", "simdgroup_index_in_threadgroup", "simdgroups_per_threadgroup",
    "sin", "sqrt", "thread_index_in_simdgroup", "thread_index_in_threadgroup",
    "thread_position_in_grid", "thread_position_in_grid_xyz", "thread_position_in_threadgroup",
    "threadgroup_alloc", "threadgroup_position_in_grid", "threadgroups_per_grid",
    "threads_per_grid", "threads_per_simdgroup", "threads_per_threadgroup", "where", "while_",
]  # fmt: skip
__all__ += list(SIMD_FUNCTIONS)
__all__ += list(GEOMETRY_FUNCTIONS) + list(PACK_FUNCTIONS)
__all__ += ["make_float2", "make_float3", "make_float4", "make_vec", "vec_extract"]
__all__ += ["RegisterTensor", "load_if", "range_constexpr", "register_tensor", "store_if"]
__all__ += [name for name in _MATH_FUNCTIONS + _INTEGER_FUNCTIONS if name not in __all__]
__all__ += list(ATOMIC_FUNCTIONS) + ["function_constant"]
__all__ += list(MATRIX_FUNCTIONS) + ["SimdgroupMatrix"]
__all__ += list(THREADGROUP_MATRIX_FUNCTIONS) + ["ThreadgroupMatrix"]
__all__ += list(ASYNC_COPY_FUNCTIONS) + ["AsyncCopyEvent"]
