"""Loading libenigma_cpu (cpp/cpu_runtime) and calling its C ABI through ctypes.

The library is found at `$ENIGMA_CPU_RUNTIME` (a path, for working from a
source tree) or inside the installed package (`enigma/lib/libenigma_cpu.so`).
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
import sys
from pathlib import Path

from ...errors import EnigmaError, LaunchError

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
    """Where libenigma_cpu is: $ENIGMA_CPU_RUNTIME, else `lib/` of the installed package.

    The package's `__path__` is searched, not this file's directory: in an
    editable install the Python sources stay in the source tree while built
    files live in site-packages, and `__path__` lists both.
    """
    override = os.environ.get("ENIGMA_CPU_RUNTIME")
    if override:
        path = Path(override)
        if not path.is_file():
            raise EnigmaError(
                f"ENIGMA_CPU_RUNTIME={override} is not a file",
                hint="point it at a built libenigma_cpu.so, or unset it",
            )
        return path
    package = sys.modules[__name__.partition(".")[0]]
    candidates = [Path(p, "lib", "libenigma_cpu.so") for p in package.__path__]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise EnigmaError(
            f"the cpu runtime library is missing (looked for {', '.join(map(str, candidates))})",
            hint="build and install the package (make build), or set ENIGMA_CPU_RUNTIME to a "
            "built libenigma_cpu.so",
        )
    return found


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
