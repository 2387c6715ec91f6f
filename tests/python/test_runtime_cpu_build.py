"""Building kernels for the cpu device: the object cache, compiler errors, and build cost.

The cache must never run clang for an object it already has, and a failed
build must leave nothing a later run would load. The cost of a cold build and
of a fiber switch are printed (run with -s), never asserted (SPEC §7).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_cpu_device import reduce_kernel, vector_add

from enigma.errors import EnigmaError
from enigma.runtime import launch
from enigma.runtime.cpu import build, library, load_kernel


def test_second_build_is_a_cache_hit(tmp_path, monkeypatch):
    monkeypatch.setenv("ENIGMA_CACHE_DIR", str(tmp_path))
    kernel = vector_add("int")
    path, seconds = build.build_object(kernel)
    assert path.parent == tmp_path / "cpu" and seconds > 0

    def no_clang(*_args, **_kwargs):
        raise AssertionError("clang ran on a cache hit")

    monkeypatch.setattr(build, "_invoke_compiler", no_clang)
    assert build.build_object(kernel) == (path, 0.0)
    assert [p.name for p in (tmp_path / "cpu").iterdir()] == [path.name]  # no temp dirs left


def test_clang_error_is_an_enigma_error_with_the_message(tmp_path, monkeypatch):
    monkeypatch.setenv("ENIGMA_CACHE_DIR", str(tmp_path))
    broken = vector_add("float")
    broken.kernel_name = "broken"
    broken.metal_source = broken.metal_source.replace("vector_add_float(", "broken(").replace(
        "float v4 = v2 + v3;", "float v4 = v2 + undefined_value;"
    )
    with pytest.raises(
        EnigmaError,
        match=r"(?s)clang could not compile kernel `broken`.*"
        r"broken\.metal:\d+:\d+: error: use of undeclared "
        r"identifier 'undefined_value'",
    ):
        load_kernel(broken)
    assert not list((tmp_path / "cpu").glob("*.so"))  # nothing a later run could trust


# --- measurements (printed, never asserted: SPEC §7) -------------------------------------------


def test_report_cold_build_time_and_fiber_switch_cost(tmp_path, monkeypatch):
    monkeypatch.setenv("ENIGMA_CACHE_DIR", str(tmp_path))
    kernel = reduce_kernel("reduce_timed")
    loaded = load_kernel(kernel)
    x = np.ones(512, np.float32)
    sums = np.zeros(2, np.float32)
    launch(kernel, (x, sums), grid=(512,), threads=(256,))
    np.testing.assert_array_equal(sums, [256, 256])
    switch_ns = library.fiber_switch_ns(2_000_000)
    print(
        f"\ncpu device: cold build of `{kernel.kernel_name}` {loaded.build_seconds * 1e3:.0f} ms,"
        f" fiber switch {switch_ns:.1f} ns, {library.worker_count()} workers"
    )
