"""Kernels bound to device buffers: `MetalPreparedKernel` and the `DeviceMirror` behind it.

A `DeviceMirror` keeps one device buffer per host array of a launch, keyed by the
array's identity: an array passed twice binds one buffer, as aliasing does on the
GPU, and the launches of an @enigma.jit program share one mirror so that what one
launch writes is what the next reads, without a trip through host memory. Each
buffer is uploaded once, when it is made; a dispatch marks the buffers the kernel
may write as newer on the device, and only a read (`read_output`, the end of a
direct call) downloads them, once. A host array that changes after `prepare` is
sent again only by `update_input` (a hot loop of `dispatch()` uploads nothing).

Where a host array is page-aligned and a whole number of pages long, the mirror
wraps it without a copy (`enigma_rt_buffer_wrap`): the kernel then reads and
writes the array itself and nothing is uploaded or downloaded.
"""

from __future__ import annotations

import ctypes
import mmap
import numbers

import numpy as np

from ...errors import EnigmaError, LaunchError
from ..arguments import KernelLike
from ..base import PreparedKernel
from ..binding import Bound, _input_buffer
from .handles import Buffer, Device, Pipeline
from .library import EnigmaRtArgument


class DeviceMirror:
    """Device buffers standing for host arrays, and which of them the device changed."""

    def __init__(self, device: Device, wrap: bool = False):
        self.device = device
        self._wrap = wrap  # wrap page-aligned arrays in place (direct calls)
        self._entries: dict[
            int, tuple[np.ndarray, Buffer, bool]
        ] = {}  # id -> array, buffer, wrapped
        self._newer_on_device: set[int] = set()

    def buffer_for(self, array: np.ndarray, zeroed: bool = False) -> Buffer:
        """The buffer of `array`, made (and filled from it unless the array is known to be
        all zeros, as new buffers are) on first use."""
        entry = self._entries.get(id(array))
        if entry is None:
            entry = self._make(array, zeroed)
            self._entries[id(array)] = entry
        return entry[1]

    def _make(self, array: np.ndarray, zeroed: bool) -> tuple[np.ndarray, Buffer, bool]:
        page = mmap.PAGESIZE
        if (
            self._wrap
            and array.nbytes
            and array.nbytes % page == 0
            and array.ctypes.data % page == 0
            and array.flags.writeable
        ):
            return array, self.device.wrap(array.ctypes.data, array.nbytes), True
        buffer = self.device.buffer(array.nbytes)
        if array.nbytes and not zeroed:
            buffer.upload(array)
        return array, buffer, False

    def written(self, arrays) -> None:
        """After a dispatch: the device copies of `arrays` are newer than the host's."""
        for array in arrays:
            entry = self._entries.get(id(array))
            if entry is not None and not entry[2]:
                self._newer_on_device.add(id(array))

    def to_host(self, arrays) -> None:
        """Download those of `arrays` that the device changed since the last download."""
        for array in arrays:
            if id(array) in self._newer_on_device:
                self._entries[id(array)][1].download_into(array)
                self._newer_on_device.discard(id(array))

    def upload(self, array: np.ndarray) -> None:
        """Send `array` (already mirrored) to the device again after the host changed it."""
        _, buffer, wrapped = self._entries[id(array)]
        if not wrapped and array.nbytes:
            buffer.upload(array)
        self._newer_on_device.discard(id(array))

    def release(self) -> None:
        """Free every buffer (idempotent); wrapped arrays keep their data."""
        for _, buffer, _ in self._entries.values():
            buffer.release()
        self._entries.clear()
        self._newer_on_device.clear()


