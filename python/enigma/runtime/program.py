"""Running a program of several launches (an @enigma.jit `JitProgram`) on a device.

A program's parameters are its buffers; each launch binds some of them, by
`buffer_index`, plus the Scalar values its launch gave. Running binds one array
per program buffer exactly as a single kernel binds its parameters (binding.py),
checks that each array holds what the Tensors' layouts can touch (the buffer's
extent) before anything runs, and then dispatches the launches in order on the
same arrays, each over its own recorded grid: `grid * block` threads in
threadgroups of `block` (the launch's CuTe-style threadgroup count turned into the
dispatchThreads shape the devices take). A program carries its own shapes, so
passing `grid=`/`threads=` to it is an error.

A device takes part through `Runtime.prepare_bound` (one kernel, bound arguments).
"""

from __future__ import annotations

from ..errors import EnigmaError, LaunchError
from .arguments import KernelLike, check_scalar, kernel_params
from .base import PreparedKernel
from .binding import Bound, bind_direct, bind_execute
from .function_constants import check_constants


def is_program(kernel: KernelLike) -> bool:
    """Whether `kernel` is a program of launches (a JitProgram) rather than one kernel."""
    return getattr(kernel, "launches", None) is not None


class ProgramPreparedKernel(PreparedKernel):
    """A program bound to its buffers: `dispatch()` runs every launch in order.

    >>> p = enigma.runtime("cpu").prepare(prog, [x], output_size=y.nbytes)
    >>> p.dispatch(); p.read_output()
    """

    def __init__(self, program: KernelLike, bound: Bound, parts: list[PreparedKernel]):
        super().__init__(program, bound)
        self._parts = parts

    def _shape(self, grid, threads):
        if self._bound is None:
            raise EnigmaError(
                f"this prepared `{self.kernel.kernel_name}` was released",
                hint="prepare the program again",
            )
        refuse_shape(self.kernel, grid, threads)
        return None, None

    def _dispatch(self, grid, threads) -> None:
        for part in self._parts:
            part.dispatch()

    def _to_host(self, arrays) -> None:
        for part in self._parts:  # the parts share the program's arrays
            part._to_host(arrays)

    def release(self) -> None:
        for part in self._parts:
            part.release()
        self._parts = []
        super().release()


def prepare_program(
    runtime, program, inputs, output_size=None, grid=None, threads=None, *, scalars=None,
    output_sizes=None, constants=None,
) -> ProgramPreparedKernel:  # fmt: skip
    """`runtime.prepare(program, ...)`: inputs fill the leading buffers, outputs trail."""
    refuse_shape(program, grid, threads)
    if scalars:
        raise LaunchError(
            f"`{program.kernel_name}` is an @enigma.jit program: its Scalars were given at"
            " each launch, so it takes no scalars=",
            hint="pass Scalar values in the jit function's launches and compile again",
        )
    bound = bind_execute(program, inputs, output_size, output_sizes=output_sizes)
    check_extents(program, bound)
    return ProgramPreparedKernel(program, bound, _parts(runtime, program, bound, constants))


def launch_program(runtime, program, arrays, grid=None, threads=None, constants=None) -> None:
    """`program(*arrays)`: one array per program buffer, launches run in order, in place."""
    refuse_shape(program, grid, threads)
    bound = bind_direct(program, arrays)
    check_extents(program, bound)
    for part in _parts(runtime, program, bound, constants):
        part.dispatch()


def refuse_shape(program: KernelLike, grid, threads) -> None:
    if grid is not None or threads is not None:
        raise LaunchError(
            f"`{program.kernel_name}` is an @enigma.jit program: each of its launches runs"
            " over the grid and block its `.launch(...)` gave, so it takes no grid= or threads=",
            hint="run it without grid/threads; to change a launch's shape, change it in the"
            " jit function and compile again",
        )


def check_extents(program: KernelLike, bound: Bound) -> None:
    """Each buffer must hold every element its Tensors' layouts can touch."""
    for p, value, extent in zip(bound.params, bound.values, program.extents, strict=True):
        check_extent(program, p, value.nbytes, extent)


def check_extent(program: KernelLike, p, nbytes: int, extent: int) -> None:
    """Buffer `p`, an array of `nbytes` bytes, must hold `extent` elements."""
    have = nbytes // p.dtype.itemsize
    if have < extent:
        raise LaunchError(
            f"buffer `{p.name}` ({p.dtype.name}) of `{program.kernel_name}` holds {have}"
            f" elements, but its Tensors' layouts reach element {extent - 1}"
            " (base_offset + cosize)",
            hint=f"pass an array of at least {extent} {p.dtype.name} elements, or compile"
            " the jit function with Tensors that describe the arrays you run with",
        )


def launch_specializations(program: KernelLike, constants) -> list[tuple]:
    """The function-constant values each launch's kernel reads, from the program's `constants`."""
    constants = dict(constants or {})
    declared = {c["index"] for c in program.function_constants}
    unknown = [k for k in constants if k not in declared]
    if unknown:
        listing = ", ".join(str(i) for i in sorted(declared)) or "none"
        raise LaunchError(
            f"no kernel of `{program.kernel_name}` reads function constant"
            f" {', '.join(map(repr, unknown))} (its function constants: {listing})",
            hint="key constants= by the index given to enigma.function_constant(dtype, index)",
        )
    specializations = []
    for launch in program.launches:
        own = {c["index"] for c in launch.kernel.function_constants}
        mine = {k: v for k, v in constants.items() if k in own}
        specializations.append(check_constants(launch.kernel, mine))
    return specializations


def _parts(runtime, program, bound: Bound, constants) -> list[PreparedKernel]:
    """One prepared kernel per launch, bound to the program's arrays and its Scalars."""
    specializations = launch_specializations(program, constants)
    position = {p.buffer_index: i for i, p in enumerate(bound.params)}
    parts = []
    for launch, specialization in zip(program.launches, specializations, strict=True):
        kernel = launch.kernel
        params = kernel_params(kernel)
        values = [
            bound.values[position[value]] if kind == "buffer" else check_scalar(kernel, p, value)
            for p, (kind, value) in zip(params, launch.arguments, strict=True)
        ]
        parts.append(
            runtime.prepare_bound(
                kernel, Bound(params, values, []), launch.threads, launch.block, specialization
            )
        )
    return parts
