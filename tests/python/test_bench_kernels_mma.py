"""benchmarks/cuda/kernels_mma.py's simdgroup GEMM on the cpu device, against numpy.

The kernel multiplies bf16 (f16) tiles into float accumulators (kernels_mma.py,
"Accuracy"); on the cpu device the products are exact and summed in f32 in K order, so
C is bit for bit the float32 running sum of the products, rounded once to the element
type; on the GPU the tensor core's summation order differs, within the bound of
float_sums.py. Sizes are small (one C tile, two K slices) so the test stays under a
few seconds.
"""

import os
import sys

import numpy as np
import pytest
from float_sums import assert_float32_sum

from enigma.dtypes import bfloat16_bits_to_float, float_to_bfloat16_bits

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "cuda"))
import kernels_mma  # noqa: E402

import enigma  # noqa: E402


def _inputs(shape, dtype, rng):
    x = rng.standard_normal(shape).astype(np.float32)
    if dtype == "bf16":
        bits = float_to_bfloat16_bits(x)
        return bits, bfloat16_bits_to_float(bits).astype(np.float64)
    return x.astype(np.float16), x.astype(np.float16).astype(np.float64)


@pytest.mark.parametrize("dtype", ["bf16", "f16"])
def test_gemm_simdgroup_matches_numpy(dtype):
    m, n, k = 64, 64, 64
    rng = np.random.default_rng(5)
    a, a64 = _inputs((m, k), dtype, rng)
    b, b64 = _inputs((k, n), dtype, rng)
    c = np.zeros((m, n), a.dtype)
    grid, threads = kernels_mma.gemm_simdgroup_launch(m, n)
    kernel = kernels_mma.make_gemm_simdgroup(m, n, k, dtype)
    enigma.compile(kernel)(a, b, c, grid=grid, threads=threads, device="cpu")
    running = np.zeros((m, n), np.float32)
    for kk in range(k):
        running = running + np.outer(a64[:, kk], b64[kk, :]).astype(np.float32)
    abs_sum = np.abs(a64) @ np.abs(b64)
    if dtype == "bf16":
        got, rounded = (
            bfloat16_bits_to_float(c),
            bfloat16_bits_to_float(float_to_bfloat16_bits(running)),
        )
    else:
        got, rounded = c, running.astype(np.float16)
    result_type = {"bf16": "bfloat", "f16": "half"}[dtype]
    assert_float32_sum(got, rounded, running, abs_sum, k, result_type)


def test_gemm_simdgroup_shape_errors():
    with pytest.raises(ValueError, match="multiples of 64"):
        kernels_mma.make_gemm_simdgroup(96, 64, 64)
    with pytest.raises(ValueError, match="bf16 or f16"):
        kernels_mma.make_gemm_simdgroup(64, 64, 64, "f32")
