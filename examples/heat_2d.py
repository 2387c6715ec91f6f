"""One explicit step of the 2-D heat equation, with a halo tile in threadgroup memory.

    u'[y, x] = u[y, x] + alpha (u[y-1, x] + u[y+1, x] + u[y, x-1] + u[y, x+1] - 4 u[y, x])

Each T x T threadgroup updates one T x T tile of the H x W domain. Its threads
first load the (T+2) x (T+2) tile including the one-point halo into
threadgroup memory (a strided loop: there are more halo points than threads),
then wait at a barrier, then apply the 5-point stencil from threadgroup memory
only, so each value of u is read from device memory about once instead of five
times. Boundary condition: Dirichlet zero, u is 0 outside the domain; the halo
points outside it are filled with 0 by `load_if`, which never touches memory
there. Threads of tiles that overhang the domain (H and W need not be multiples
of T) help load the halo but write nothing.

Run: `python examples/heat_2d.py [--height H --width W --steps S]`; it checks
every point (edges, corners and tile seams included) against a float64 numpy
reference and exits non-zero on a mismatch.
"""

import argparse
import functools
import sys

import numpy as np
from _check import max_error, report

import enigma
from enigma import Scalar, f32, i32
from enigma.layout import Layout, idx2crd

TILE = 16  # T: the threadgroup is T x T threads
TOLERANCE = 1e-5  # max |error| for up to ~10 steps on values in [0, 1]


@functools.cache
def make_kernel(tile: int = TILE):
    """The heat step for T x T tiles (T * T threads a threadgroup, at most 1024).

    >>> k = make_kernel(16)
    >>> enigma.compile(k)(u, u_next, height, width, 0.2,
    ...                   grid=(tiles_x * 16, tiles_y * 16, 1), threads=(16, 16, 1))
    """
    halo = tile + 2  # the halo tile's side
    threads = tile * tile
    # The halo tile in threadgroup memory, row-major: (row, col) -> row * (T+2) + col.
    halo_tile = Layout((halo, halo), (halo, 1))

    @enigma.kernel
    def heat_2d(u: f32, u_next: f32, height: Scalar(i32), width: Scalar(i32), alpha: Scalar(f32)):
        shared = enigma.threadgroup_alloc(f32, halo_tile.cosize())
        # Halo-tile coordinates are unsigned; domain coordinates are signed (the halo
        # starts at -1 on the top and left edges).
        tx = enigma.thread_position_in_threadgroup("x")
        ty = enigma.thread_position_in_threadgroup("y")
        y0 = enigma.metal_cast(enigma.threadgroup_position_in_grid("y"), i32) * tile - 1
        x0 = enigma.metal_cast(enigma.threadgroup_position_in_grid("x"), i32) * tile - 1

        for k in enigma.range(enigma.thread_index_in_threadgroup(), halo * halo, threads):
            # Consecutive k walk along a row (col fastest), so neighbouring threads read
            # neighbouring addresses of u.
            col, row = idx2crd(k, (halo, halo))
            gy = y0 + enigma.metal_cast(row, i32)
            gx = x0 + enigma.metal_cast(col, i32)
            inside = (gy >= 0) & (gy < height) & (gx >= 0) & (gx < width)
            shared[halo_tile(row, col)] = enigma.load_if(u, gy * width + gx, inside, default=0.0)
        enigma.barrier()

        gy = y0 + 1 + enigma.metal_cast(ty, i32)
        gx = x0 + 1 + enigma.metal_cast(tx, i32)
        with enigma.if_((gy < height) & (gx < width)):
            r, c = ty + 1, tx + 1  # this thread's point in the halo tile
            centre = shared[halo_tile(r, c)]
            up, down = shared[halo_tile(r - 1, c)], shared[halo_tile(r + 1, c)]
            left, right = shared[halo_tile(r, c - 1)], shared[halo_tile(r, c + 1)]
            neighbours = up + down + left + right
            u_next[gy * width + gx] = centre + alpha * (neighbours - 4.0 * centre)

    return heat_2d


def reference(u: np.ndarray, alpha: float, steps: int = 1) -> np.ndarray:
    """`steps` heat steps in float64 with zero outside the domain."""
    u = u.astype(np.float64)
    for _ in range(steps):
        p = np.pad(u, 1)
        u = u + alpha * (p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4.0 * u)
    return u


def run(height: int = 200, width: int = 300, steps: int = 1, alpha: float = 0.2, seed: int = 0):
    """`steps` heat steps of random u on the cpu device (one launch a step, swapping the
    two buffers); return (u after the steps, float64 reference).

    >>> u, ref = run(height=17, width=33, steps=2)
    """
    rng = np.random.default_rng(seed)
    u0 = rng.uniform(0, 1, (height, width)).astype(np.float32)
    src, dst = u0.copy(), np.zeros_like(u0)
    compiled = enigma.compile(make_kernel())
    grid = (-(-width // TILE) * TILE, -(-height // TILE) * TILE, 1)
    for _ in range(steps):
        compiled(src, dst, height, width, alpha, grid=grid, threads=(TILE, TILE, 1), device="cpu")
        src, dst = dst, src
    return src, reference(u0, alpha, steps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--height", type=int, default=200)
    parser.add_argument("--width", type=int, default=300)
    parser.add_argument("--steps", type=int, default=1)
    args = parser.parse_args(argv)
    u, ref = run(args.height, args.width, args.steps)
    what = f"heat_2d {args.height}x{args.width}, {args.steps} step(s)"
    return report(what, max_error(u, ref), TOLERANCE)


if __name__ == "__main__":
    sys.exit(main())
