"""Tiled GEMM with simdgroup matrices: C = A @ B (or A @ B^T) in float32.

Each threadgroup (128 threads, 4 SIMD-groups) computes a 32 x 32 tile of C. The K
dimension is walked in 16-deep steps through a 2-stage `enigma.pipeline`: while the
SIMD-groups multiply the A and B tiles of step k out of threadgroup memory, the threads
copy the tiles of step k + 1 into the other stage (`enigma.copy` of each thread's TV
partition: four consecutive floats, one `float4` load from device memory). Each
SIMD-group owns a 16 x 16 quarter of the C tile: 2 x 2 simdgroup matrices carried
through the K loop and updated by `enigma.gemm` (Metal's
`simdgroup_multiply_accumulate`), then stored straight into C.

The operands follow CuTe's convention: A is M x K, B is N x K. B given as a K x N
row-major array (`A @ B`) is the N x K view with strides (1, N), so its tiles are
contiguous along N; with `--b-transposed` B is an N x K row-major array (`A @ B^T`)
and the simdgroup loads read it transposed. With `--async-copy` the tiles are staged
by the SIMD-group async copies of Apple GPU family 9 (`pipe.async_copy`; plain copies
on the cpu device), each SIMD-group copying a share of the rows. The host function
(`@enigma.jit`) picks the grid; the tile sizes are Constexpr values baked into the kernel.

Run: `python examples/gemm_simdgroup.py [--m M --n N --k K --b-transposed]` (M and N
multiples of 32, K of 16); it prints the max error against a float64 numpy product and
exits non-zero on a mismatch.
"""

import argparse
import sys

import numpy as np
from _check import max_error, report

import enigma
from enigma import Layout, f32
from enigma.tile import simdgroup_accumulator, store_accumulator

BM, BN, BK = 32, 32, 16  # the threadgroup's C tile and the K step
WM, WN = 16, 16  # one SIMD-group's part of the C tile (2 x 2 SIMD-groups)
THREADS = 128
TOLERANCE = 1e-4  # max |error| relative to sqrt(K): float32 sums of K products
# Each thread copies four consecutive floats of an A tile (K contiguous, row-major)...
TV_A = enigma.make_layout_tv(Layout((32, 4), (4, 1)), Layout((1, 4), (1, 1)))
# ...and of a B tile: N contiguous (N x K view of a K x N array), or K contiguous.
TV_B_NK_VIEW = enigma.make_layout_tv(Layout((8, 16), (1, 8)), Layout((4, 1), (1, 1)))
SMEM_A = Layout((BM, BK), (BK, 1))
SMEM_B = {False: Layout((BN, BK), (1, BN)), True: Layout((BN, BK), (BK, 1))}


