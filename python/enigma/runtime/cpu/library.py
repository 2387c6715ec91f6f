"""Loading libenigma_cpu (cpp/cpu_runtime) and calling its C ABI through ctypes.

The library is found at `$ENIGMA_CPU_RUNTIME` (a path, for working from a
source tree) or inside the installed package (`enigma/lib/libenigma_cpu.so`;
`libenigma_cpu.dylib` on macOS, the name CMake gives a shared library there).
It is loaded with RTLD_GLOBAL before any kernel object, because kernel objects
leave the barrier functions (`enigma_cpu_threadgroup_barrier`, ...) undefined
and the dynamic loader resolves them against it. The ABI is
`include/enigma_host/abi.h`, mirrored by the ctypes declarations below.

ctypes releases the GIL around each call, so other Python threads keep
running while a dispatch occupies the cores.
"""

from __future__ import annotations

import ctypes
import functools
import os
from pathlib import Path

from ...errors import EnigmaError, LaunchError
from ..native_library import find_package_library, shared_library_name

_Dims = ctypes.c_uint * 3


@functools.cache
def runtime_library() -> ctypes.CDLL:
    """libenigma_cpu, loaded once per process."""
    path = library_path()
    try:
        lib = ctypes.CDLL(str(path), mode=os.RTLD_NOW | os.RTLD_GLOBAL)
    except OSError as e:
        raise EnigmaError(
            f"cannot load the cpu runtime {path}: {e}", hint="rebuild the package (make build)"
        ) from None
    lib.enigma_cpu_dispatch.argtypes = [ctypes.c_void_p, ctypes.c_void_p, _Dims, _Dims]
    lib.enigma_cpu_dispatch.restype = ctypes.c_int
    lib.enigma_cpu_last_error.argtypes = []
    lib.enigma_cpu_last_error.restype = ctypes.c_char_p
    lib.enigma_cpu_worker_count.argtypes = []
    lib.enigma_cpu_worker_count.restype = ctypes.c_uint
    lib.enigma_cpu_fiber_switch_ns.argtypes = [ctypes.c_uint]
    lib.enigma_cpu_fiber_switch_ns.restype = ctypes.c_double
    return lib


def library_path() -> Path:
    """Where libenigma_cpu is: $ENIGMA_CPU_RUNTIME, else `lib/` of the installed package."""
    return find_package_library(
        library_file_name(),
        "ENIGMA_CPU_RUNTIME",
        "the cpu runtime library",
        "build and install the package (make build), or set ENIGMA_CPU_RUNTIME to a built"
        f" {library_file_name()}",
    )


def library_file_name() -> str:
    """libenigma_cpu's file name on this platform, as cpp/cpu_runtime's build names it.

    >>> library_file_name()  # on Linux; 'libenigma_cpu.dylib' on macOS
    'libenigma_cpu.so'
    """
    return shared_library_name("libenigma_cpu")


def dispatch(entry: int, args: ctypes.Array, grid: tuple, threads: tuple, kernel: str) -> None:
    """Run the kernel entry at address `entry` over `grid` in groups of `threads`."""
    lib = runtime_library()
    code = lib.enigma_cpu_dispatch(entry, args, _Dims(*grid), _Dims(*threads))
    if code:
        message = lib.enigma_cpu_last_error().decode(errors="replace")
        cls = LaunchError if code == 1 else EnigmaError
        raise cls(f"running `{kernel}` on the cpu device failed: {message}")


def worker_count() -> int:
    """OS threads a dispatch uses (ENIGMA_CPU_THREADS, default one per core)."""
    return runtime_library().enigma_cpu_worker_count()


def fiber_switch_ns(switches: int = 1_000_000) -> float:
    """Mean cost of one fiber switch in nanoseconds (a benchmark, never asserted on)."""
    return runtime_library().enigma_cpu_fiber_switch_ns(switches)
