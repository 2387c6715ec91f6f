"""The fast f32 SIMT GEMM of benchmarks/cuda/kernels_gemm.py on the cpu device.

The kernel is the H100 benchmark's (bench_gemm.py, row "enigma-simt"); here it runs
against a float64 numpy product at 256 x 256 x 48: two threadgroup tiles in each
direction, a K loop of two iterations (two steps each) and the peeled last pair. One shape
only, made in a fixture: the unrolled kernel takes seconds to build for the cpu
device and NVRTC (`python benchmarks/cuda/run_all.py --dry-run` compiles it for
sm_90), so test_cuda_emit.py does not collect it.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "cuda"))

from kernels_gemm import gemm_f32_launch, make_gemm_f32  # noqa: E402

import enigma  # noqa: E402

TOLERANCE = 1e-5  # max |C - ref| / max |ref|: K <= 48 f32 fmas per output
M, N, K = 256, 256, 48


@pytest.fixture(scope="module")
def compiled():
    return enigma.compile(make_gemm_f32(M, N, K))


def test_gemm_f32_matches_numpy(compiled):
    m, n, k = M, N, K
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((k, n)).astype(np.float32)
    c = np.full((m, n), np.nan, np.float32)
    grid, threads = gemm_f32_launch(m, n)
    compiled(a, b, c, grid=grid, threads=threads, device="cpu")
    ref = a.astype(np.float64) @ b.astype(np.float64)
    assert np.abs(c - ref).max() / np.abs(ref).max() <= TOLERANCE


def test_gemm_f32_uses_float4_and_fma(compiled):
    # the MSL, already made for the cpu device: the CUDA prints the same vector accesses
    # (`*reinterpret_cast<const enigma_vec<float, 4>*>(a + i)`) from the same IR
    source = compiled.metal_source
    for access in ("device const float4*)(a + ", "device const float4*)(b + ",
                   "device float4*)(c + ", "THREADGROUP_POINTER float4*)(tg0 + "):  # fmt: skip
        assert access in source
    assert "fma(" in source


@pytest.mark.parametrize("shape", [(100, 128, 16), (128, 128, 24), (128, 128, 8)])
def test_gemm_f32_rejects_other_shapes(shape):
    with pytest.raises(enigma.EnigmaError, match="multiples of 128"):
        make_gemm_f32(*shape)
