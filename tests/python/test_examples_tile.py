"""The tile-helper showcases of examples/ on the cpu device at small sizes: the vector add
through a TV layout (exact, float4 accesses in the MSL) and the pipelined simdgroup-matrix
GEMM (square, non-square, B transposed; float64 numpy reference, |error| <= 1e-4 sqrt(K)).
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))

import gemm_simdgroup  # noqa: E402
import vector_add_tv  # noqa: E402
from _check import max_error  # noqa: E402


@pytest.mark.parametrize("m, n", [(16, 128), (48, 256)])
def test_vector_add_tv(m, n):
    c, ref, msl = vector_add_tv.run(m, n, seed=m)
    assert max_error(c, ref) == 0.0
    assert "*(device const float4*)(a + " in msl and "*(device float4*)(c + " in msl


def test_vector_add_tv_main_exit_status(capsys):
    assert vector_add_tv.main(["--m", "16", "--n", "128"]) == 0
    assert "OK" in capsys.readouterr().out


@pytest.mark.parametrize(
    "m, n, k, b_transposed",
    [(64, 64, 64, False), (96, 32, 48, False), (32, 64, 16, True)],
)
def test_gemm_simdgroup(m, n, k, b_transposed):
    c, ref, msl = gemm_simdgroup.run(m, n, k, b_transposed, seed=k)
    assert max_error(c, ref) <= gemm_simdgroup.TOLERANCE * np.sqrt(k)
    assert "simdgroup_multiply_accumulate" in msl
    assert "*(device const float4*)(a + " in msl  # the copies of A's tiles are vectorized
    assert msl.count("threadgroup_barrier") == 2  # after the prologue, and per K step


def test_gemm_simdgroup_async_copy():
    c, ref, msl = gemm_simdgroup.run(64, 32, 32, b_transposed=True, async_copy=True)
    assert max_error(c, ref) <= gemm_simdgroup.TOLERANCE * np.sqrt(32)
    assert "__metal_simdgroup_async_copy_2d(" in msl


def test_gemm_simdgroup_main_and_bad_shape(capsys):
    assert gemm_simdgroup.main(["--m", "32", "--n", "64", "--k", "16", "--b-transposed"]) == 0
    assert "OK" in capsys.readouterr().out
    with pytest.raises(ValueError, match="multiples of 32"):
        gemm_simdgroup.run(40, 32, 16)