@enigma.kernel
def gemm_tiles(a: f32, b: f32, c: f32, k_tiles: enigma.Constexpr, b_transposed: enigma.Constexpr,
               async_copy: enigma.Constexpr):  # fmt: skip
    tid = enigma.thread_index_in_threadgroup()
    sg = enigma.simdgroup_index_in_threadgroup()
    bx = enigma.threadgroup_position_in_grid("x")
    by = enigma.threadgroup_position_in_grid("y")
    g_a = enigma.local_tile(a, (BM, BK), (by, None))  # (BM, BK, k_tiles)
    g_b = enigma.local_tile(b, (BN, BK), (bx, None))  # (BN, BK, k_tiles)
    g_c = enigma.local_tile(c, (BM, BN), (by, bx))
    tv_b = TV_A if b_transposed else TV_B_NK_VIEW

    def mine(tile, tv):
        return enigma.tensor_composition(tile, tv[1])[tid, None]

    def load_stage(kt, stage):
        s_a, s_b = stage
        if async_copy:  # whole tiles, each SIMD-group a share of the rows
            pipe.async_copy(g_a[None, None, kt], s_a)
            pipe.async_copy(g_b[None, None, kt], s_b)
            return
        enigma.copy(mine(g_a[None, None, kt], TV_A), mine(s_a, TV_A))
        enigma.copy(mine(g_b[None, None, kt], tv_b), mine(s_b, tv_b))

    pipe = enigma.pipeline(f32, SMEM_A, SMEM_B[b_transposed], stages=2)
    load_stage(0, pipe.stage(0))  # prologue: K step 0 into stage 0
    pipe.sync()
    wm, wn = sg // 2, sg % 2
    acc = simdgroup_accumulator(WM, WN)
    with pipe.loop(0, k_tiles, init=acc) as (kt, acc):
        if async_copy:  # producer: the copies must be waited in this block, so no if_:
            load_stage(enigma.imin(kt + 1, k_tiles - 1), pipe.producer)  # last: a spare copy
        else:
            with enigma.if_(kt + 1 < k_tiles):  # producer: K step kt + 1 into the other stage
                load_stage(kt + 1, pipe.producer)
        s_a, s_b = pipe.consumer  # consumer: K step kt
        enigma.gemm(acc, enigma.local_tile(s_a, (WM, BK), (wm, 0)),
                    enigma.local_tile(s_b, (WN, BK), (wn, 0)))  # fmt: skip
        pipe.advance()
    store_accumulator(acc, enigma.local_tile(g_c, (WM, WN), (wm, wn)))


@enigma.jit
def gemm(a, b, c, b_transposed: bool, async_copy: bool):
    m, k = a.shape
    n = c.shape[1]
    gemm_tiles(a, b, c, k // BK, b_transposed, async_copy).launch(grid=(n // BN, m // BM, 1),
                                                      block=(THREADS, 1, 1))  # fmt: skip


def run(m: int = 64, n: int = 64, k: int = 64, b_transposed: bool = False,
        async_copy: bool = False, seed: int = 0, device: str = "cpu"):  # fmt: skip
    """C = A @ B (B: K x N) or A @ B^T (B: N x K) for random float32 matrices, the tiles
    staged by `enigma.copy` or by SIMD-group async copies; returns (C, the float64 numpy
    reference, the MSL)."""
    if m % BM or n % BN or k % BK or min(m, n, k) <= 0:
        raise ValueError(f"M and N must be multiples of {BM}, K of {BK}; got {m}, {n}, {k}")
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((n, k) if b_transposed else (k, n)).astype(np.float32)
    c = np.zeros((m, n), np.float32)
    # B as the N x K Tensor the kernel expects, over the array as it is stored.
    b_layout = Layout((n, k), (k, 1)) if b_transposed else Layout((n, k), (1, n))
    tb = enigma.Tensor("b", 1, f32, layout=b_layout)
    prog = enigma.compile(gemm, a, tb, c, b_transposed, async_copy)
    prog(a, b, c, device=device)
    ref = a.astype(np.float64) @ (b.T if b_transposed else b).astype(np.float64)
    return c, ref, prog.metal_source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--m", type=int, default=128)
    parser.add_argument("--n", type=int, default=96)
    parser.add_argument("--k", type=int, default=80)
    parser.add_argument("--b-transposed", action="store_true", help="compute A @ B^T")
    parser.add_argument("--async-copy", action="store_true",
                        help="stage the tiles with SIMD-group async copies")  # fmt: skip
    parser.add_argument("--show-msl", action="store_true", help="print the kernel's MSL")
    args = parser.parse_args(argv)
    c, ref, msl = run(args.m, args.n, args.k, args.b_transposed, args.async_copy)
    if args.show_msl:
        print(msl)
    what = f"gemm_simdgroup {args.m}x{args.n}x{args.k}{' B^T' if args.b_transposed else ''}"
    what += " async" if args.async_copy else ""
    return report(what, max_error(c, ref) / np.sqrt(args.k), TOLERANCE)


if __name__ == "__main__":
    sys.exit(main())
