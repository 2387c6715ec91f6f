"""Metal execution tests (SPEC §7 tier 4): the MetalRuntime checks on a real Apple GPU.

The same checks as the test device's (metal_checks.py), plus what only a GPU
shows: the default device is metal, kernels load from a metallib or from MSL
compiled in process, and GPU timestamps time a dispatch. Everything here is
marked `requires_metal` and skips, with its reason, where no Metal device and
libEnigmaRuntime exist (Linux, a Mac without the runtime built).
"""

from __future__ import annotations

import metal_checks
import numpy as np
import pytest

import enigma
from enigma.runtime import default_device
from enigma.runtime.metal import MetalRuntime
from enigma.testing import requires_metal


@pytest.fixture(scope="module")
def rt():
    return enigma.runtime("metal")


@requires_metal
@pytest.mark.parametrize("check", metal_checks.ALL_CHECKS, ids=lambda c: c.__name__[6:])
def test_core_checks(rt, check):
    check(rt)


@requires_metal
def test_metal_is_the_default_device(rt):
    assert default_device() == "metal"
    assert isinstance(rt, MetalRuntime) and rt.kind == "metal"
    family = rt.device_capabilities()["gpu_family"]
    assert family.startswith(("apple", "mac")), family


@requires_metal
def test_direct_call_on_the_gpu():
    ck = enigma.compile(metal_checks.scale_in_place)
    x = np.arange(1000, dtype=np.float32)
    ck(x, 3.0, grid=(1000,), threads=(256,))  # the default device: metal
    np.testing.assert_array_equal(x, np.arange(1000, dtype=np.float32) * 3)


@requires_metal
def test_msl_compiled_in_process_without_a_metallib(rt):
    ck = enigma.compile(metal_checks.scale_in_place, emit_only=True)
    assert ck.metallib_bytes is None  # the runtime compiles the MSL (makeLibrary(source:))
    out = rt.execute(ck, [np.ones(64, np.float32)], grid=(64,), threads=(64,), scalars=[2.0])
    np.testing.assert_array_equal(np.frombuffer(out, np.float32), 2)
