"""The kernel language: what an `@enigma.kernel` body is written with (SPEC §4).

`kernel` makes a traced kernel; inside its body, parameters are `Buffer`s and
`IRValue`s, thread/grid queries come from builtins.py, structured control flow
from control_flow.py, memory from memory.py, conversions and math from ops.py.
The trace produces the Enigma IR of `enigma.ir`.
"""

from . import arch
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
from .control_flow import Carry, for_range, if_, while_
from .core import IRValue
from .kernel import KernelFunction, KernelParam, kernel
from .memory import Buffer, barrier, simd_barrier, threadgroup_alloc
from .ops import cos, exp, fmax, fmin, imax, imin, log, metal_cast, sin, sqrt, where

__all__ = [
    "Buffer", "Carry", "IRValue", "KernelFunction", "KernelParam", "arch", "barrier", "cos",
    "exp", "fmax", "fmin", "for_range", "grid_size", "if_", "imax", "imin", "kernel", "log",
    "metal_cast", "simd_barrier", "simdgroup_index_in_threadgroup", "simdgroups_per_threadgroup",
    "sin", "sqrt", "thread_index_in_simdgroup", "thread_index_in_threadgroup",
    "thread_position_in_grid", "thread_position_in_grid_xyz", "thread_position_in_threadgroup",
    "threadgroup_alloc", "threadgroup_position_in_grid", "threadgroups_per_grid",
    "threads_per_grid", "threads_per_simdgroup", "threads_per_threadgroup", "where", "while_",
]  # fmt: skip
