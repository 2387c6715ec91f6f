"""Shared pytest setup: an isolated on-disk cache per session; Mac-only tests skip elsewhere.

ENIGMA_TEST_DEVICE=cuda runs what the tests run on the cpu device (`device="cpu"`,
`enigma.runtime("cpu")`, the default device) on the cuda device instead: the lent
GPU runs the kernel-language and examples suites this way (scripts/device/run-gpu.sh).
A test stopped by an op that has no CUDA lowering yet (test_cuda_emit.NOT_LOWERED_YET)
is reported as skipped with that op.
"""

import os
import sys

import pytest

TEST_DEVICE = os.environ.get("ENIGMA_TEST_DEVICE", "cpu")


@pytest.fixture(autouse=True, scope="session")
def _test_device():
    if TEST_DEVICE == "cpu":
        yield
        return
    import enigma

    module = sys.modules["enigma.runtime"]  # `enigma.runtime` is also the function
    original = module.runtime

    def runtime(device=None):
        return original(TEST_DEVICE if device in (None, "cpu") else device)

    mp = pytest.MonkeyPatch()
    mp.setattr(module, "runtime", runtime)  # what launch() and compiled(...) call
    mp.setattr(enigma, "runtime", runtime)
    yield
    mp.undo()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if TEST_DEVICE != "cuda" or call.excinfo is None or report.when != "call":
        return
    from test_cuda_emit import _NOT_LOWERED, NOT_LOWERED_YET

    match = _NOT_LOWERED.search(str(call.excinfo.value))
    op = match and (match.group(2) or match.group(1) or "vector types")
    if op in NOT_LOWERED_YET:
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, f"no CUDA lowering yet: {op}")


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("ENIGMA_CACHE_DIR", str(tmp_path_factory.mktemp("enigma-cache")))
    yield
    mp.undo()


def pytest_collection_modifyitems(config, items):
    """Tests marked `metal` or `metal_toolchain` (or in a module so marked) skip without it."""
    from enigma import testing

    needs = {
        "metal": (testing.is_metal_available, "needs a Metal device (macOS with libEnigmaRuntime)"),
        "metal_toolchain": (
            testing.is_metal_toolchain_available,
            "needs the Metal toolchain (macOS with full Xcode: xcrun metal)",
        ),
        "cuda": (testing.is_cuda_available, "needs an NVIDIA GPU with cuda-bindings"),
    }
    # The macOS CI sets ENIGMA_REQUIRE_METAL=1: there a missing GPU or toolchain is a failure.
    required = os.environ.get("ENIGMA_REQUIRE_METAL") == "1"
    for item in items:
        for marker, (available, reason) in needs.items():
            if item.get_closest_marker(marker) is None or available():
                continue
            if required and marker != "cuda":
                raise pytest.UsageError(f"ENIGMA_REQUIRE_METAL=1 but {item.nodeid} {reason}")
            item.add_marker(pytest.mark.skip(reason=reason))
