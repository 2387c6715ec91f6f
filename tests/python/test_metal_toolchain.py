"""The Metal toolchain step (MSL -> .air -> .metallib), run on Linux against a fake `xcrun`.

fake_xcrun.py behaves like Xcode's tools (success with known bytes, a compiler
diagnostic, a crash, a missing compiler); these tests check what Enigma makes
of each: where files go, what is cleaned up, what is cached, and the errors.
The last test runs the real toolchain where it exists (a Mac with Xcode).
"""

import json
import os
import stat
import sys
import tempfile
from pathlib import Path

import pytest

import enigma
from enigma.compiler import metallib_cache
from enigma.compiler.metal_diagnostics import python_location, trace_files
from enigma.compiler.metal_toolchain import METAL_FLAGS, find_toolchain, metal_toolchain_available

FAKE_XCRUN = Path(__file__).with_name("fake_xcrun.py")


@enigma.kernel
def add(a: enigma.f32, b: enigma.f32, c: enigma.f32):
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]  # the line a Metal error in `v1 + v2` maps to


ADD_LINE = next(
    n
    for n, text in enumerate(Path(__file__).read_text().splitlines(), 1)
    if text.endswith("# the line a Metal error in `v1 + v2` maps to")
)


class FakeXcrun:
    def __init__(self, tmp_path: Path, monkeypatch):
        self.monkeypatch = monkeypatch
        self.log = tmp_path / "xcrun.log"
        self.scratch = tmp_path / "tmp"  # where the toolchain step's temporary dirs go
        self.cache = tmp_path / "cache"
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        self.scratch.mkdir()
        wrapper = bin_dir / "xcrun"
        wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE_XCRUN}" "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
        monkeypatch.setenv("FAKE_XCRUN_LOG", str(self.log))
        monkeypatch.setenv("ENIGMA_CACHE_DIR", str(self.cache))
        monkeypatch.setattr(tempfile, "tempdir", str(self.scratch))
        self.mode("ok")

    def mode(self, mode: str, error_at: str = "") -> None:
        self.monkeypatch.setenv("FAKE_XCRUN_MODE", mode)
        self.monkeypatch.setenv("FAKE_XCRUN_ERROR_AT", error_at)

    def builds(self) -> list[list[str]]:
        """The metal/metallib runs so far (not `--version`)."""
        if not self.log.exists():
            return []
        runs = [json.loads(line) for line in self.log.read_text().splitlines()]
        return [run for run in runs if run[1:] != ["--version"]]

    def cached(self) -> list[Path]:
        return sorted((self.cache / "metallib").glob("*")) if self.cache.exists() else []


@pytest.fixture
def xcrun(tmp_path, monkeypatch):
    metallib_cache.clear_memory()  # entries of other tests share the fake's identity
    yield FakeXcrun(tmp_path, monkeypatch)
    metallib_cache.clear_memory()


def build(**options):
    add.clear_cache()  # each call runs the toolchain step, not the kernel's memo
    return enigma.compile(add, **options)


def expected_metallib(msl: str) -> bytes:
    return b"MTLB" + b"AIR\0" + msl.encode()


@pytest.mark.skipif(enigma.testing.is_darwin(), reason="checks a machine without Xcode")
def test_no_toolchain_off_macos():
    assert not metal_toolchain_available()
    assert not enigma.testing.is_metal_toolchain_available()
    assert find_toolchain() == "`xcrun` was not found (this is not a Mac)"
    with pytest.raises(enigma.EnigmaError) as err:
        build(emit_only=False)
    text = str(err.value)
    assert "building a .metallib needs the Metal toolchain: `xcrun` was not found" in text
    assert "xcodebuild -downloadComponent MetalToolchain" in text
    assert "MetalRuntime compiles the MSL in-process" in text
    assert not build().has_metallib  # emit_only=None: the MSL only


