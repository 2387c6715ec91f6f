"""Vector add c = a + b in f32 (16M and 64M elements): Enigma vs torch eager vs Triton.

Enigma runs three kernels (kernels.py): one element per thread, four per thread
(`-ilp`) and float4 elements (`-float4`: 16-byte accesses). Bandwidth counts
3 x 4 bytes per element.
"""

from __future__ import annotations

import kernels
from timing import Row, enigma_launcher, measure, rotations, standalone, triton_peers

THREADS = 256


def _case(n: int) -> list[Row]:
    import torch

    count = rotations(12 * n)
    sets = [
        (
            torch.randn(n, device="cuda"),
            torch.randn(n, device="cuda"),
            torch.empty(n, device="cuda"),
        )
        for _ in range(count)
    ]
    ref = sets[0][0] + sets[0][1]  # one f32 addition each: exact equality expected
    case, work = f"{n >> 20}M", 12 * n

    def row(impl):
        return Row("vector_add", case, "f32", impl, work)

    def out(args):
        return args[2]

    quarter = n // kernels.VECTOR_ADD_ILP
    enigma_plain = enigma_launcher(kernels.vector_add, (n, 1, 1), (THREADS, 1, 1))
    enigma_ilp = enigma_launcher(kernels.vector_add_ilp, (quarter, 1, 1), (THREADS, 1, 1))
    enigma_f4 = enigma_launcher(kernels.vector_add_float4, (n // 4, 1, 1), (THREADS, 1, 1))
    rows = [
        measure(row("enigma"), enigma_plain, sets, out, ref, 0.0),
        measure(row("enigma-ilp"), lambda a: enigma_ilp((*a, quarter)), sets, out, ref, 0.0),
        measure(row("enigma-float4"), enigma_f4, sets, out, ref, 0.0),
        measure(row("torch"), lambda a: torch.add(a[0], a[1], out=a[2]), sets, out, ref, 0.0),
    ]
    peers = triton_peers()
    if peers is not None:
        rows.append(measure(row("triton"), lambda a: peers.add(*a), sets, out, ref, 0.0))
    return rows


def run(quick: bool = False) -> list[Row]:
    sizes = [2**20, 4 * 2**20] if quick else [16 * 2**20, 64 * 2**20]
    return [r for n in sizes for r in _case(n)]


if __name__ == "__main__":
    standalone(run, __doc__.splitlines()[0])
