"""The simdgroup-matrix GEMM that benchmarks/cuda/ measures: C = A @ B on tensor cores.

On the cuda device a half or bfloat `simdgroup_multiply_accumulate` is one
`mma.sync.m16n8k8` (docs/cuda.md, "Simdgroup matrices"), so this kernel is the
tensor-core GEMM written in the portable kernel language: it runs unchanged on the
cpu device (tests/python/test_bench_kernels_mma.py) and on Metal.

Design. A threadgroup of 4 SIMD-groups (128 threads) owns a 64 x 64 tile of C; SIMD-group
w owns the 32 x 32 quarter (w // 2, w % 2) as 4 x 4 float simdgroup matrices, carried
over K by a `for_range` loop. K is walked in GEMM_BK = 32 slices: the threads stage the
64 x 32 slice of A and the 32 x 64 slice of B in threadgroup memory (4 coalesced
4-element vector loads and stores each per thread), then each SIMD-group runs 4 K-steps
of 4 A loads, 4 B loads and 16 multiply-accumulates of bf16 (f16) inputs into the float
matrices (Metal's mixed overload; one mma.sync with f32 C/D on the cuda device). At the
end each SIMD-group stores its matrices to a float threadgroup scratch laid out as its
32 x 32 square, and its lanes write C row by row (32 consecutive elements a store),
rounding once.

Accuracy. The products are exact and sum in f32 from the start: the only rounding to
the element type is C's. Expected error over K = 4096 with unit normal inputs: about
one bf16 half-ulp of the largest output (f32 accumulation adds ~1e-6 relative).
"""

from __future__ import annotations

import enigma
from enigma import f32

GEMM_TILE = 64  # BM = BN: the C tile of one threadgroup
GEMM_BK = 32  # the K slice staged in threadgroup memory
GEMM_WARP = 32  # each SIMD-group's square of C: (GEMM_WARP / 8)^2 matrices
GEMM_THREADS = 128  # 4 SIMD-groups of 32 lanes, 2 x 2 over the C tile
_MATS = GEMM_WARP // 8  # matrices per side of a SIMD-group's square
_STAGE = GEMM_TILE * GEMM_BK // GEMM_THREADS  # elements of A (and of B) per thread per slice
_SCRATCH = GEMM_WARP * GEMM_WARP  # f32 scratch elements per SIMD-group: its square of C
VEC = 4  # elements of one global -> threadgroup vector copy


def _dtype(name: str):
    if name not in ("bf16", "f16"):
        raise ValueError(f"gemm_simdgroup takes bf16 or f16 (tensor-core inputs), not {name!r}")
    return {"bf16": enigma.bf16, "f16": enigma.f16}[name]


def make_gemm_simdgroup(m: int, n: int, k: int, dtype: str = "bf16"):
    """C = A @ B for row-major A (m x k), B (k x n), C (m x n) of `dtype` ("bf16" or
    "f16") on simdgroup matrices; launch with gemm_simdgroup_launch(m, n).

    >>> gemm = make_gemm_simdgroup(4096, 4096, 4096, "bf16")
    """
    if m % GEMM_TILE or n % GEMM_TILE or k % GEMM_BK:
        raise ValueError(
            f"gemm_simdgroup needs m, n multiples of {GEMM_TILE} and k of {GEMM_BK};"
            f" got {m}, {n}, {k}"
        )
    elem = _dtype(dtype)

    @enigma.kernel
    def gemm_simdgroup(a: elem, b: elem, c: elem):
        tid = enigma.thread_index_in_threadgroup()
        warp = enigma.simdgroup_index_in_threadgroup()
        lane = enigma.thread_index_in_simdgroup()
        row0 = enigma.threadgroup_position_in_grid("y") * GEMM_TILE
        col0 = enigma.threadgroup_position_in_grid("x") * GEMM_TILE
        wr, wc = (warp // 2) * GEMM_WARP, (warp % 2) * GEMM_WARP
        a_tile = enigma.threadgroup_alloc(elem, GEMM_TILE * GEMM_BK)  # [row][kk]
        b_tile = enigma.threadgroup_alloc(elem, GEMM_BK * GEMM_TILE)  # [kk][col]
        scratch = enigma.threadgroup_alloc(f32, 4 * _SCRATCH)  # per SIMD-group: 32 x 32
        # Views of 4-element vectors (bfloat4: 8 bytes), for vector loads and stores.
        a_vectors, b_vectors = (enigma.tensor_zipped_divide(enigma.make_tensor(x, size), VEC)
                                for x, size in ((a, m * k), (b, k * n)))  # fmt: skip
        a_vec, b_vec = (enigma.tensor_zipped_divide(enigma.make_tensor(t, GEMM_TILE * GEMM_BK), VEC)
                        for t in (a_tile, b_tile))  # fmt: skip
        zero = enigma.make_filled_simdgroup_matrix(f32, 0.0)
        with enigma.for_range(0, k, GEMM_BK, init=[zero] * _MATS**2) as (k0, acc):
            for s in enigma.range_constexpr(_STAGE // VEC):
                v = tid + s * GEMM_THREADS  # vector v of the slice: elements 4v .. 4v + 3
                e = v * VEC
                ga = (row0 + e // GEMM_BK) * (k // VEC) + (k0 + e % GEMM_BK) // VEC
                gb = (k0 + e // GEMM_TILE) * (n // VEC) + (col0 + e % GEMM_TILE) // VEC
                a_vec[None, v].store(a_vectors[None, ga].load())
                b_vec[None, v].store(b_vectors[None, gb].load())
            enigma.barrier()
            for kk in enigma.range_constexpr(0, GEMM_BK, 8):
                xs = [enigma.simdgroup_matrix_load(a_tile, GEMM_BK, origin=(kk, wr + 8 * i))
                      for i in range(_MATS)]  # fmt: skip
                ys = [enigma.simdgroup_matrix_load(b_tile, GEMM_TILE, origin=(wc + 8 * j, kk))
                      for j in range(_MATS)]  # fmt: skip
                for i in range(_MATS):
                    for j in range(_MATS):
                        t = i * _MATS + j
                        acc[t] = enigma.simdgroup_multiply_accumulate(xs[i], ys[j], acc[t])
            enigma.barrier()  # the slice is consumed: the next one may be staged
        mine = warp * _SCRATCH
        for t in range(_MATS**2):
            origin = ((t % _MATS) * 8, (t // _MATS) * 8)
            enigma.simdgroup_matrix_store(acc[t], scratch, GEMM_WARP, mine, origin=origin)
        enigma.simd_barrier()
        for r in enigma.range_constexpr(GEMM_WARP):
            out = (row0 + wr + r) * n + col0 + wc + lane
            c[out] = enigma.metal_cast(scratch[mine + r * GEMM_WARP + lane], elem)

    return gemm_simdgroup


def gemm_simdgroup_launch(m: int, n: int) -> tuple[tuple, tuple]:
    """(grid in threads, threads) of make_gemm_simdgroup's kernel for an m x n output."""
    return (n // GEMM_TILE * GEMM_THREADS, m // GEMM_TILE, 1), (GEMM_THREADS, 1, 1)