class MetalPreparedKernel(PreparedKernel):
    """A kernel with its pipeline and device buffers, ready to dispatch again and again.

    >>> p = enigma.MetalRuntime().prepare(ck, [a, b], a.nbytes, grid=(n,), threads=(256,))
    >>> for _ in range(100): p.dispatch()           # no uploads in the loop
    >>> p.update_input(0, a2); p.dispatch_timed()   # microseconds of GPU time
    >>> p.read_output()
    """

    def __init__(
        self,
        runtime,
        kernel: KernelLike,
        bound: Bound,
        grid,
        threads,
        pipeline: Pipeline,
        mirror: DeviceMirror,
        zeroed_outputs: bool = False,
    ):
        super().__init__(kernel, bound, grid, threads)
        self._runtime = runtime
        self._pipeline = pipeline
        self._mirror = mirror
        self._written = [
            v
            for i, (p, v) in enumerate(zip(bound.params, bound.values, strict=True))
            if p.is_buffer and (p.writes or i in bound.outputs)
        ]
        zeroed = set(bound.outputs) if zeroed_outputs else set()
        self._args, self._inline = self._arguments(bound, zeroed)

    def _arguments(self, bound: Bound, zeroed: set[int]):
        """The EnigmaRtArgument array: a buffer per buffer, the bits of each Scalar inline."""
        args = (EnigmaRtArgument * max(1, len(bound.values)))()
        inline = []  # keeps the Scalars' bytes alive as long as the arguments
        for i, (arg, p, value) in enumerate(zip(args, bound.params, bound.values, strict=False)):
            if p.is_buffer:
                arg.buffer = self._mirror.buffer_for(value, i in zeroed).handle
            else:
                data = ctypes.create_string_buffer(value.tobytes(), value.nbytes)
                inline.append(data)
                arg.bytes, arg.length = ctypes.addressof(data), value.nbytes
        return args, inline

    def _run(self, grid: tuple, threads: tuple) -> float:
        micros = self._runtime._dispatch(
            self.kernel, self._pipeline, self._args, len(self._bound.values), grid, threads
        )
        self._mirror.written(self._written)
        return micros

    def _dispatch(self, grid: tuple, threads: tuple) -> None:
        self._run(grid, threads)

    def dispatch_timed(self, grid=None, threads=None) -> float:
        """Run once and return the GPU time in microseconds (the runtime's GPU timestamps;
        on the test device, the wall time of the dispatch)."""
        return self._run(*self._shape(grid, threads))

    def _to_host(self, arrays) -> None:
        self._mirror.to_host(arrays)

    def update_input(self, which, value) -> None:
        """Replace buffer argument `which` (its parameter position or name) on the device.

        `value` is an array of the parameter's dtype (numpy, or anything np.asarray takes,
        e.g. an MLX array) or raw bytes, of the size given at `prepare`.

        >>> p.update_input("a", new_a); p.dispatch()
        """
        bound = self._live_bound()
        index = self._param_index(which)
        param = bound.params[index]
        fresh = _input_buffer(self.kernel, param, as_host_array(value))
        target = bound.values[index]
        if fresh.nbytes != target.nbytes:
            raise LaunchError(
                f"update_input of buffer `{param.name}` of kernel `{self.kernel.kernel_name}` got"
                f" {fresh.nbytes} bytes; its device buffer holds {target.nbytes}",
                hint="give the size used at prepare(), or prepare the kernel again",
            )
        target.view(np.uint8)[:] = fresh.view(np.uint8)
        self._mirror.upload(target)

    def _param_index(self, which) -> int:
        params = self._bound.params
        names = [p.name for p in params]
        index = names.index(which) if which in names else which
        if not isinstance(index, int) or not 0 <= index < len(params):
            raise LaunchError(
                f"kernel `{self.kernel.kernel_name}` has no parameter {which!r}",
                hint=f"name a buffer parameter: {', '.join(p.name for p in params if p.is_buffer)}",
            )
        if not params[index].is_buffer:
            raise LaunchError(
                f"parameter `{names[index]}` of kernel `{self.kernel.kernel_name}` is a Scalar,"
                " which is passed by value at each dispatch, not a device buffer",
                hint="prepare the kernel again with the new Scalar value",
            )
        return index

    def _live_bound(self) -> Bound:
        if self._bound is None:
            raise EnigmaError(
                f"this prepared `{self.kernel.kernel_name}` was released",
                hint="prepare the kernel again",
            )
        return self._bound

    def release(self) -> None:
        """Free the device buffers (idempotent); the kernel cannot be dispatched afterwards."""
        self._mirror.release()
        self._args, self._inline = None, []
        super().release()


def as_host_array(value):
    """`value` as something the argument checks take: numpy arrays and raw bytes as they are,
    other array objects (MLX, anything speaking the buffer or __array__ protocol) through
    numpy; Python lists and numbers are left for the checks to refuse."""
    plain = (np.ndarray, np.generic, numbers.Number, bytes, bytearray, memoryview, list, tuple)
    if isinstance(value, plain):
        return value
    try:
        return np.asarray(value)
    except Exception:  # noqa: BLE001 - whatever the object raises, the checks explain it
        return value
