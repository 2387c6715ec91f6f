"""1-D Laplacian stencil, out[i] = u[i-1] - 2 u[i] + u[i+1], with explicit boundaries.

One thread per point. The grid is rounded up to whole threadgroups, so the
threads past the end are masked off (`if_(i < n)`) and n need not be a multiple
of the threadgroup size. The two boundary conditions (pick one with `boundary`):

- "dirichlet" (default): u is 0 outside [0, n), so out[0] = -2 u[0] + u[1] and
  out[n-1] = u[n-2] - 2 u[n-1]. The out-of-range neighbours are never read:
  `load_if` skips the access and gives 0.
- "neumann": zero flux, the ghost point copies the edge (u[-1] = u[0],
  u[n] = u[n-1]), so out[0] = u[1] - u[0] and out[n-1] = u[n-2] - u[n-1]: the
  neighbour index is clamped into [0, n).

For n = 1 both neighbours are ghosts: -2 u[0] (Dirichlet) or 0 (Neumann).

Run: `python examples/laplacian_1d.py [--n N --boundary neumann]`; it checks the
result (and that nothing past out[n-1] was written) against a float64 numpy
reference and exits non-zero on a mismatch.
"""

import argparse
import functools
import sys

import numpy as np
from _check import max_error, report

import enigma
from enigma import Scalar, f32, i32

THREADS = 128
TOLERANCE = 1e-5  # max |error|; three float32 roundings of values in [-4, 4]
BOUNDARIES = ("dirichlet", "neumann")


@functools.cache
def make_kernel(boundary: str = "dirichlet"):
    """The stencil kernel for a boundary condition in BOUNDARIES.

    >>> k = make_kernel("neumann")
    >>> enigma.compile(k)(u, out, n, grid=(groups * 128, 1, 1), threads=(128, 1, 1))
    """
    if boundary not in BOUNDARIES:
        raise ValueError(f"boundary must be one of {BOUNDARIES}, not {boundary!r}")

    @enigma.kernel
    def laplacian_1d(u: f32, out: f32, n: Scalar(i32)):
        i = enigma.metal_cast(enigma.thread_position_in_grid, i32)
        with enigma.if_(i < n):
            if boundary == "dirichlet":  # a Python choice made at trace time
                left = enigma.load_if(u, i - 1, i > 0, default=0.0)
                right = enigma.load_if(u, i + 1, i + 1 < n, default=0.0)
            else:
                left = u[enigma.imax(i - 1, 0)]
                right = u[enigma.imin(i + 1, n - 1)]
            out[i] = left - 2.0 * u[i] + right

    return laplacian_1d


def reference(u: np.ndarray, boundary: str = "dirichlet") -> np.ndarray:
    """The stencil in float64 on u padded with its ghost points."""
    mode = "constant" if boundary == "dirichlet" else "edge"
    p = np.pad(u.astype(np.float64), 1, mode=mode)
    return p[:-2] - 2.0 * p[1:-1] + p[2:]


def run(n: int = 100_003, boundary: str = "dirichlet", seed: int = 0):
    """The stencil of random u on the cpu device; return (out, reference). `out` has 8
    sentinel entries past n (NaN): a write past the end makes them differ from the
    reference's NaNs.

    >>> out, ref = run(n=129, boundary="neumann")
    """
    rng = np.random.default_rng(seed)
    u = rng.uniform(-1, 1, n).astype(np.float32)
    out = np.full(n + 8, np.nan, np.float32)
    groups = -(-n // THREADS)
    enigma.compile(make_kernel(boundary))(
        u, out, n, grid=(groups * THREADS, 1, 1), threads=(THREADS, 1, 1), device="cpu"
    )
    ref = np.concatenate([reference(u, boundary), np.full(8, np.nan)])
    return out, ref


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_003)
    parser.add_argument("--boundary", choices=BOUNDARIES, default="dirichlet")
    args = parser.parse_args(argv)
    out, ref = run(args.n, args.boundary)
    what = f"laplacian_1d n={args.n} {args.boundary}"
    return report(what, max_error(out, ref), TOLERANCE)


if __name__ == "__main__":
    sys.exit(main())
