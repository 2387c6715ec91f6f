"""The simdgroup-matrix GEMM that benchmarks/cuda/ measures: C = A @ B on tensor cores.

On the cuda device a half or bfloat `simdgroup_multiply_accumulate` is one
`mma.sync.m16n8k8` (docs/cuda.md, "Simdgroup matrices"), so this kernel is the
tensor-core GEMM written in the portable kernel language: it runs unchanged on the
cpu device (tests/python/test_bench_kernels_mma.py) and on Metal.

Design. A threadgroup of 4 SIMD-groups (128 threads) owns a 64 x 64 tile of C; SIMD-group
w owns the 32 x 32 quarter (w // 2, w % 2) as 4 x 4 simdgroup matrices. K is walked in
GEMM_BK = 32 slices: the threads stage the 64 x 32 slice of A and the 32 x 64 slice of B
in threadgroup memory (16 coalesced loads each per thread), then each SIMD-group runs
4 K-steps of 4 A loads, 4 B loads and 16 multiply-accumulates.

Accuracy. The kernel language gives the three matrices of a multiply-accumulate one
element type (Metal also accepts float accumulators with half or bfloat inputs; Enigma
does not yet), so a bf16 accumulator carried over K = 4096 would round 512 times (error
about 4e-2 of the largest output, over the benchmark's 1e-2). Instead each 32-deep slice
is accumulated from zero in element-type matrices (4 roundings, each of a 32-term
partial sum), then folded into float registers: every SIMD-group stores its 16
matrices to its own threadgroup scratch and each lane adds two elements of each into
f32. Expected error over K = 4096 with unit normal inputs: about 3e-3 of the largest
output at the worst element (128 f32-added slices, each off by a few bf16 half-ulps of
a sqrt(32)-sized partial sum); the f16 kernel is 8x tighter.
"""

from __future__ import annotations

import enigma
from enigma import f32

GEMM_TILE = 64  # BM = BN: the C tile of one threadgroup
GEMM_BK = 32  # the K slice staged in threadgroup memory, summed in the element type
GEMM_WARP = 32  # each SIMD-group's square of C: (GEMM_WARP / 8)^2 matrices
GEMM_THREADS = 128  # 4 SIMD-groups of 32 lanes, 2 x 2 over the C tile
_MATS = GEMM_WARP // 8  # matrices per side of a SIMD-group's square
_STAGE = GEMM_TILE * GEMM_BK // GEMM_THREADS  # elements of A (and of B) per thread per slice
_SCRATCH = _MATS * _MATS * 64  # scratch elements per SIMD-group


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
        scratch = enigma.threadgroup_alloc(elem, 4 * _SCRATCH)  # per SIMD-group: 16 tiles
        mine = warp * _SCRATCH + lane * 2  # this lane's two elements of each scratch tile
        acc = enigma.register_tensor((_MATS * _MATS, 2), f32, 0.0)
        for k0 in enigma.range(0, k, GEMM_BK):
            for s in enigma.range_constexpr(_STAGE):
                e = tid + s * GEMM_THREADS
                a_tile[e] = a[(row0 + e // GEMM_BK) * k + k0 + e % GEMM_BK]
                b_tile[e] = b[(k0 + e // GEMM_TILE) * n + col0 + e % GEMM_TILE]
            enigma.barrier()
            part = [enigma.make_filled_simdgroup_matrix(elem, 0.0) for _ in range(_MATS**2)]
            for kk in enigma.range_constexpr(0, GEMM_BK, 8):
                xs = [enigma.simdgroup_matrix_load(a_tile, GEMM_BK, origin=(kk, wr + 8 * i))
                      for i in range(_MATS)]  # fmt: skip
                ys = [enigma.simdgroup_matrix_load(b_tile, GEMM_TILE, origin=(wc + 8 * j, kk))
                      for j in range(_MATS)]  # fmt: skip
                for i in range(_MATS):
                    for j in range(_MATS):
                        t = i * _MATS + j
                        part[t] = enigma.simdgroup_multiply_accumulate(xs[i], ys[j], part[t])
            enigma.barrier()  # the slice is consumed: the next one may be staged
            for t in range(_MATS**2):
                enigma.simdgroup_matrix_store(part[t], scratch, 8, warp * _SCRATCH + t * 64)
            enigma.simd_barrier()
            for t in enigma.range_constexpr(_MATS**2):
                for v in enigma.range_constexpr(2):
                    acc[t, v] = acc[t, v] + enigma.metal_cast(scratch[mine + t * 64 + v], f32)
            enigma.simd_barrier()  # read before the next slice's stores
        r, col = (lane * 2) // 8, (lane * 2) % 8  # element (r, col) and (r, col + 1) of a tile
        for t in enigma.range_constexpr(_MATS**2):
            base = (row0 + wr + (t // _MATS) * 8 + r) * n + col0 + wc + (t % _MATS) * 8 + col
            for v in enigma.range_constexpr(2):
                c[base + v] = enigma.metal_cast(acc[t, v], elem)

    return gemm_simdgroup


def gemm_simdgroup_launch(m: int, n: int) -> tuple[tuple, tuple]:
    """(grid in threads, threads) of make_gemm_simdgroup's kernel for an m x n output."""
    return (n // GEMM_TILE * GEMM_THREADS, m // GEMM_TILE, 1), (GEMM_THREADS, 1, 1)
