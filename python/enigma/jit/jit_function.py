"""`@enigma.jit`: a host function that does the layout algebra and launches kernels.

`enigma.compile(jit_fn, *args)` runs the function once, on the host, with its
arguments: `Tensor`s pass as they are; a numpy array becomes a `Tensor` named
after the parameter, with `buffer_index` = the parameter's position and a layout
of the array's shape and element strides; anything else (ints, tuples,
layouts, tilers) is a host value. Every `kernel(...).launch(grid=, block=)` it
makes is recorded (launch.py) and the launches become a `JitProgram`
(assemble.py, program.py).

The result is cached on the function, keyed on what the host function can see
of its arguments (Tensor spec keys, names and buffer indices; array dtypes,
shapes and strides; host values) and the compile options: a second compile with
the same arguments does not run the function again. The host function is assumed
to depend only on its arguments, as CuTe DSL's @cute.jit assumes.
"""

from __future__ import annotations

import functools
import inspect
import os
import traceback

import numpy as np

from .. import dtypes as dt
from ..errors import EnigmaError
from ..language.kernel import _def_location
from ..language.tracing import user_location
from .assemble import assemble
from .launch import Recorder, current_recorder
from .program import JitProgram
from .specialize import check_buffer_index, freeze, tensor_class

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class JitFunction:
    """What `@enigma.jit` returns: compile it with `enigma.compile(fn, *tensors)`."""

    def __init__(self, fn):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.name = fn.__name__
        self.loc = _def_location(fn)
        self.compiled_cache: dict = {}  # (argument keys, options) -> JitProgram

    def __repr__(self) -> str:
        return f"<enigma.jit {self.name} at {self.loc.short()}>"

    def __call__(self, *args, **kwargs):
        if current_recorder() is not None:  # called from another jit function: runs inline
            return self.fn(*args, **kwargs)
        raise EnigmaError(
            f"@enigma.jit function `{self.name}` runs when it is compiled, not when called",
            user_location(),
            hint=f"compile it with its Tensors and run the result: prog ="
            f" enigma.compile({self.name}, *tensors); prog(*arrays, device='cpu')",
        )

    def clear_cache(self) -> None:
        """Forget the compiled programs (the next compile runs the function again)."""
        self.compiled_cache.clear()

    def compile_program(
        self, args: tuple, options: dict, *, dump_ir: bool = False, dump_mlir: bool = False
    ) -> JitProgram:
        """Run the function with `args`, recording its launches, and compile them.

        What `enigma.compile(jit_fn, *args, **options)` calls.
        """
        loc = user_location()
        converted, keys, tensors = self._arguments(args, loc)
        memo_key = (tuple(keys), tuple(sorted(options.items())))
        hit = self.compiled_cache.get(memo_key)
        if hit is not None and not (dump_ir or dump_mlir):
            return hit
        recorder = Recorder(options)
        with recorder:
            try:
                returned = self.fn(*converted)
            except EnigmaError as e:
                _locate(e, e.__traceback__)
                raise
        self._check_run(recorder, returned)
        program = assemble(
            self.name,
            recorder.launches,
            tensors,
            options,
            args_loc=loc,
            dump_ir=dump_ir,
            dump_mlir=dump_mlir,
            source=self._source,
        )
        self.compiled_cache[memo_key] = program
        return program

    def _arguments(self, args: tuple, loc) -> tuple[list, list, list]:
        """The host function's arguments (arrays made Tensors), their cache keys, the Tensors."""
        try:
            bound = inspect.signature(self.fn).bind(*args)
        except TypeError as e:
            raise EnigmaError(
                f"@enigma.jit function `{self.name}` was compiled with the wrong arguments: {e}",
                loc,
                hint=f"pass one value per parameter of `{self.name}`, in order:"
                f" enigma.compile({self.name}, {', '.join(inspect.signature(self.fn).parameters)})",
            ) from None
        Tensor = tensor_class()
        converted, keys, tensors = [], [], []
        for position, (name, value) in enumerate(bound.arguments.items()):
            where = f"argument `{name}` of @enigma.jit function `{self.name}`"
            if isinstance(value, np.ndarray):
                keys.append(("array", value.dtype.str, value.shape, value.strides))
                value = array_tensor(value, name, position, where, loc)
            elif isinstance(value, Tensor):
                check_buffer_index(where, value, loc)
                keys.append(("tensor", value.name, value.spec_key()))
            else:
                keys.append(freeze(value, where, loc))
            if isinstance(value, Tensor):
                tensors.append(value)
            converted.append(value)
        return converted, keys, tensors

    def _check_run(self, recorder: Recorder, returned) -> None:
        if returned is not None:
            raise EnigmaError(
                f"@enigma.jit function `{self.name}` returned a value; it only launches kernels",
                self.loc,
                hint="remove the return value; kernels write their results into Tensors",
            )
        forgotten = recorder.unlaunched()
        if forgotten is not None:
            raise EnigmaError(
                f"kernel `{forgotten.kernel.name}` was called but never launched",
                forgotten.loc,
                hint="finish the call with .launch(grid=..., block=...)",
            )
        if not recorder.launches:
            raise EnigmaError(
                f"@enigma.jit function `{self.name}` launched no kernel",
                self.loc,
                hint="launch kernels in its body: some_kernel(tensors...).launch(grid=(n, 1, 1),"
                " block=(256, 1, 1))",
            )

    def _source(self) -> str:
        try:
            return inspect.getsource(self.fn)
        except (OSError, TypeError):
            return ""


