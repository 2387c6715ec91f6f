"""GEMM C = A @ B, bf16 and f32, 4096^3 (8192^3 with --large): Enigma vs cuBLAS.

cuBLAS is `torch.matmul` (TF32 off, so f32 is true f32 on both sides). Enigma
rows: `-tiled`, the plain 64 x 64 threadgroup-memory GEMM of kernels.py (both
dtypes); `-simt` (f32), the 128 x 128 register-blocked GEMM of kernels_gemm.py;
`-simdgroup` (bf16), simdgroup matrices on tensor cores (kernels_mma.py);
`-threadgroup` (bf16), a threadgroup matrix per 128 x 256 tile (kernels_tgm.py: TMA
and wgmma on sm_90a). The check is against a float64 product (error relative to the
largest output).
"""

from __future__ import annotations

import kernels
import kernels_gemm
import kernels_mma
import kernels_tgm
from timing import Row, enigma_launcher, measure, standalone

TOLERANCE = {"f32": 1e-4, "bf16": 1e-2}


def _case(size: int, dtype: str) -> list[Row]:
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    tdtype = {"f32": torch.float32, "bf16": torch.bfloat16}[dtype]
    a = torch.randn(size, size, device="cuda").to(tdtype)
    b = torch.randn(size, size, device="cuda").to(tdtype)
    sets = [(a, b, torch.empty(size, size, device="cuda", dtype=tdtype))]
    ref = a.double() @ b.double()
    case, tol = f"{size}^3", TOLERANCE[dtype]

    def row(impl):
        return Row("gemm", case, dtype, impl, 2.0 * size**3, "TFLOP/s")

    def out(args):
        return args[2]

    grid, threads = kernels.gemm_launch(size, size)
    enigma = enigma_launcher(kernels.make_gemm(size, size, size, dtype), grid, threads)
    cublas = lambda args: torch.matmul(args[0], args[1], out=args[2])  # noqa: E731
    rows = [measure(row("enigma-tiled"), enigma, sets, out, ref, tol)]
    if dtype == "bf16":  # tensor cores (mma.sync) through simdgroup matrices
        sg_grid, sg_threads = kernels_mma.gemm_simdgroup_launch(size, size)
        sg_kernel = kernels_mma.make_gemm_simdgroup(size, size, size, dtype)
        simdgroup = enigma_launcher(sg_kernel, sg_grid, sg_threads)
        rows.append(measure(row("enigma-simdgroup"), simdgroup, sets, out, ref, tol))
        tg_grid, tg_threads = kernels_tgm.gemm_tgm_launch(size, size)
        tg = enigma_launcher(kernels_tgm.make_gemm_tgm(dtype), tg_grid, tg_threads)
        tg_call = lambda args: tg((*args, size, size, size))  # noqa: E731  (m, n, k)
        rows.append(measure(row("enigma-threadgroup"), tg_call, sets, out, ref, tol))
    if dtype == "f32":
        simt_grid, simt_threads = kernels_gemm.gemm_f32_launch(size, size)
        simt_kernel = kernels_gemm.make_gemm_f32(size, size, size)
        simt = enigma_launcher(simt_kernel, simt_grid, simt_threads)
        rows.append(measure(row("enigma-simt"), simt, sets, out, ref, tol))
    return rows + [measure(row("cuBLAS"), cublas, sets, out, ref, tol)]


def run(quick: bool = False, large: bool = False) -> list[Row]:
    sizes = [1024] if quick else [4096] + ([8192] if large else [])
    return [r for size in sizes for dtype in ("bf16", "f32") for r in _case(size, dtype)]


if __name__ == "__main__":
    standalone(run, __doc__.splitlines()[0])
