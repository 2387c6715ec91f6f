"""benchmarks/cuda/kernels_mma.py's simdgroup GEMM on the cpu device, against numpy.

The kernel sums each 32-deep K slice in the element type (bf16 or f16 matrices) and
the slices in f32 (kernels_mma.py, "Accuracy"), so the bound is a few roundings to
the element type of each slice's partial sum: 8 ulps of the element type times the
sum of |products| of a slice, per slice. Sizes are small (one C tile, two
K slices) so the test stays under a few seconds; the K = 4096 accuracy is the
benchmark's check on the GPU.
"""

import os
import sys

import numpy as np
import pytest

from enigma.dtypes import bfloat16_bits_to_float, float_to_bfloat16_bits

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "cuda"))
import kernels_mma  # noqa: E402

import enigma  # noqa: E402

ULP = {"bf16": 2.0**-8, "f16": 2.0**-11}


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
    got = bfloat16_bits_to_float(c) if dtype == "bf16" else c
    expected = a64 @ b64
    # 8 ulps of each slice's sum of |products| (they add up to the whole), and C's rounding
    bound = 8 * ULP[dtype] * (np.abs(a64) @ np.abs(b64)) + ULP[dtype] * np.abs(expected)
    assert np.all(np.abs(got.astype(np.float64) - expected) <= bound)


def test_gemm_simdgroup_shape_errors():
    with pytest.raises(ValueError, match="multiples of 64"):
        kernels_mma.make_gemm_simdgroup(96, 64, 64)
    with pytest.raises(ValueError, match="bf16 or f16"):
        kernels_mma.make_gemm_simdgroup(64, 64, 64, "f32")
