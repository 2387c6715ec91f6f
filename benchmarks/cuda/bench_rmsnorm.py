"""RMSNorm of rows (4096 x 4096 f32, 8192 x 8192 bf16): Enigma vs torch eager vs Triton.

y = x / sqrt(mean(x^2) + eps) * w with f32 arithmetic; x, w, y share a dtype.
Torch is `torch.nn.functional.rms_norm` (or its formula where torch is older).
Bandwidth counts x read once and y written once (w is negligible). The check is
against a float64 reference; bf16 outputs round once (relative 2^-8).
"""

from __future__ import annotations

import kernels
from timing import Row, enigma_launcher, measure, rotations, standalone, triton_peers

EPS = 1e-6
VEC_PER_THREAD = (2, 4, 8)  # vectors per thread of the -vec rows
TOLERANCE = {"f32": 1e-5, "bf16": 1e-2}


def _torch_rmsnorm(x, w, y):
    """torch eager's RMSNorm, returning a new tensor (no copy into y is timed)."""
    import torch

    f = getattr(torch.nn.functional, "rms_norm", None)
    if f is not None:
        return f(x, (x.shape[1],), w, EPS)
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS) * w


def _case(rows: int, cols: int, dtype: str) -> list[Row]:
    import torch

    tdtype = {"f32": torch.float32, "bf16": torch.bfloat16}[dtype]
    size = tdtype.itemsize * rows * cols
    sets = []
    for _ in range(rotations(2 * size)):
        x = (torch.randn(rows, cols, device="cuda") * 3).to(tdtype)
        w = (torch.rand(cols, device="cuda") + 0.5).to(tdtype)
        sets.append((x, w, torch.empty_like(x)))
    x64, w64 = sets[0][0].double(), sets[0][1].double()
    ref = x64 * torch.rsqrt(x64.pow(2).mean(-1, keepdim=True) + EPS) * w64
    case, tol = f"{rows}x{cols}", TOLERANCE[dtype]

    def row(impl):
        return Row("rmsnorm", case, dtype, impl, 2 * size)

    def out(args):
        return args[2]

    threads = kernels.row_threads(cols)
    kernel = kernels.make_rmsnorm(cols, dtype)
    enigma = enigma_launcher(kernel, (rows * threads, 1, 1), (threads, 1, 1))

    def vec(per_thread: int):
        """The -vec kernel with `per_thread` vectors per thread, as a measured call."""
        threads = kernels.vec_row_threads(cols, per_thread)
        kernel = kernels.make_rmsnorm_vec(cols, dtype, per_thread)
        launch = enigma_launcher(kernel, (rows * threads, 1, 1), (threads, 1, 1))
        return lambda a: launch((*a, EPS))

    result = [
        measure(row("enigma"), lambda a: enigma((*a, EPS)), sets, out, ref, tol),
        *(measure(row(f"enigma-vec{p}"), vec(p), sets, out, ref, tol) for p in VEC_PER_THREAD),
        measure(row("torch"), lambda a: _torch_rmsnorm(*a), sets, out, ref, tol),
    ]
    peers = triton_peers()
    if peers is not None:
        call = lambda a: peers.rmsnorm(*a, EPS)  # noqa: E731
        result.append(measure(row("triton"), call, sets, out, ref, tol))
    return result


def run(quick: bool = False) -> list[Row]:
    cases = (
        [(1024, 1024, "f32"), (2048, 2048, "bf16")]
        if quick
        else [
            (4096, 4096, "f32"),
            (8192, 8192, "bf16"),
        ]
    )
    return [r for case in cases for r in _case(*case)]


if __name__ == "__main__":
    standalone(run, __doc__.splitlines()[0])