def test_metallib_and_kept_source_in_work_dir(xcrun, tmp_path):
    out = tmp_path / "out"
    ck = build(emit_only=False, work_dir=str(out), keep_metal_source=True)
    assert ck.metallib_bytes == expected_metallib(ck.metal_source)
    assert ck.metallib_path == str(out / "add.metallib")
    assert ck.metal_source_path == str(out / "add.metal")
    assert sorted(p.name for p in out.iterdir()) == ["add.metal", "add.metallib"]  # no .air
    assert (out / "add.metallib").read_bytes() == ck.metallib_bytes
    assert (out / "add.metal").read_text() == ck.metal_source
    metal, metallib = xcrun.builds()
    assert metal[0] == "metal" and list(METAL_FLAGS) == metal[1 : 1 + len(METAL_FLAGS)]
    assert metal[-4] == "-c" and metal[-3].endswith("add.metal") and metal[-1].endswith("add.air")
    assert metallib[0] == "metallib" and metallib[-1].endswith("add.metallib")
    assert list(xcrun.scratch.iterdir()) == []  # the temporary directory is gone


def test_work_dir_gets_only_the_metallib(xcrun, tmp_path):
    ck = build(emit_only=False, work_dir=str(tmp_path / "out"))
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["add.metallib"]
    assert ck.metal_source_path is None and ck.has_metallib


def test_without_work_dir_the_metallib_is_the_cache_entry(xcrun):
    ck = build(emit_only=False)
    assert xcrun.cached() == [Path(ck.metallib_path)]
    assert Path(ck.metallib_path).read_bytes() == ck.metallib_bytes
    assert ck.metal_source_path is None
    assert list(xcrun.scratch.iterdir()) == []


def test_emit_only_none_builds_where_the_toolchain_exists(xcrun):
    assert metal_toolchain_available()
    assert build().metallib_bytes == expected_metallib(build().metal_source)
    assert not build(emit_only=True).has_metallib
    assert len(xcrun.builds()) == 2  # one metal + one metallib: the rest came from the cache


def test_second_compile_is_served_from_the_cache(xcrun):
    first = build(emit_only=False)
    assert len(xcrun.builds()) == 2
    assert build(emit_only=False).metallib_bytes == first.metallib_bytes  # memory
    metallib_cache.clear_memory()
    assert build(emit_only=False).metallib_bytes == first.metallib_bytes  # disk
    assert len(xcrun.builds()) == 2
    Path(first.metallib_path).unlink()
    metallib_cache.clear_memory()
    assert build(emit_only=False).metallib_bytes == first.metallib_bytes
    assert len(xcrun.builds()) == 4  # the entry was gone: built again


def test_compiler_error_points_at_the_python_line(xcrun, tmp_path):
    xcrun.mode("error", error_at="v1 + v2")
    out = tmp_path / "out"
    out.mkdir()
    (out / "add.metallib").write_bytes(b"an older build")
    with pytest.raises(enigma.EnigmaError) as err:
        build(emit_only=False, work_dir=str(out), keep_metal_source=True)
    e = err.value
    assert (e.loc.file, e.loc.line) == (__file__, ADD_LINE)
    text = str(e)
    msl = build(emit_only=True).metal_source
    msl_line = next(n for n, line in enumerate(msl.splitlines(), 1) if "v1 + v2" in line)
    assert f"the Metal compiler rejected kernel `add` (MSL line {msl_line}):" in text
    assert "use of undeclared identifier 'frobnicate'" in text
    assert f"add.metal:{msl_line}:" in text and str(xcrun.scratch) not in text
    assert f"[test_metal_toolchain.py:{ADD_LINE}]" in text  # each error annotated
    assert "c[i] = a[i] + b[i]" in text  # the user's source line
    assert f"the MSL is kept at {out / 'add.metal'}" in text
    # Nothing a later run could trust: no library in work_dir or the cache, no scratch.
    assert sorted(p.name for p in out.iterdir()) == ["add.metal"]
    assert xcrun.cached() == [] and list(xcrun.scratch.iterdir()) == []
    xcrun.mode("ok")
    assert build(emit_only=False, work_dir=str(out)).has_metallib
    assert len(xcrun.builds()) == 3  # the failed metal run, then metal + metallib


def test_compiler_error_without_kept_source_says_how_to_keep_it(xcrun):
    xcrun.mode("error", error_at="thread_position_in_grid [[")  # in the kernel's signature
    with pytest.raises(enigma.EnigmaError) as err:
        build(emit_only=False)
    assert err.value.loc.line < ADD_LINE  # the kernel's definition: no statement above it
    assert "compile with keep_metal_source=True to keep the MSL" in str(err.value)


