"""Row softmax of 8192 x 4096 f32: Enigma vs torch eager vs Triton.

Bandwidth counts x read once and y written once. The check is against a
float64 reference (max error relative to the largest output).
"""

from __future__ import annotations

import kernels
from timing import Row, enigma_launcher, measure, rotations, standalone, triton_peers

TOLERANCE = 1e-5


def _case(rows: int, cols: int) -> list[Row]:
    import torch

    size = 4 * rows * cols
    sets = [
        (torch.randn(rows, cols, device="cuda") * 4, torch.empty(rows, cols, device="cuda"))
        for _ in range(rotations(2 * size))
    ]
    ref = torch.softmax(sets[0][0].double(), dim=-1)
    case = f"{rows}x{cols}"

    def row(impl):
        return Row("softmax", case, "f32", impl, 2 * size)

    def out(args):
        return args[1]

    threads = kernels.row_threads(cols)
    enigma = enigma_launcher(kernels.make_softmax(cols), (rows * threads, 1, 1), (threads, 1, 1))

    def vec(per_thread: int):
        """The -vec kernel with `per_thread` vectors per thread, as a measured call."""
        threads = kernels.vec_row_threads(cols, per_thread)
        kernel = kernels.make_softmax_vec(cols, per_thread)
        return enigma_launcher(kernel, (rows * threads, 1, 1), (threads, 1, 1))

    result = [
        measure(row("enigma"), enigma, sets, out, ref, TOLERANCE),
        *(measure(row(f"enigma-vec{p}"), vec(p), sets, out, ref, TOLERANCE) for p in (2, 4, 8)),
        measure(row("torch"), lambda a: torch.softmax(a[0], -1), sets, out, ref, TOLERANCE),
    ]
    peers = triton_peers()
    if peers is not None:
        call = lambda a: peers.softmax(*a)  # noqa: E731
        result.append(measure(row("triton"), call, sets, out, ref, TOLERANCE))
    return result


def run(quick: bool = False) -> list[Row]:
    return _case(1024, 1024) if quick else _case(8192, 4096)


if __name__ == "__main__":
    standalone(run, __doc__.splitlines()[0])
