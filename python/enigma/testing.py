"""Helpers for tests that depend on the platform (SPEC §4 Tooling).

>>> @enigma.testing.requires_metal
... def test_on_gpu(): ...
"""

from __future__ import annotations

import functools
import platform
import sys


def is_darwin() -> bool:
    return sys.platform == "darwin"


def is_apple_silicon() -> bool:
    return is_darwin() and platform.machine() == "arm64"


def is_metal_available() -> bool:
    """True when a Metal device can run kernels (macOS with the Enigma runtime)."""
    if not is_darwin():
        return False
    from .runtime import metal

    return metal.is_available()


def is_cuda_available() -> bool:
    """True when the cuda device can run kernels (an NVIDIA GPU and cuda-bindings)."""
    from .runtime import cuda

    return cuda.is_available()


def is_metal_toolchain_available() -> bool:
    """True where `xcrun` finds Xcode's `metal` and `metallib` (what builds .metallib files)."""
    from .compiler.metal_toolchain import metal_toolchain_available

    return metal_toolchain_available()


def _skip_unless(condition, reason: str, marker: str | None = None):
    def decorate(fn):
        import pytest

        if marker is not None:
            # `pytest -m metal` selects these tests on a Mac (register the marker in
            # your pytest configuration, as Enigma's pyproject.toml does).
            fn = getattr(pytest.mark, marker)(fn)
        return pytest.mark.skipif(not condition(), reason=reason)(fn)

    return decorate


requires_metal = _skip_unless(
    is_metal_available, "needs a Metal device (macOS with libEnigmaRuntime)", marker="metal"
)
requires_metal_toolchain = _skip_unless(
    is_metal_toolchain_available,
    "needs the Metal toolchain (macOS with full Xcode: xcrun metal)",
    marker="metal_toolchain",
)
requires_cuda = _skip_unless(
    is_cuda_available, "needs an NVIDIA GPU with cuda-bindings (the cuda device)", marker="cuda"
)
requires_apple_silicon = _skip_unless(is_apple_silicon, "needs an Apple Silicon Mac")


def skip_if_no_metal(fn=None, *, reason: str = "needs a Metal device (macOS)"):
    """Decorator (or `pytest` call inside a test) that skips when Metal is absent."""
    if fn is None:
        if not is_metal_available():
            import pytest

            pytest.skip(reason)
        return None

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not is_metal_available():
            import pytest

            pytest.skip(reason)
        return fn(*args, **kwargs)

    return wrapper
