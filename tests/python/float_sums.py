"""Checking a device's float32 sums of exact products (simdgroup matrices) against the model.

The cpu device sums the exact products of half or bfloat inputs in float32 in K order,
so its results equal the float32 running sum bit for bit. The cuda device runs those
products on tensor cores (mma.sync), which add the same exact products in their own
order: there the result must lie within the float32 summation bound
2 * terms * 2^-24 * sum|terms| of the running sum, plus one unit in the last place of
the type the result is rounded to, if any.
"""

import os

import numpy as np

ON_TENSOR_CORES = os.environ.get("ENIGMA_TEST_DEVICE", "cpu") == "cuda"
UNIT = {"float": 0.0, "half": 2.0**-10, "bfloat": 2.0**-7}  # relative ulp of the result


def assert_float32_sum(got, rounded, running, abs_sum, terms: int, result_type: str):
    """`got` (as float64) is `rounded` (the running sum in `result_type`) exactly on the
    cpu device; on tensor cores it is within the bound of `running` (the float32 sum
    before rounding). `abs_sum` is the elementwise sum of |terms| of each result."""
    got = np.asarray(got, np.float64)
    if not ON_TENSOR_CORES:
        np.testing.assert_array_equal(got, np.asarray(rounded, np.float64))
        return
    running = np.asarray(running, np.float64)
    bound = 2 * terms * 2.0**-24 * np.asarray(abs_sum, np.float64)
    bound = bound + UNIT[result_type] * np.abs(running) + 2.0**-24
    excess = np.abs(got - running) - bound
    assert (excess <= 0).all(), f"off by {np.abs(got - running).max():.3g} past the bound"
