"""Shared pytest setup: an isolated on-disk cache per session; Mac-only tests skip elsewhere."""

import os

import pytest


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
    }
    # The macOS CI sets ENIGMA_REQUIRE_METAL=1: there a missing GPU or toolchain is a failure.
    required = os.environ.get("ENIGMA_REQUIRE_METAL") == "1"
    for item in items:
        for marker, (available, reason) in needs.items():
            if item.get_closest_marker(marker) is None or available():
                continue
            if required:
                raise pytest.UsageError(f"ENIGMA_REQUIRE_METAL=1 but {item.nodeid} {reason}")
            item.add_marker(pytest.mark.skip(reason=reason))
