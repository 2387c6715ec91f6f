"""Recording `kernel(args...).launch(grid=..., block=...)` while an @enigma.jit function runs.

While `enigma.compile(jit_fn, ...)` runs the host function, a `Recorder` is current
on this thread. Calling an `@enigma.kernel` then matches its arguments
(specialize.py) and returns a `KernelCall`; `.launch(grid, block)` checks the
shape, traces the kernel for that specialization and appends a `RecordedLaunch`.

Grid convention (CuTe / CUDA): ``grid`` counts *threadgroups* per dimension and
``block`` is the threads of one threadgroup, so the launch runs ``grid * block``
threads. (The direct call of a plain compiled kernel, ``compiled(..., grid=,
threads=)``, keeps Metal's dispatchThreads convention, where ``grid`` counts threads.)
"""

from __future__ import annotations

import numbers
import threading

import numpy as np

from ..errors import EnigmaError, LaunchError, SourceLocation
from ..language.tracing import user_location
from ..runtime.arguments import MAX_THREADS_PER_THREADGROUP
from ..tensor import vector_width_limit
from .specialize import BoundLaunch, bind_launch

_state = threading.local()


def current_recorder() -> Recorder | None:
    """The recorder of the @enigma.jit function running on this thread, if any."""
    return getattr(_state, "recorder", None)


class RecordedLaunch:
    """One launch: the kernel, its trace, its arguments, `grid` (threadgroups) and `block`."""

    __slots__ = ("kernel", "traced", "bound", "grid", "block", "loc")

    def __init__(self, kernel, traced, bound: BoundLaunch, grid, block, loc: SourceLocation):
        self.kernel = kernel
        self.traced = traced
        self.bound = bound
        self.grid = grid
        self.block = block
        self.loc = loc


class KernelCall:
    """`kernel(args...)` inside an @enigma.jit function; `.launch(...)` records it.

    >>> vector_add(a, b, c).launch(grid=(enigma.size(a.layout) // 256, 1, 1), block=(256, 1, 1))
    """

    __slots__ = ("recorder", "kernel", "bound", "loc", "launched")

    def __init__(self, recorder: Recorder, kernel, bound: BoundLaunch, loc: SourceLocation):
        self.recorder = recorder
        self.kernel = kernel
        self.bound = bound
        self.loc = loc
        self.launched = False

    def launch(self, grid=None, block=None) -> None:
        """Run the kernel over `grid` threadgroups of `block` threads (1 to 3 dimensions each).

        >>> scale(x, 2.0).launch(grid=(n // 64,), block=(64,))
        """
        loc = user_location()
        if not self.recorder.active:
            raise EnigmaError(
                f"kernel `{self.kernel.name}` was launched after its @enigma.jit function returned",
                loc,
                hint="launch kernels while the @enigma.jit function runs (inside its body)",
            )
        if grid is None or block is None:
            raise LaunchError(
                f"the launch of `{self.kernel.name}` needs a grid and a block",
                loc,
                hint="pass both: .launch(grid=(threadgroups, 1, 1), block=(threads, 1, 1))",
            )
        block = check_dims(self.kernel.name, "block", block, loc)
        grid = check_dims(self.kernel.name, "grid", grid, loc)
        for g, b, axis in zip(grid, block, "xyz", strict=True):
            if g * b >= 2**32:
                raise LaunchError(
                    f"launch of `{self.kernel.name}` runs {g} * {b} threads along {axis}, more"
                    " than a 32-bit thread position can count",
                    loc,
                    hint="launch fewer threadgroups and loop inside the kernel",
                )
        try:
            # Fragment loads/stores in the body use vectors of at most the compile's vec_width.
            with vector_width_limit(self.recorder.options.get("vec_width", 0)):
                traced = self.kernel.trace(self.bound.specialization)
        except EnigmaError as e:
            raise with_launch_context(e, self.kernel.name, loc) from None
        self.launched = True
        self.recorder.launches.append(
            RecordedLaunch(self.kernel, traced, self.bound, grid, block, loc)
        )


class Recorder:
    """The launches of one run of an @enigma.jit function (see the module docstring)."""

    def __init__(self, options: dict):
        self.options = options
        self.launches: list[RecordedLaunch] = []
        self.calls: list[KernelCall] = []
        self.active = False

    def call(self, kernel, args: tuple, kwargs: dict) -> KernelCall:
        """`kernel(*args, **kwargs)`: match the arguments now, at the user's call line."""
        loc = user_location()
        options_key = (("vec_width", self.options.get("vec_width", 0)),)
        call = KernelCall(self, kernel, bind_launch(kernel, args, kwargs, loc, options_key), loc)
        self.calls.append(call)
        return call

    def __enter__(self) -> Recorder:
        if current_recorder() is not None:
            raise EnigmaError(
                "an @enigma.jit function was compiled while another one runs",
                user_location(),
                hint="call the inner @enigma.jit function directly: it runs inline",
            )
        _state.recorder = self
        self.active = True
        return self

    def __exit__(self, *exc) -> None:
        _state.recorder = None
        self.active = False

    def unlaunched(self) -> KernelCall | None:
        """The first kernel call that was never `.launch`ed (a forgotten launch)."""
        return next((c for c in self.calls if not c.launched), None)


def check_dims(kernel: str, what: str, value, loc: SourceLocation) -> tuple[int, int, int]:
    """`grid` or `block` as three positive ints (missing dimensions are 1)."""
    dims = value if isinstance(value, (tuple, list)) else (value,)
    ok = 1 <= len(dims) <= 3 and all(
        isinstance(d, (numbers.Integral, np.integer)) and not isinstance(d, (bool, np.bool_))
        for d in dims
    )
    if not ok:
        raise LaunchError(
            f"{what}={value!r} of the launch of `{kernel}` is not 1 to 3 integers",
            loc,
            hint=f"pass e.g. {what}=(n, 1, 1) with Python ints (use // to divide sizes)",
        )
    dims = tuple(int(d) for d in dims) + (1,) * (3 - len(dims))
    if min(dims) <= 0:
        raise LaunchError(
            f"{what}={value!r} of the launch of `{kernel}` has a dimension that is not positive",
            loc,
            hint="every dimension counts at least 1"
            + (" threadgroup; is the tensor smaller than one tile?" if what == "grid" else ""),
        )
    if what == "block" and dims[0] * dims[1] * dims[2] > MAX_THREADS_PER_THREADGROUP:
        raise LaunchError(
            f"block={dims} of the launch of `{kernel}` is {dims[0] * dims[1] * dims[2]} threads"
            f" per threadgroup; the limit is {MAX_THREADS_PER_THREADGROUP}",
            loc,
            hint="use a smaller threadgroup (e.g. block=(256, 1, 1)) and more of them in grid",
        )
    return dims


def with_launch_context(error: EnigmaError, kernel: str, loc: SourceLocation) -> EnigmaError:
    """`error` (raised while tracing `kernel`) with the launch line of the jit function added."""
    note = f"(while tracing kernel `{kernel}` for the launch at {loc})"
    if error.loc is None:
        error.loc = loc
    else:
        error.message = f"{error.message}\n  {note}"
    error.args = (error._render(),)
    return error
