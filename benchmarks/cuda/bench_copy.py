"""Device-to-device copy bandwidth: the ceiling for the memory-bound benchmarks.

`dst.copy_(src)` (a cudaMemcpyAsync device to device) of a large f32 buffer;
bandwidth counts the bytes read plus the bytes written. The other benchmarks'
%-of-copy column divides by the best rate measured here.
"""

from __future__ import annotations

from timing import Row, measure, standalone


def run(quick: bool = False) -> list[Row]:
    import torch

    n = (4 if quick else 64) * 2**20
    src = torch.randn(n, device="cuda")
    dst = torch.empty_like(src)
    row = Row("copy", f"{n >> 20}M", "f32", "torch copy_", 2 * src.nbytes)
    return [measure(row, lambda args: args[1].copy_(args[0]), [(src, dst)], lambda a: a[1], src, 0)]


if __name__ == "__main__":
    standalone(run, __doc__.splitlines()[0])
