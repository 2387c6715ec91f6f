"""Vector add through a thread-value (TV) layout: C = A + B on M x N row-major matrices.

The host function (`@enigma.jit`) does all the index math with the layout algebra:

1. `make_layout_tv(thr, val)` with 4 x 32 threads (row-major) each holding a 4 x 4 block
   of values, row-major: the tile is (16, 128) and the TV layout maps (thread, value)
   to a position in the tile;
2. `zipped_divide(A, tiler)` views A as ((tile), (tiles)): one threadgroup per tile.

In the kernel, ``gA[(None, None), bid]`` is the threadgroup's tile,
``tensor_composition(tile, tv)[tid, None]`` the thread's 16 values, and `.load()` /
`.store()` move them: four values of a thread are consecutive in memory and aligned,
so each row of its block is one `float4` load (visible in the MSL, `--show-msl`).

Run: `python examples/vector_add_tv.py [--m M --n N]` (M a multiple of 16, N of 128);
it prints the max error against numpy (exactly 0: one float addition) and exits
non-zero on a mismatch.
"""

import argparse
import sys

import numpy as np
from _check import max_error, report

import enigma
from enigma import Layout, f32

TOLERANCE = 0.0  # one IEEE float32 addition, as numpy does it
THREADS = Layout((4, 32), (32, 1))  # 128 threads, row-major over the tile
VALUES = Layout((4, 4), (4, 1))  # each thread: a 4 x 4 block, rows contiguous


@enigma.kernel
def add_tv(a: f32, b: f32, c: f32, tv: enigma.Constexpr):
    tid = enigma.thread_index_in_threadgroup()
    bid = enigma.threadgroup_position_in_grid()
    # a, b, c are the zipped-divided views ((tile), (tiles)) built by the host function
    frags = []
    for t in (a, b):
        tile = t[(None, None), bid]
        frags.append(enigma.tensor_composition(tile, tv)[tid, None].load())
    out = enigma.make_fragment(frags[0].layout, f32)
    for v in enigma.range_constexpr(enigma.size(out.layout)):
        out[v] = frags[0][v] + frags[1][v]
    enigma.tensor_composition(c[(None, None), bid], tv)[tid, None].store(out)


@enigma.jit
def vector_add_tv(a, b, c):
    tiler, tv = enigma.make_layout_tv(THREADS, VALUES)
    ga, gb, gc = (enigma.tensor_zipped_divide(t, tiler) for t in (a, b, c))
    tiles = enigma.size(ga.layout[1])
    add_tv(ga, gb, gc, tv).launch(grid=(tiles, 1, 1), block=(enigma.size(THREADS), 1, 1))


def run(m: int = 64, n: int = 256, seed: int = 0, device: str = "cpu"):
    """C = A + B for M x N float32 matrices; returns (C, the numpy reference, the MSL)."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, n)).astype(np.float32)
    b = rng.standard_normal((m, n)).astype(np.float32)
    c = np.zeros((m, n), np.float32)
    prog = enigma.compile(vector_add_tv, a, b, c)
    prog(a, b, c, device=device)
    return c, a + b, prog.metal_source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--m", type=int, default=256)
    parser.add_argument("--n", type=int, default=1024)
    parser.add_argument("--show-msl", action="store_true", help="print the kernel's MSL")
    args = parser.parse_args(argv)
    c, ref, msl = run(args.m, args.n)
    if args.show_msl:
        print(msl)
    status = report(f"vector_add_tv {args.m}x{args.n} f32", max_error(c, ref), TOLERANCE)
    if "float4" not in msl:
        print("the MSL has no float4 accesses: the vector path was not taken")
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
