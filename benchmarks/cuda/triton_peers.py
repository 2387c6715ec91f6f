"""Triton peers of the memory-bound benchmarks, written here in the usual Triton style.

One program per block of a flat vector (add) or per row (RMSNorm, softmax, the
whole row in one block of the next power of two), f32 arithmetic. Imported
only where Triton is installed (the lent GPU machine); the launchers take torch
CUDA tensors and write their output in place.
"""

from __future__ import annotations

import triton
import triton.language as tl


@triton.jit
def _add(a, b, c, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n
    x = tl.load(a + offsets, mask=mask)
    y = tl.load(b + offsets, mask=mask)
    tl.store(c + offsets, x + y, mask=mask)


@triton.jit
def _rmsnorm(x, w, y, cols, eps, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    offsets = tl.arange(0, BLOCK)
    mask = offsets < cols
    values = tl.load(x + row * cols + offsets, mask=mask, other=0.0).to(tl.float32)
    scale = tl.rsqrt(tl.sum(values * values, axis=0) / cols + eps)
    weight = tl.load(w + offsets, mask=mask, other=0.0).to(tl.float32)
    out = values * scale * weight
    tl.store(y + row * cols + offsets, out.to(y.dtype.element_ty), mask=mask)


@triton.jit
def _softmax(x, y, cols, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    offsets = tl.arange(0, BLOCK)
    mask = offsets < cols
    values = tl.load(x + row * cols + offsets, mask=mask, other=-float("inf"))
    e = tl.exp(values - tl.max(values, axis=0))
    tl.store(y + row * cols + offsets, e / tl.sum(e, axis=0), mask=mask)


def _warps(cols: int) -> int:
    return 16 if cols >= 8192 else 8 if cols >= 2048 else 4


def add(a, b, c) -> None:
    n = a.numel()
    _add[(triton.cdiv(n, 1024),)](a, b, c, n, BLOCK=1024)


def rmsnorm(x, w, y, eps: float) -> None:
    rows, cols = x.shape
    block = triton.next_power_of_2(cols)
    _rmsnorm[(rows,)](x, w, y, cols, eps, BLOCK=block, num_warps=_warps(cols))


def softmax(x, y) -> None:
    rows, cols = x.shape
    block = triton.next_power_of_2(cols)
    _softmax[(rows,)](x, y, cols, BLOCK=block, num_warps=_warps(cols))
