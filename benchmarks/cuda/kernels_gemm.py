"""The fast f32 SIMT GEMM of benchmarks/cuda/: C = A @ B, row-major, no tensor cores.

kernels.make_gemm is the plain tiled GEMM (64 x 64 tile, scalar threadgroup reads).
This is the classic high-performance SIMT design, written in the kernel language:

* a threadgroup of 256 threads owns a 128 x 128 tile of C and steps through K in
  slices of BK = 8; each thread accumulates an 8 x 8 register block made of two
  4 x 4 halves 64 apart in each direction (rows 4 ty + {0..3} and 64 + 4 ty + {0..3},
  the same for columns with tx), so the four 4-wide threadgroup reads per k are
  aligned float4s, and a warp's B reads cover 64 contiguous floats (no bank conflict)
  while its A reads are broadcasts;
* A is staged transposed in threadgroup memory (a_tile[kk][row]), B as is
  (b_tile[kk][col]), each double-buffered: while the threads compute on one buffer
  they hold the next K slice (one float4 of A and one of B each) in registers,
  store it into the other buffer, then meet at the one barrier of the step;
* the loop over K is unrolled twice so the buffer of every access is static, and
  its last pair of steps is peeled so the final step has no fetch to guard (a
  wrapped-around fetch instead costs ptxas 2 more registers: 130, one threadgroup
  per SM; this form uses 128, so two fit);
* global and threadgroup accesses are fragment `.load()` / `.store()` of 4
  consecutive floats through a (4, n / 4) view, which the tracer proves aligned:
  `enigma_vec<float, 4>` in the CUDA (ld.global.v4.f32 / ld.shared.v4.f32);
* every product is `enigma.fma` (NVRTC runs with --fmad=false, so `a * b + c`
  would stay two roundings and two instructions).

Launch: grid (n / 128 * 256, m / 128, 1) threads, threadgroups of (256, 1, 1);
m, n multiples of 128, k of 16.
"""

from __future__ import annotations

import enigma
from enigma import Layout, f32

TILE = 128  # BM = BN: the output tile of one threadgroup
BK = 8  # the K slice of one step
THREADS = 256  # 16 x 16 threads
SIDE = 16
HALF = TILE // 2  # the two 4 x 4 halves of a thread's block are this far apart
SLICE = TILE * BK  # floats of one buffer of a_tile (and of b_tile)


