"""Building a kernel's MSL + launcher into a shared object with clang, cached on disk.

The object lives at `<cache>/cpu/<key>.so`, `<cache>` being the compile
cache's root (`$ENIGMA_CACHE_DIR`, default `~/.cache/enigma`). The key is a
sha256 of everything that affects the object: the MSL, the launcher, the
contents of every host header, the flags and the compiler's `--version`. A
build happens in a private temporary directory inside the cache directory and
is renamed into place only once clang has succeeded, so a failed, interrupted
or concurrent build never leaves a partial object that a later run would load
(two processes racing both produce a whole object; the last rename wins).

Flags, and why:
  -O2 -std=c++17 -shared -fPIC     the kernel as a loadable object
  -fno-exceptions -fno-rtti         kernels need neither; faster to build
  -fwrapv                           signed integer overflow wraps, as on the GPU
  -fsigned-char                     Metal's char is signed on every host
  -fno-math-errno                   Metal has no errno: sqrt becomes sqrtss
  -ffp-contract=off                 no fused a*b+c unless the MSL says fma
  -fexcess-precision=16             half/bfloat ops round after each operation
  -fno-strict-float-cast-overflow   float -> integer conversions saturate and NaN
                                    gives 0, as on Apple GPUs (C++ leaves them
                                    undefined; this is llvm.fptosi.sat)
  -fstack-clash-protection          a big per-thread array probes its pages, so
                                    it hits the fiber stack's guard page instead
                                    of silently landing in a neighbour stack
  -fvisibility=hidden               export only enigma_kernel_entry
  -rtlib=compiler-rt -nostdlib++    bf16/half conversion helpers from
                                    compiler-rt (Debian 12's libgcc lacks the
                                    bf16 ones), no libstdc++
No -march=native unless asked for with ENIGMA_CPU_MARCH (then the host CPU's
flags join the key), so a cache directory shared between machines stays valid.

Elsewhere than x86-64 Linux, `platform_flags` adapts three of them, same meaning:
  arm64 (any OS)     clang's driver takes -fexcess-precision=16 on x86 only; the
                     two cc1 options it stands for are passed directly
  macOS              -dynamiclib, and -Wl,-undefined,dynamic_lookup: ld64 refuses
                     the undefined enigma_cpu_* calls that GNU ld leaves to the
                     loader (resolved against libenigma_cpu, loaded globally
                     first); the driver drops -fstack-clash-protection on Darwin,
                     so it goes to cc1 directly (Darwin emits no stack probes
                     otherwise, and the fiber guard page needs them)
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ...cache_dir import cache_root
from ...errors import EnigmaError
from ..arguments import KernelLike
from ..function_constants import Specialization
from .launcher import generate_launcher, msl_file_name

INCLUDE_DIR = Path(__file__).resolve().parent / "include"

BASE_FLAGS = (
    "-O2",
    "-std=c++17",
    "-shared",
    "-fPIC",
    "-fno-exceptions",
    "-fno-rtti",
    "-fwrapv",
    "-fsigned-char",
    "-fno-math-errno",
    "-ffp-contract=off",
    "-fexcess-precision=16",
    "-fno-strict-float-cast-overflow",
    "-fstack-clash-protection",
    "-fvisibility=hidden",
    "-rtlib=compiler-rt",
    "-nostdlib++",
)


# Homebrew's keg-only llvm (Apple Silicon, then Intel prefix), which is not on PATH.
_DARWIN_CLANGS = (
    "/opt/homebrew/opt/llvm@22/bin/clang++",
    "/opt/homebrew/opt/llvm/bin/clang++",
    "/usr/local/opt/llvm/bin/clang++",
)


def compiler_path() -> str:
    """clang++ for kernels: $ENIGMA_CLANG, else clang++-22 on PATH, else LLVM 22's
    (on macOS Homebrew's llvm)."""
    candidates = [os.environ.get("ENIGMA_CLANG"), shutil.which("clang++-22")]
    if sys.platform == "darwin":
        candidates += _DARWIN_CLANGS
    else:
        candidates.append("/usr/lib/llvm-22/bin/clang++")
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    install = "brew install llvm" if sys.platform == "darwin" else "apt-get install clang-22"
    raise EnigmaError(
        "the cpu device needs clang++-22, which was not found",
        hint=f"install it ({install}) or set ENIGMA_CLANG",
    )


def platform_flags(flags: list[str], system: str, machine: str) -> list[str]:
    """`flags` (written for x86-64 Linux) as clang needs them on `system`/`machine`
    (`sys.platform`, `platform.machine()`); unchanged on x86-64 Linux.

    >>> platform_flags(["-shared", "-fexcess-precision=16"], "darwin", "arm64")[:2]
    ['-dynamiclib', '-Xclang']
    """
    replacements: dict[str, list[str]] = {}
    if machine in ("arm64", "aarch64"):
        replacements["-fexcess-precision=16"] = [
            "-Xclang",
            "-ffloat16-excess-precision=none",
            "-Xclang",
            "-fbfloat16-excess-precision=none",
        ]
    if system == "darwin":
        replacements["-shared"] = ["-dynamiclib", "-Wl,-undefined,dynamic_lookup"]
        replacements["-fstack-clash-protection"] = ["-Xclang", "-fstack-clash-protection"]
    return [out for flag in flags for out in replacements.get(flag, [flag])]


def compile_flags() -> list[str]:
    flags = platform_flags(list(BASE_FLAGS), sys.platform, platform.machine())
    march = os.environ.get("ENIGMA_CPU_MARCH")
    if march:
        flags.append(f"-march={march}")
    return flags


@functools.cache
def _compiler_identity(path: str) -> str:
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return result.stdout


@functools.cache
def _headers_digest() -> str:
    h = hashlib.sha256()
    for header in sorted(p for p in INCLUDE_DIR.rglob("*") if p.is_file()):
        h.update(str(header.relative_to(INCLUDE_DIR)).encode() + b"\0")
        h.update(header.read_bytes() + b"\0")
    return h.hexdigest()


def _host_cpu() -> str:
    """The host CPU's feature flags, which -march=native compiles for."""
    if sys.platform == "darwin":  # no /proc: the chip's name (Apple M1, ...) tells its features
        result = subprocess.run(
            ["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True
        )
        return result.stdout.strip() or os.uname().machine
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return next((line for line in f if line.startswith("flags")), "")
    except OSError:
        return os.uname().machine


def object_key(msl: str, launcher: str, compiler: str, flags: list[str]) -> str:
    """sha256 over everything that affects the built object."""
    h = hashlib.sha256()
    parts = [_compiler_identity(compiler), " ".join(flags), _headers_digest(), msl, launcher]
    if "-march=native" in flags:
        parts.append(_host_cpu())
    for part in parts:
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def cache_dir() -> Path:
    """`<cache root>/cpu`, beside the compile cache."""
    return cache_root() / "cpu"


@functools.cache
def _private_dir() -> Path:
    """A temporary directory for this process's objects when the cache is not writable
    (removed at exit: objects already loaded stay mapped)."""
    path = tempfile.mkdtemp(prefix="enigma-cpu-")
    atexit.register(shutil.rmtree, path, True)
    return Path(path)


def _invoke_compiler(
    compiler: str, flags: list[str], source: str, output: str, cwd: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [compiler, *flags, "-I", str(INCLUDE_DIR), source, "-o", output],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def build_object(kernel: KernelLike, specialization: Specialization = ()) -> tuple[Path, float]:
    """The cached object of `kernel` (its MSL and launcher, for the function constants'
    values `specialization`), built if absent.

    Returns the path and the seconds spent in clang (0.0 on a cache hit).
    """
    kernel_name, msl = kernel.kernel_name, kernel.metal_source
    launcher = generate_launcher(kernel, specialization)
    compiler = compiler_path()
    flags = compile_flags()
    key = object_key(msl, launcher, compiler, flags)
    directory = cache_dir()
    target = directory / f"{key}.so"
    if target.is_file():
        return target, 0.0
    try:
        directory.mkdir(parents=True, exist_ok=True)
        work = tempfile.mkdtemp(prefix=f".build-{key[:16]}-", dir=directory)
    except OSError:  # a read-only cache: build where this process alone will look
        directory = _private_dir()
        target = directory / f"{key}.so"
        if target.is_file():
            return target, 0.0
        work = tempfile.mkdtemp(prefix=f".build-{key[:16]}-", dir=directory)
    try:
        Path(work, msl_file_name(kernel)).write_text(msl, encoding="utf-8")
        source = f"{kernel_name}.launcher.cpp"
        Path(work, source).write_text(launcher, encoding="utf-8")
        start = time.perf_counter()
        result = _invoke_compiler(compiler, flags, source, f"{kernel_name}.so", work)
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise EnigmaError(
                f"clang could not compile kernel `{kernel_name}` for the cpu device:\n"
                + (result.stderr or result.stdout).rstrip(),
                hint="this is a bug in Enigma's MSL or its host metal_stdlib: please report "
                "it with the kernel's MSL (compiled.metal_source)",
            )
        os.replace(Path(work, f"{kernel_name}.so"), target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target, seconds
