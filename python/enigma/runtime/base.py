"""The runtime interface every device offers (SPEC §4 Running).

A `Runtime` runs compiled kernels on one device: `execute` for a one-shot
run that returns the outputs as bytes, `prepare` for repeated dispatches of
the same arguments, `launch` for the direct call `compiled(*arrays, ...)`.
A device implements `prepare` (its `PreparedKernel` subclass knows how to run
bound arguments), `launch` and `prepare_bound`; binding, validation and reading
outputs are shared here. Programs of several launches (@enigma.jit) are run by
program.py on top of `prepare_bound`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod

import numpy as np

from ..dtypes import dtype as resolve_dtype
from ..errors import EnigmaError, LaunchError
from .arguments import KernelLike, check_required_threads, check_shape
from .binding import Bound


def launch_shape(kernel: KernelLike, grid, threads) -> tuple[tuple, tuple]:
    """Checked (grid, threads); either may default to the kernel's own `grid`/`block`."""
    grid = grid if grid is not None else getattr(kernel, "grid", None)
    threads = threads if threads is not None else getattr(kernel, "block", None)
    if grid is None or threads is None:
        raise LaunchError(
            f"running `{kernel.kernel_name}` needs a grid and a threadgroup size",
            hint="pass grid=(n, 1, 1), threads=(256, 1, 1)",
        )
    grid, threads = check_shape(kernel, "grid", grid), check_shape(kernel, "threads", threads)
    check_required_threads(kernel, grid, threads)
    return grid, threads


class PreparedKernel(ABC):
    """A kernel bound to its arguments, ready to dispatch again and again.

    >>> p = enigma.runtime("cpu").prepare(ck, [a, b], a.nbytes, grid=(n,), threads=(256,))
    >>> p.dispatch(); p.read_output()
    """

    def __init__(self, kernel: KernelLike, bound: Bound, grid=None, threads=None):
        self.kernel = kernel
        self._bound: Bound | None = bound
        self._grid, self._threads = grid, threads
        self._checked = None  # (grid, threads) checked, when both are known up front
        if grid is not None and threads is not None:
            self._checked = launch_shape(kernel, grid, threads)

    @abstractmethod
    def _dispatch(self, grid: tuple, threads: tuple) -> None:
        """Run the kernel once over checked `grid`/`threads` and wait for it."""

    def _shape(self, grid, threads) -> tuple[tuple, tuple]:
        if self._bound is None:
            raise EnigmaError(
                f"this prepared `{self.kernel.kernel_name}` was released",
                hint="prepare the kernel again",
            )
        if grid is None and threads is None and self._checked is not None:
            return self._checked
        return launch_shape(
            self.kernel,
            grid if grid is not None else self._grid,
            threads if threads is not None else self._threads,
        )

    def dispatch(self, grid=None, threads=None) -> None:
        """Run once (default: the grid and threads given to `prepare`, else the kernel's)."""
        self._dispatch(*self._shape(grid, threads))

    def dispatch_timed(self, grid=None, threads=None) -> float:
        """Run once and return the device time in microseconds.

        On the cpu device that is the wall time of the dispatch, which returns
        when every thread has finished.
        """
        shape = self._shape(grid, threads)
        start = time.perf_counter_ns()
        self._dispatch(*shape)
        return (time.perf_counter_ns() - start) / 1000.0

    def read_output(self, dtype=None, index: int | None = None):
        """A copy of an output buffer as a numpy array.

        `dtype` (an Enigma or numpy dtype) reinterprets the bytes; by default the
        parameter's element type (bfloat as uint16 bits). With several outputs and
        no `index`, returns a list in parameter order.
        """
        bound = self._bound
        if bound is None:
            raise EnigmaError(
                f"this prepared `{self.kernel.kernel_name}` was released",
                hint="read outputs before release()",
            )
        if index is None and len(bound.outputs) != 1:
            return [self.read_output(dtype, k) for k in range(len(bound.outputs))]
        value = bound.values[bound.outputs[index or 0]]
        self._to_host([value])
        if dtype is None:
            return value.copy()
        if isinstance(dtype, np.dtype) or (
            isinstance(dtype, type) and issubclass(dtype, np.generic)
        ):
            as_numpy = np.dtype(dtype)
        else:  # an Enigma dtype or name: "float" is float32 here, not numpy's float64
            as_numpy = resolve_dtype(dtype).numpy
        return value.view(np.uint8).view(as_numpy).copy()

    def output_bytes(self) -> list[bytes]:
        outputs = [self._bound.values[i] for i in self._bound.outputs]
        self._to_host(outputs)
        return [value.tobytes() for value in outputs]

    def _to_host(self, arrays: list[np.ndarray]) -> None:
        """Bring these bound arrays up to date with what the kernel wrote: a device with
        memory of its own downloads them; the cpu device runs on the arrays themselves."""
        return None

    def release(self) -> None:
        """Free the buffers; the prepared kernel cannot be dispatched afterwards."""
        self._bound = None


class Runtime(ABC):
    """Runs compiled kernels on one device."""

    device: str = ""

    @abstractmethod
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
        """Bind `compiled` to its arguments (see `execute`) without running it."""

    @abstractmethod
    def launch(self, compiled: KernelLike, arrays, grid, threads, constants=None) -> None:
        """Run with one argument per parameter, writing outputs into the given arrays."""

    @abstractmethod
    def prepare_bound(
        self, kernel: KernelLike, bound: Bound, grid, threads, specialization=()
    ) -> PreparedKernel:
        """`kernel` with already checked arguments, ready to dispatch over `grid` (threads)
        in threadgroups of `threads` (each launch of a program is one)."""

    def execute(
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
    ):
        """Run once: `inputs` fill the leading parameters, outputs (the trailing buffers, of
        `output_size` bytes, or `output_sizes` for several) come back as bytes.

        >>> out = enigma.runtime("cpu").execute(ck, [a, b], a.nbytes, grid=(n,), threads=(256,))
        >>> np.frombuffer(out, np.float32)
        """
        prepared = self.prepare(
            compiled,
            inputs,
            output_size,
            grid,
            threads,
            scalars=scalars,
            output_sizes=output_sizes,
            constants=constants,
        )
        try:
            prepared.dispatch()
            outputs = prepared.output_bytes()
        finally:
            prepared.release()
        return outputs[0] if output_sizes is None and len(outputs) == 1 else outputs
