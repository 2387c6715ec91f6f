"""benchmarks/cuda/kernels_tgm.py's threadgroup-matrix GEMM against numpy, at awkward sizes.

m, n and k are Scalars, so one compiled kernel serves every size: partial tiles in both
directions, a K that is not a multiple of the 64-wide slices, and (n = 300) rows of B
that are not 16-byte aligned, which the cuda device copies element by element instead
of through TMA. On the cpu device each product sums in f32 in K order, bit for bit the
float32 running sum; on tensor cores the order differs, within float_sums.py's bound.
"""

import os
import sys

import numpy as np
import pytest
from float_sums import assert_float32_sum
from test_bench_kernels_mma import _inputs

from enigma.dtypes import bfloat16_bits_to_float, float_to_bfloat16_bits

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "cuda"))
import kernels_tgm  # noqa: E402

import enigma  # noqa: E402


@pytest.mark.parametrize(
    ("dtype", "m", "n", "k"),
    [("bf16", 136, 264, 72), ("f16", 128, 256, 64), ("bf16", 200, 300, 40)],
)
def test_gemm_tgm_matches_numpy(dtype, m, n, k):
    rng = np.random.default_rng(11)
    a, a64 = _inputs((m, k), dtype, rng)
    b, b64 = _inputs((k, n), dtype, rng)
    c = np.zeros((m, n), a.dtype)
    grid, threads = kernels_tgm.gemm_tgm_launch(m, n)
    kernel = enigma.compile(kernels_tgm.make_gemm_tgm(dtype))
    kernel(a, b, c, m, n, k, grid=grid, threads=threads, device="cpu")
    running = np.zeros((m, n), np.float32)
    for kk in range(k):
        running = running + np.outer(a64[:, kk], b64[kk, :]).astype(np.float32)
    abs_sum = np.abs(a64) @ np.abs(b64)
    if dtype == "bf16":
        got = bfloat16_bits_to_float(c)
        rounded = bfloat16_bits_to_float(float_to_bfloat16_bits(running))
    else:
        got, rounded = c, running.astype(np.float16)
    result_type = {"bf16": "bfloat", "f16": "half"}[dtype]
    assert_float32_sum(got, rounded, running, abs_sum, k, result_type)


def test_gemm_tgm_launch_shape():
    assert kernels_tgm.gemm_tgm_launch(129, 257) == ((4 * 384, 1, 1), (384, 1, 1))
    with pytest.raises(ValueError, match="bf16 or f16"):
        kernels_tgm.make_gemm_tgm("f32")