def _quads(memory, size: int):
    """`memory` (a buffer or threadgroup array of `size` floats) seen as size / 4 groups of
    4 consecutive floats: view[None, q] is floats 4q .. 4q + 3, aligned for a float4."""
    return enigma.make_tensor(memory, Layout((4, size // 4), (1, 4)))


def make_gemm_f32(m: int, n: int, k: int):
    """C = A @ B for row-major f32 A (m x k), B (k x n), C (m x n); launch with
    gemm_f32_launch(m, n).

    >>> gemm = enigma.compile(make_gemm_f32(256, 128, 32))
    >>> grid, threads = gemm_f32_launch(256, 128)        # (256, 2, 1), (256, 1, 1)
    >>> gemm(a, b, c, grid=grid, threads=threads)        # doctest: +SKIP
    """
    if m % TILE or n % TILE or k % (2 * BK) or k == 0:
        raise enigma.EnigmaError(
            f"make_gemm_f32 cannot tile m={m}, n={n}, k={k} without a partial tile",
            hint=f"use m and n multiples of {TILE} and k a multiple of {2 * BK}"
            " (or kernels.make_gemm for other shapes)",
        )

    @enigma.kernel
    def gemm_f32(a: f32, b: f32, c: f32):
        tid = enigma.thread_index_in_threadgroup()
        tx, ty = tid % SIDE, tid // SIDE
        row0 = enigma.threadgroup_position_in_grid("y") * TILE
        col0 = enigma.threadgroup_position_in_grid("x") * TILE
        a_tile = enigma.threadgroup_alloc(f32, 2 * SLICE)  # [buffer][kk][row]: A transposed
        b_tile = enigma.threadgroup_alloc(f32, 2 * SLICE)  # [buffer][kk][col]
        a_quads, b_quads = _quads(a_tile, 2 * SLICE), _quads(b_tile, 2 * SLICE)
        ga, gb, gc = _quads(a, m * k), _quads(b, k * n), _quads(c, m * n)
        acc = enigma.register_tensor((8, 8), f32, 0.0)
        a_reg, b_reg = enigma.register_tensor((8,), f32), enigma.register_tensor((8,), f32)
        out4 = enigma.make_fragment((4,), f32)

        # the thread's share of a K slice: A row tid / 2, k 4 (tid % 2) .. + 3, and
        # B k row tid / 32, columns 4 (tid % 32) .. + 3 (one float4 of each); indices of
        # the (4, n / 4) views count float4s
        a_row, a_k = tid // 2, (tid % 2) * 4
        b_k = tid // 32
        a_src = (row0 + a_row) * (k // 4) + tid % 2  # A's float4 in K slice 0
        b_src = b_k * (n // 4) + col0 // 4 + tid % 32

        def fetch(k0):
            """The thread's float4 of A and of B of the K slice starting at k0 (traced)."""
            return ga[None, a_src + k0 // 4].load(), gb[None, b_src + k0 * (n // 4)].load()

        def stage(buffer: int, fetched) -> None:
            """Store a fetched K slice into `buffer`: A transposed (4 scalars), B one float4."""
            a4, b4 = fetched
            for j in enigma.range_constexpr(4):
                a_tile[buffer * SLICE + (a_k + j) * TILE + a_row] = a4[j]
            b_quads[None, buffer * SLICE // 4 + b_k * (TILE // 4) + tid % 32].store(b4)

        def compute(buffer: int) -> None:
            """acc += the products of the K slice in `buffer`."""
            for kk in enigma.range_constexpr(BK):
                base = (buffer * SLICE + kk * TILE) // 4
                for h in enigma.range_constexpr(2):
                    a4 = a_quads[None, base + h * HALF // 4 + ty].load()
                    b4 = b_quads[None, base + h * HALF // 4 + tx].load()
                    for j in enigma.range_constexpr(4):
                        a_reg[h * 4 + j] = a4[j]
                        b_reg[h * 4 + j] = b4[j]
                for i in enigma.range_constexpr(8):
                    for j in enigma.range_constexpr(8):
                        acc[i, j] = enigma.fma(a_reg[i], b_reg[j], acc[i, j])

        def step(buffer: int, k_next) -> None:
            """Compute on `buffer` while fetching the slice at k_next (None: none left) into
            the other buffer; one barrier."""
            fetched = fetch(k_next) if k_next is not None else None
            compute(buffer)
            if fetched is not None:
                stage(1 - buffer, fetched)
            enigma.barrier()

        stage(0, fetch(0))
        enigma.barrier()
        for k0 in enigma.range(0, k - 2 * BK, 2 * BK):
            step(0, k0 + BK)
            step(1, k0 + 2 * BK)
        step(0, k - BK)
        step(1, None)

        for h in enigma.range_constexpr(2):
            for i in enigma.range_constexpr(4):
                row = row0 + h * HALF + ty * 4 + i
                for g in enigma.range_constexpr(2):
                    for j in enigma.range_constexpr(4):
                        out4[j] = acc[h * 4 + i, g * 4 + j]
                    gc[None, row * (n // 4) + (col0 + g * HALF) // 4 + tx].store(out4)

    return gemm_f32


def gemm_f32_launch(m: int, n: int) -> tuple[tuple, tuple]:
    """(grid in threads, threads) of make_gemm_f32's kernel for an m x n output."""
    return (n // TILE * THREADS, m // TILE, 1), (THREADS, 1, 1)
