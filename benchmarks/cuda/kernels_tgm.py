"""The threadgroup-matrix GEMM that benchmarks/cuda/ measures: C = A @ B, any m, n, k.

One threadgroup per 128 x 256 tile of C: 384 threads (2 x 128 + 128, as threadgroup
matrices of 128 rows need) make a float threadgroup matrix, add the product of A's
128-row band and B's 256-column band over all of K with one
`threadgroup_multiply_accumulate` (on the cuda device, sm_90a: TMA loads and wgmma,
docs/cuda.md "Threadgroup matrices"), and store it rounded to C's type. m, n and k are
Scalars: partial tiles are masked, and rows of A and B that are not 16-byte aligned take
the element-copy path.

Tiles are numbered so that GROUP consecutive threadgroups walk down one column of tiles
before moving right: the threadgroups resident at once share B's bands (and A's) in L2.
"""

import enigma
from enigma import Scalar, f32, u32

TILE_M, TILE_N = 128, 256  # a threadgroup's tile of C
THREADS = 2 * TILE_M + 128  # what threadgroup matrices of TILE_M rows need
GROUP = 8  # tile rows walked together (L2 reuse)


def make_gemm_tgm(dtype: str = "bf16"):
    """C = A @ B for row-major A (m x k), B (k x n), C (m x n) of `dtype` ("bf16" or
    "f16"), with products summed in float; launch with gemm_tgm_launch(m, n).

    >>> gemm = make_gemm_tgm("bf16")
    >>> gemm(a, b, c, m, n, k, grid=grid, threads=threads, device="cuda")
    """
    if dtype not in ("bf16", "f16"):
        raise ValueError(f"gemm_tgm takes bf16 or f16 (tensor-core inputs), not {dtype!r}")
    elem = {"bf16": enigma.bf16, "f16": enigma.f16}[dtype]

    @enigma.kernel
    def gemm_tgm(a: elem, b: elem, c: elem, m: Scalar(u32), n: Scalar(u32), k: Scalar(u32)):
        tiles_m = (m + (TILE_M - 1)) // TILE_M
        tiles_n = (n + (TILE_N - 1)) // TILE_N
        tile = enigma.threadgroup_position_in_grid("x")
        group, within = tile // (GROUP * tiles_n), tile % (GROUP * tiles_n)
        group_rows = enigma.imin(tiles_m - group * GROUP, GROUP)
        row0 = (group * GROUP + within % group_rows) * TILE_M
        col0 = within // group_rows * TILE_N
        acc = enigma.make_filled_threadgroup_matrix(f32, 0.0, rows=TILE_M, cols=TILE_N)
        acc = enigma.threadgroup_multiply_accumulate(
            a, b, acc, k=k, a_stride=k, b_stride=n, a_offset=row0 * k, b_offset=col0,
            a_rows=m - row0, b_cols=n - col0,
        )  # fmt: skip
        enigma.threadgroup_matrix_store(
            acc, c, n, offset=row0 * n + col0, rows=m - row0, cols=n - col0
        )

    return gemm_tgm


def gemm_tgm_launch(m: int, n: int) -> tuple[tuple, tuple]:
    """(grid in threads, threads) of make_gemm_tgm's kernel for an m x n output."""
    tiles = -(-m // TILE_M) * -(-n // TILE_N)
    return (tiles * THREADS, 1, 1), (THREADS, 1, 1)
