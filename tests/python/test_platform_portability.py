"""The macOS (and arm64) branches of the cpu device's Python side, checked on Linux.

The package is built and run on Linux only here, so the choices that differ on a
Mac are tested by pretending to be one (monkeypatching `sys.platform` and
`platform.machine()`): the name of libenigma_cpu and where it is looked for, the
clang flags for kernel objects, and the fallback compilers. Where clang-22 is
installed, the flags chosen for Apple Silicon are also handed to it, targeting
arm64-apple-macos, on a header-free source: the driver must accept them all and
they must keep their meaning (bf16 rounded after each operation, stack probes
for the fiber guard page). Linking for macOS needs ld64, which Linux lacks.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

import enigma
from enigma.errors import EnigmaError
from enigma.runtime.cpu import build, library

DARWIN_ARM64_FLAGS = [
    "-O2",
    "-std=c++17",
    "-dynamiclib",
    "-Wl,-undefined,dynamic_lookup",
    "-fPIC",
    "-fno-exceptions",
    "-fno-rtti",
    "-fwrapv",
    "-fsigned-char",
    "-fno-math-errno",
    "-ffp-contract=off",
    "-Xclang",
    "-ffloat16-excess-precision=none",
    "-Xclang",
    "-fbfloat16-excess-precision=none",
    "-fno-strict-float-cast-overflow",
    "-Xclang",
    "-fstack-clash-protection",
    "-fvisibility=hidden",
    "-rtlib=compiler-rt",
    "-nostdlib++",
]


def test_library_file_name_follows_the_platform(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert library.library_file_name() == "libenigma_cpu.so"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert library.library_file_name() == "libenigma_cpu.dylib"


def test_library_path_finds_the_dylib_on_macos(monkeypatch, tmp_path):
    monkeypatch.delenv("ENIGMA_CPU_RUNTIME", raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(enigma, "__path__", [str(tmp_path / "src"), str(tmp_path / "site")])
    missing = r"looked for .*src/lib/libenigma_cpu\.dylib, .*site/lib/libenigma_cpu\.dylib"
    with pytest.raises(EnigmaError, match=missing + r"(.|\n)*a built libenigma_cpu\.dylib"):
        library.library_path()
    built = tmp_path / "site" / "lib" / "libenigma_cpu.dylib"
    built.parent.mkdir(parents=True)
    built.write_bytes(b"")
    (tmp_path / "site" / "lib" / "libenigma_cpu.so").write_bytes(b"")  # not this one on macOS
    assert library.library_path() == built


def test_linux_x86_64_flags_are_the_base_flags():
    assert build.platform_flags(list(build.BASE_FLAGS), "linux", "x86_64") == list(build.BASE_FLAGS)


def test_darwin_arm64_flags():
    assert build.platform_flags(list(build.BASE_FLAGS), "darwin", "arm64") == DARWIN_ARM64_FLAGS


def test_linux_aarch64_changes_only_the_excess_precision_flag():
    flags = build.platform_flags(list(build.BASE_FLAGS), "linux", "aarch64")
    at = build.BASE_FLAGS.index("-fexcess-precision=16")
    assert flags[:at] + flags[at + 4 :] == [*build.BASE_FLAGS[:at], *build.BASE_FLAGS[at + 1 :]]
    assert flags[at : at + 4] == DARWIN_ARM64_FLAGS[11:15]


def test_compile_flags_use_the_running_platform(monkeypatch):
    monkeypatch.delenv("ENIGMA_CPU_MARCH", raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    assert build.compile_flags() == DARWIN_ARM64_FLAGS
    monkeypatch.setenv("ENIGMA_CPU_MARCH", "native")
    assert build.compile_flags() == [*DARWIN_ARM64_FLAGS, "-march=native"]


def _no_clang_on_path(monkeypatch):
    monkeypatch.delenv("ENIGMA_CLANG", raising=False)
    monkeypatch.setattr(build.shutil, "which", lambda name: None)


def test_compiler_path_falls_back_to_homebrew_llvm_on_macos(monkeypatch, tmp_path):
    _no_clang_on_path(monkeypatch)
    monkeypatch.setattr(sys, "platform", "darwin")
    clang = tmp_path / "opt" / "llvm" / "bin" / "clang++"
    clang.parent.mkdir(parents=True)
    clang.write_text("#!/bin/sh\n")
    clang.chmod(0o755)
    monkeypatch.setattr(build, "_DARWIN_CLANGS", (str(tmp_path / "missing"), str(clang)))
    assert build.compiler_path() == str(clang)
    clang.unlink()
    with pytest.raises(EnigmaError, match=r"needs clang\+\+-22(.|\n)*brew install llvm"):
        build.compiler_path()


def test_compiler_path_error_on_linux_names_the_debian_package(monkeypatch):
    _no_clang_on_path(monkeypatch)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(build.os, "access", lambda path, mode: False)
    with pytest.raises(EnigmaError, match=r"apt-get install clang-22"):
        build.compiler_path()


# A kernel-like source without headers (the macOS SDK is not here): bf16 arithmetic,
# a big stack array, and a call into libenigma_cpu left for the loader.
PROBE_SOURCE = """\
extern "C" void enigma_cpu_threadgroup_barrier();
void use(volatile char *);
__attribute__((visibility("default"))) extern "C" __bf16 probe(__bf16 a, __bf16 b, __bf16 c) {
  volatile char big[100000];
  use(big);
  enigma_cpu_threadgroup_barrier();
  return a * b + c;
}
"""


def _clang_for_arm64_macos(tmp_path: Path, *extra: str) -> str:
    try:
        compiler = build.compiler_path()
    except EnigmaError:
        pytest.skip("clang++-22 is not installed")
    source = tmp_path / "probe.cpp"
    source.write_text(PROBE_SOURCE)
    flags = [f for f in DARWIN_ARM64_FLAGS if not f.startswith("-Wl,")]  # compile only
    result = subprocess.run(
        [compiler, "--target=arm64-apple-macos15", *flags, "-Werror", *extra, str(source)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_clang_accepts_the_macos_flags_and_rounds_bfloat_per_operation(tmp_path):
    ir = _clang_for_arm64_macos(tmp_path, "-Wno-unused-command-line-argument", "-S",
                                "-emit-llvm", "-o", "-")  # fmt: skip
    assert "fmul bfloat" in ir and "fadd bfloat" in ir  # not widened to float in between
    assert "fpext" not in ir


def test_clang_probes_big_frames_for_the_fiber_guard_page_on_macos(tmp_path):
    assembly = _clang_for_arm64_macos(tmp_path, "-Wno-unused-command-line-argument", "-S",
                                      "-o", "-")  # fmt: skip
    assert "str\txzr, [sp]" in assembly  # a probe per page, as on Linux