def array_tensor(array: np.ndarray, name: str, position: int, where: str, loc):
    """A numpy array as a Tensor: `buffer_index` = `position`, layout = its shape and strides."""
    from ..layout import Layout

    try:
        t = dt.dtype(array.dtype)
    except EnigmaError as e:
        raise EnigmaError(f"{where}: {e.message}", loc, e.hint) from None
    steps = [s // array.itemsize for s in array.strides]
    if array.ndim == 0 or any(b < 0 or b % array.itemsize for b in array.strides):
        raise EnigmaError(
            f"{where} is a numpy array of shape {array.shape} and strides {array.strides},"
            " which no layout of whole elements describes",
            loc,
            hint="pass an array with at least one dimension and non-negative strides, e.g."
            " np.ascontiguousarray(x)",
        )
    if array.ndim == 1:
        layout = Layout(array.shape[0], steps[0])
    else:
        layout = Layout(tuple(array.shape), tuple(steps))
    return tensor_class()(name, position, t, layout)


def _locate(error: EnigmaError, tb) -> None:
    """Give an error raised without a location (by host-side algebra) the innermost line of
    the user's code in the traceback: the line of the jit function that caused it."""
    if error.loc is not None:
        return
    from ..errors import SourceLocation

    user = [
        f
        for f in traceback.extract_tb(tb)
        if not os.path.abspath(f.filename).startswith(_PACKAGE_DIR)
    ]
    if user:
        frame = user[-1]
        error.loc = SourceLocation(os.path.abspath(frame.filename), frame.lineno, 0)
        error.args = (error._render(),)


def jit(fn=None):
    """Make a host function that launches kernels; compile it with its Tensors.

    >>> @enigma.jit
    ... def vadd(a, b, c):
    ...     n = enigma.size(a.layout)
    ...     add(a, b, c).launch(grid=(n // 256, 1, 1), block=(256, 1, 1))
    >>> prog = enigma.compile(vadd, a, b, c)  # numpy arrays or enigma.Tensors
    >>> prog(a, b, c, device="cpu")
    """
    if fn is None:  # @enigma.jit()
        return jit
    if isinstance(fn, JitFunction):
        return fn
    if not inspect.isfunction(fn):
        raise EnigmaError(
            f"@enigma.jit decorates a Python function, not {fn!r}",
            hint="put @enigma.jit on a `def` that launches kernels",
        )
    return JitFunction(fn)
