"""`enigma.arch`: CUDA-style names for the threadgroup queries, for code ported from CUDA.

``thread_idx`` is Metal's thread_position_in_threadgroup (CUDA threadIdx),
``block_idx`` is threadgroup_position_in_grid (blockIdx), ``block_dim`` is
threads_per_threadgroup (blockDim).

>>> i = enigma.arch.block_idx("x") * enigma.arch.block_dim("x") + enigma.arch.thread_idx("x")
"""

from __future__ import annotations

from .builtins import query
from .core import IRValue


def thread_idx(dim="x") -> IRValue:
    """CUDA threadIdx: this thread's position in its threadgroup along `dim`."""
    return query("thread_position_in_threadgroup", dim)


def block_idx(dim="x") -> IRValue:
    """CUDA blockIdx: this thread's threadgroup position in the grid along `dim`."""
    return query("threadgroup_position_in_grid", dim)


def block_dim(dim="x") -> IRValue:
    """CUDA blockDim: the threadgroup size along `dim`."""
    return query("threads_per_threadgroup", dim)
