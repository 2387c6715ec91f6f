"""The `cpu` device: compiled kernels' MSL run on the host's cores.

`load_kernel` turns a compiled kernel into a loaded kernel object (launcher
generated, object built or found in the disk cache, loaded once per process);
`CpuRuntime` binds arguments and dispatches through libenigma_cpu. Arguments
are validated before anything is built or run.

>>> rt = enigma.runtime("cpu")
>>> out = rt.execute(ck, [a, b], output_size=a.nbytes, grid=(n,), threads=(256,))
"""

from __future__ import annotations

import ctypes
import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from ...errors import EnigmaError, LaunchError
from ..arguments import KernelLike, kernel_params
from ..base import PreparedKernel, Runtime, launch_shape
from ..binding import Bound, bind_direct, bind_execute
from ..function_constants import Specialization, check_constants
from ..program import is_program, launch_program, prepare_program
from . import library
from .build import build_object


@dataclass(frozen=True)
class CpuKernel:
    """A kernel object loaded into this process."""

    name: str
    path: Path
    entry: int  # address of its EnigmaKernelEntry
    uses_barriers: bool
    build_seconds: float  # spent in clang by this load (0.0: found in the cache)
    handle: ctypes.CDLL  # keeps the object mapped


_lock = threading.Lock()
_by_path: dict[Path, CpuKernel] = {}
_by_kernel: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def load_kernel(kernel: KernelLike, specialization: Specialization = ()) -> CpuKernel:
    """The loaded object of `kernel` specialized for its function constants' values,
    building it on a cache miss."""
    with _lock:
        try:
            return _by_kernel[kernel][specialization]
        except (KeyError, TypeError):
            pass
        library.runtime_library()  # kernel objects resolve the barrier symbols against it
        path, seconds = build_object(kernel, specialization)
        loaded = _by_path.get(path)
        if loaded is None:
            loaded = _open(kernel, path, seconds)
            _by_path[path] = loaded
        try:
            _by_kernel.setdefault(kernel, {})[specialization] = loaded
        except TypeError:  # not weak-referenceable: found again through its path
            pass
        return loaded


def _open(kernel: KernelLike, path: Path, seconds: float) -> CpuKernel:
    try:
        handle = ctypes.CDLL(str(path), mode=os.RTLD_NOW | os.RTLD_LOCAL)
        entry = ctypes.addressof(ctypes.c_char.in_dll(handle, "enigma_kernel_entry"))
    except (OSError, ValueError) as e:
        raise EnigmaError(
            f"cannot load the cpu object of `{kernel.kernel_name}` ({path}): {e}",
            hint=f"delete {path} to rebuild it",
        ) from None
    return CpuKernel(kernel.kernel_name, path, entry, bool(kernel.uses_barriers), seconds, handle)


def _check_supported(kernel: KernelLike) -> None:
    for p in kernel_params(kernel):
        if p.dtype.is_bool and p.dtype.lanes > 1:
            kind = "buffer" if p.is_buffer else "Scalar"
            raise LaunchError(
                f"{kind} `{p.name}` of kernel `{kernel.kernel_name}` is a {p.dtype.name}, which "
                f"the cpu device cannot lay out as Metal does (clang packs bool vectors into bits)",
                hint="pass bool (or uchar) values with one lane per element",
            )


def _pointers(bound: Bound) -> ctypes.Array:
    return (ctypes.c_void_p * max(1, len(bound.values)))(*(v.ctypes.data for v in bound.values))


class CpuPreparedKernel(PreparedKernel):
    """A kernel, its loaded object and its argument pointers, ready to dispatch."""

    def __init__(self, kernel: KernelLike, bound: Bound, grid, threads, specialization=()):
        super().__init__(kernel, bound, grid, threads)
        self._object = load_kernel(kernel, specialization)
        self._args = _pointers(bound)

    def _dispatch(self, grid: tuple, threads: tuple) -> None:
        library.dispatch(self._object.entry, self._args, grid, threads, self.kernel.kernel_name)


class CpuRuntime(Runtime):
    """Runs kernels on the host CPU: every core, threadgroups spread over them."""

    device = "cpu"

    def prepare(
        self,
        compiled: KernelLike,
        inputs,
        output_size=None,
        grid=None,
        threads=None,
        *,
        scalars=None,
        output_sizes=None,
        constants=None,
    ) -> PreparedKernel:
        if is_program(compiled):
            return prepare_program(
                self,
                compiled,
                inputs,
                output_size,
                grid,
                threads,
                scalars=scalars,
                output_sizes=output_sizes,
                constants=constants,
            )
        specialization = check_constants(compiled, constants)
        _check_supported(compiled)
        bound = bind_execute(
            compiled, inputs, output_size, scalars=scalars, output_sizes=output_sizes
        )
        return CpuPreparedKernel(compiled, bound, grid, threads, specialization)

    def launch(self, compiled: KernelLike, arrays, grid, threads, constants=None) -> None:
        if is_program(compiled):
            return launch_program(self, compiled, arrays, grid, threads, constants)
        specialization = check_constants(compiled, constants)
        _check_supported(compiled)
        bound = bind_direct(compiled, arrays)
        grid, threads = launch_shape(compiled, grid, threads)
        kernel = load_kernel(compiled, specialization)
        library.dispatch(kernel.entry, _pointers(bound), grid, threads, compiled.kernel_name)

    def prepare_bound(
        self, kernel: KernelLike, bound: Bound, grid, threads, specialization=()
    ) -> CpuPreparedKernel:
        _check_supported(kernel)
        return CpuPreparedKernel(kernel, bound, grid, threads, specialization)