def test_missing_metal_compiler(xcrun):
    xcrun.mode("no-metal")  # the Command Line Tools without Xcode
    assert not metal_toolchain_available()
    assert not build().has_metallib  # emit_only=None falls back to the MSL only
    with pytest.raises(enigma.EnigmaError) as err:
        build(emit_only=False)
    text = str(err.value)
    assert "`xcrun` cannot find the `metal` tool (xcrun: error: unable to find utility" in text
    assert "the Command Line Tools alone do not include it" in text
    assert "install full Xcode" in text and "xcodebuild -downloadComponent MetalToolchain" in text
    assert "MetalRuntime compiles the MSL in-process" in text
    assert xcrun.builds() == []


def test_missing_metal_toolchain_component(xcrun):
    xcrun.mode("no-component")  # Xcode 26 before `xcodebuild -downloadComponent MetalToolchain`
    with pytest.raises(enigma.EnigmaError) as err:
        build(emit_only=False)
    text = str(err.value)
    assert "the Metal toolchain component is not installed (error: cannot execute tool" in text
    assert "xcodebuild -downloadComponent MetalToolchain" in text
    assert xcrun.cached() == []


def test_compiler_crash(xcrun, tmp_path):
    xcrun.mode("crash")
    with pytest.raises(enigma.EnigmaError) as err:
        build(emit_only=False, work_dir=str(tmp_path / "out"))
    text = str(err.value)
    assert "the Metal compiler (`xcrun metal`) was killed by SIGSEGV on kernel `add`" in text
    assert "Stack dump:" in text and str(xcrun.scratch) not in text
    assert "report it to Enigma with the MSL" in text
    assert xcrun.cached() == [] and list(xcrun.scratch.iterdir()) == []
    assert not (tmp_path / "out" / "add.metallib").exists()


def test_success_without_output_and_metallib_failure(xcrun):
    xcrun.mode("silent")
    with pytest.raises(enigma.EnigmaError, match=r"`xcrun metal` reported success on kernel `add`"):
        build(emit_only=False)
    xcrun.mode("metallib-error")
    with pytest.raises(enigma.EnigmaError) as err:
        build(emit_only=False)
    assert "`xcrun metallib` failed on kernel `add` (exit status 1)" in str(err.value)
    assert "input file is not a valid AIR file" in str(err.value)
    assert xcrun.cached() == [] and list(xcrun.scratch.iterdir()) == []


def test_unwritable_work_dir(xcrun, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(enigma.EnigmaError, match="cannot write the MSL to"):
        build(emit_only=False, work_dir=str(blocker / "out"), keep_metal_source=True)
    with pytest.raises(enigma.EnigmaError, match="cannot write the metallib of `add` to"):
        build(emit_only=False, work_dir=str(blocker / "out"))


def test_msl_lines_map_to_the_nearest_python_location():
    msl = "\n".join(
        [
            "// Generated by Enigma from k.py:3 (kernel `k`). Do not edit.",
            "kernel void k(device float* a [[buffer(0)]]) {",
            "  // k.py:5",
            "  float v0 = a[0];",
            "  // other.py:9",
            "  a[0] = v0;",
            "}",
        ]
    )
    files = ["/src/k.py", "/lib/other.py"]
    assert python_location(msl, 2, files) == enigma.errors.SourceLocation("/src/k.py", 3)
    assert python_location(msl, 4, files) == enigma.errors.SourceLocation("/src/k.py", 5)
    assert python_location(msl, 6, files) == enigma.errors.SourceLocation("/lib/other.py", 9)
    assert python_location(msl, 99, files).line == 9  # past the end: the last location
    assert python_location("kernel void k() {}", 1, files) is None
    assert trace_files(add.trace().to_json()) == [__file__]


@enigma.testing.requires_metal_toolchain
def test_real_toolchain_builds_a_metallib(tmp_path):
    ck = build(emit_only=False, work_dir=str(tmp_path))
    assert ck.metallib_bytes[:4] == b"MTLB"  # the metallib container's magic
    assert (tmp_path / "add.metallib").read_bytes() == ck.metallib_bytes


def test_requires_metal_marks_the_test():
    @enigma.testing.requires_metal
    def probe():
        pass

    assert {"metal", "skipif"} <= {mark.name for mark in probe.pytestmark}
