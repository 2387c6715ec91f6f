"""The shortcuts of a cached compile keep their results: the loop rewrite's no-loop check
and NVRTC's cache key.

loop_rewrite skips reading and parsing a kernel's source when no name of its code can
reach enigma.range; these tests check that every spelling the rewriter recognises still
reaches it (alias, closure, module chain, nested function), that kernels without such a
loop run their own code, and that a redefined kernel traces anew. NVRTC's cache key
names the library file instead of asking the loaded library its version, so a cache
hit must not load NVRTC, and another library must give another key.
"""

import types

import numpy as np
import pytest

import enigma
import enigma.language as language
from enigma import f32
from enigma import range as erange
from enigma.compiler import nvrtc
from enigma.language import loop_rewrite
from enigma.language.loop_rewrite import rewrite_range_loops


def may_name_range(kernel) -> bool:
    code, closure = kernel.fn.__code__, kernel.fn.__closure__ or ()
    return loop_rewrite._may_name_range(
        kernel.fn, dict(zip(code.co_freevars, closure, strict=True))
    )


def rewritten(kernel) -> bool:
    return rewrite_range_loops(kernel.fn) is not kernel.fn


@enigma.kernel
def constexpr_only(a: f32, out: f32):
    i = enigma.thread_position_in_grid
    acc = 0.0
    for k in enigma.range_constexpr(4):
        acc = acc + a[i] * k
    for _k in range(2):  # a Python loop: builtins.range, not enigma.range
        acc = acc + 1.0
    out[i] = acc


@enigma.kernel
def through_alias(a: f32, out: f32):
    i = enigma.thread_position_in_grid
    acc = 0.0
    for _k in erange(3):
        acc = acc + a[i]
    out[i] = acc


@enigma.kernel
def through_modules(a: f32, out: f32):
    i = enigma.thread_position_in_grid
    acc = 0.0
    for _k in language.range_loop.range(3):
        acc = acc + a[i]
    out[i] = acc


def make_in_closure(loops: int):
    my_range = enigma.range

    @enigma.kernel
    def in_closure(a: f32, out: f32):
        i = enigma.thread_position_in_grid
        acc = 0.0

        def inner():
            total = 0.0
            for _k in my_range(loops):  # a nested function's loop over a captured alias
                total = total + a[i]
            return total

        acc = inner()
        out[i] = acc

    return in_closure


def test_kernels_without_enigma_range_run_their_own_code():
    assert not may_name_range(constexpr_only)  # so its source is never read
    assert not rewritten(constexpr_only)
    a = np.arange(4, dtype=np.float32)
    out = np.zeros(4, np.float32)
    enigma.compile(constexpr_only)(a, out, grid=(4, 1, 1), threads=(4, 1, 1), device="cpu")
    np.testing.assert_array_equal(out, a * 6 + 2)


@pytest.mark.parametrize("kernel", [through_alias, through_modules, make_in_closure(3)])
def test_every_spelling_of_enigma_range_is_rewritten(kernel):
    assert may_name_range(kernel)
    assert rewritten(kernel)
    a = np.arange(4, dtype=np.float32)
    out = np.zeros(4, np.float32)
    enigma.compile(kernel)(a, out, grid=(4, 1, 1), threads=(4, 1, 1), device="cpu")
    np.testing.assert_array_equal(out, a * 3)


def test_a_module_getattr_counts_as_maybe_enigma_range():
    lazy = types.ModuleType("lazy")
    lazy.__getattr__ = lambda name: enigma.range  # what it returns is unknown until called

    def body(n):
        for _k in lazy.anything(n):
            pass

    assert rewrite_range_loops(body) is not body


def test_a_redefined_kernel_traces_with_its_new_closure():
    two, five = make_in_closure(2).trace().to_json(), make_in_closure(5).trace().to_json()
    assert two != five


needs_nvrtc = pytest.mark.skipif(not nvrtc.available(), reason="NVRTC is not installed")


@needs_nvrtc
def test_nvrtc_cache_hit_does_not_load_the_library(monkeypatch, tmp_path):
    monkeypatch.setenv("ENIGMA_CACHE_DIR", str(tmp_path))
    source = 'extern "C" __global__ void k(float* a) { a[threadIdx.x] = 1.0f; }'
    first = nvrtc.compile_cuda(source, name="k.cu", arch="compute_90")

    def refuse():
        raise AssertionError("a cache hit loaded NVRTC")

    monkeypatch.setattr(nvrtc, "_library", refuse)
    assert nvrtc.compile_cuda(source, name="k.cu", arch="compute_90") == first


@needs_nvrtc
def test_nvrtc_cache_key_changes_with_the_library(monkeypatch):
    flags = nvrtc.options("sm_90")
    before = nvrtc._cache_key("x", flags)
    monkeypatch.setattr(nvrtc, "_library_fingerprint", lambda: "/other/libnvrtc.so:1:2")
    assert nvrtc._cache_key("x", flags) != before
