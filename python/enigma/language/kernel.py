"""`@enigma.kernel`: a Python function that becomes a GPU kernel when traced.

Parameters are checked when the function is decorated: a dtype annotation (the
singleton, its class, or a Metal/short name string) is a device buffer, and
`Scalar(dtype)` is a by-value parameter. The body runs once, lazily, when the
kernel is first compiled (`trace()`), on symbolic values: `Buffer`s for buffers,
`IRValue`s for Scalars. The result is an `ir.Kernel`, cached.

Kernels launched from an `@enigma.jit` function may also take `enigma.Tensor`
parameters (a buffer whose dtype is the launched Tensor's) and `enigma.Constexpr`
ones (a host value baked into the trace). Such a launch traces the kernel once per
*specialization* (python/enigma/jit/specialize.py), cached here by its key.
"""

from __future__ import annotations

import functools
import inspect
import linecache
import os

import numpy as np

from .. import dtypes as dt
from .. import ir
from ..errors import EnigmaError, SourceLocation, TraceError
from .core import new_value
from .loop_rewrite import rewrite_range_loops
from .memory import Buffer, buffer_ref
from .tracing import Trace, current_or_none, set_current


class KernelParam:
    """A kernel parameter: ``kind`` is "buffer" (device memory), "scalar" (by value),
    "tensor" (device memory typed by the launched Tensor: ``dtype`` is None) or
    "constexpr" (a host value of an @enigma.jit launch: ``dtype`` is None)."""

    __slots__ = ("name", "kind", "dtype")

    def __init__(self, name: str, kind: str, dtype: dt.DType):
        self.name = name
        self.kind = kind
        self.dtype = dtype

    def __repr__(self) -> str:
        if self.kind == "scalar":
            return f"{self.name}: enigma.Scalar({self.dtype!r})"
        if self.dtype is None:
            return f"{self.name}: enigma.{self.kind.title()}"
        return f"{self.name}: {self.dtype!r}"


class KernelFunction:
    """What `@enigma.kernel` returns: compile it with `enigma.compile(k)`.

    ``name``, ``params`` (list of KernelParam), ``trace()`` (the cached `ir.Kernel`).
    """

    def __init__(self, fn):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.name = fn.__name__
        self.loc = _def_location(fn)
        self._params: list[KernelParam] | None = None
        self._ir: ir.Kernel | None = None
        self._specialized: dict = {}  # specialization key -> ir.Kernel (@enigma.jit launches)
        # enigma.compile() results for this trace, keyed on the compile options.
        self.compiled_cache: dict = {}
        self._resolve_params(final=False)

    def __repr__(self) -> str:
        return f"<enigma.kernel {self.name} at {self.loc.short()}>"

    @property
    def params(self) -> list[KernelParam]:
        return self._resolve_params(final=True)

    def __call__(self, *args, **kwargs):
        inside = current_or_none() is not None
        if not inside:
            from ..jit.launch import current_recorder

            recorder = current_recorder()
            if recorder is not None:  # in an @enigma.jit function: `.launch(...)` records it
                return recorder.call(self, args, kwargs)
        raise EnigmaError(
            f"kernel `{self.name}` cannot be called "
            + ("from another kernel" if inside else "directly"),
            self.loc,
            hint="move the shared code into a plain Python function (it is traced inline)"
            if inside
            else f"compile it and run the result: enigma.compile({self.name})(*arrays,"
            " grid=..., threads=...), or launch it from an @enigma.jit function:"
            f" {self.name}(...).launch(grid=..., block=...)",
        )

    def trace(self, specialization=None, vec_width: int = 0) -> ir.Kernel:
        """Run the body on symbolic values and return the Enigma IR (cached).

        `vec_width` (0 = auto, 1, 2, 4) caps the vectors of Tensor fragment loads and stores
        in a plain kernel's body (an @enigma.jit launch carries it in its specialization).

        `specialization` (made by an @enigma.jit launch, jit/specialize.py) says what the
        body receives for each parameter: ``.key`` (hashable, the cache key),
        ``.buffer_dtype(i)`` (the dtype of "tensor" parameter i) and ``.argument(i, traced)``
        (the body's argument given the traced Buffer, IRValue, or None for a Constexpr).

        >>> print(vector_add.trace().format_ir())  # doctest: +SKIP
        """
        if specialization is not None:
            traced = self._specialized.get(specialization.key)
            if traced is None:
                traced = self._specialized[specialization.key] = self._trace(specialization)
            return traced
        if vec_width:
            key = ("vec_width", vec_width)
            if key not in self._specialized:
                from ..tensor import vector_width_limit  # the tensor package builds on this one

                self._check_plain()
                with vector_width_limit(vec_width):
                    self._specialized[key] = self._trace(None)
            return self._specialized[key]
        if self._ir is None:
            self._check_plain()
            self._ir = self._trace(None)
        return self._ir

    def _check_plain(self) -> None:
        """Refuse a plain trace of a kernel whose parameters only a jit launch can fill."""
        jit_only = [p for p in self.params if p.dtype is None]
        if jit_only:
            p = jit_only[0]
            raise EnigmaError(
                f"kernel `{self.name}` has an enigma.{p.kind.title()} parameter `{p.name}`,"
                " which only an @enigma.jit launch can give a value",
                self.loc,
                hint=f"launch it from an @enigma.jit function: {self.name}(...).launch("
                "grid=..., block=...), and compile that function with its Tensors",
            )

    def clear_cache(self) -> None:
        """Forget the cached traces and compiles (the next compile traces the body again)."""
        self._ir = None
        self._specialized.clear()
        self.compiled_cache.clear()

    def _trace(self, specialization) -> ir.Kernel:
        params = self.params
        trace = Trace(self.name, self.loc)
        args, ir_params = [], []
        for i, p in enumerate(params):
            if p.kind == "constexpr":
                args.append(specialization.argument(i, None))
                continue
            if p.kind in ("buffer", "tensor"):
                t = p.dtype if p.dtype is not None else specialization.buffer_dtype(i)
                ref = buffer_ref(trace, f"device {t.name}*", self.loc)
                arg = Buffer(ref, p.name, t, "device", None)
            else:
                t = p.dtype
                ref = arg = new_value(trace, t, trace.root, self.loc)
            args.append(arg if specialization is None else specialization.argument(i, arg))
            kind = "scalar" if p.kind == "scalar" else "buffer"
            ir_params.append(ir.Param(ref.value.id, p.name, kind, t.name))
        previous = set_current(trace)
        try:
            # `for i in enigma.range(...)` loops run as rewritten by loop_rewrite.py.
            returned = rewrite_range_loops(self.fn)(*args)
        finally:
            set_current(previous)
            trace.root.closed = True
        if returned is not None:
            raise TraceError(
                f"kernel `{self.name}` returned a value; kernels return nothing",
                self.loc,
                hint="store results into an output buffer parameter: out[i] = value",
            )
        body = trace.builtin_ops + trace.alloc_ops + trace.root.ops
        return ir.Kernel(self.name, self.loc, ir_params, body)

    def _resolve_params(self, final: bool) -> list[KernelParam] | None:
        """Check the annotations; a string annotation naming something not defined yet is
        resolved at the first trace (`final`)."""
        if self._params is not None:
            return self._params
        params = []
        for p in inspect.signature(self.fn).parameters.values():
            if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                raise self._param_error(
                    p.name,
                    "is variadic or keyword-only",
                    "list each buffer and Scalar parameter by name",
                )
            if p.default is not p.empty:
                raise self._param_error(
                    p.name, "has a default value", "kernel arguments are given at launch; remove it"
                )
            ann = p.annotation
            if isinstance(ann, str):
                ann = self._evaluate(p.name, ann, final)
                if ann is None:
                    return None
            params.append(self._param(p.name, ann))
        self._params = params
        return params

    def _evaluate(self, name: str, text: str, final: bool):
        """A string annotation: a Metal/short dtype name, or an expression such as
        "enigma.Scalar(enigma.u32)" (PEP 563 annotations)."""
        try:
            return dt.dtype(text, what="type")
        except EnigmaError as e:
            not_a_dtype = e
        namespace = dict(self.fn.__globals__)
        for var, cell in zip(self.fn.__code__.co_freevars, self.fn.__closure__ or (), strict=True):
            try:
                namespace[var] = cell.cell_contents
            except ValueError:  # a closure variable not assigned yet
                pass
        try:
            return eval(text, namespace)  # noqa: S307 - the user's own annotation
        except NameError:
            if not final:
                return None  # may name something defined after the kernel: retry at trace
            raise self._param_error(name, f": {not_a_dtype.message}", not_a_dtype.hint) from None
        except Exception as e:
            raise self._param_error(
                name, f"annotation {text!r} cannot be evaluated: {e}", _ANNOTATION_HINT
            ) from None

    def _param(self, name: str, ann) -> KernelParam:
        if ann is inspect.Parameter.empty:
            raise self._param_error(name, "has no type annotation", _ANNOTATION_HINT)
        jit_kind = _jit_param_kind(ann)
        if jit_kind is not None:
            return KernelParam(name, jit_kind, None)
        if isinstance(ann, dt.Scalar):
            return KernelParam(name, "scalar", ann.dtype)
        if ann is dt.Scalar:
            raise self._param_error(
                name,
                "is annotated with Scalar but no dtype",
                f"write `{name}: enigma.Scalar(enigma.f32)`",
            )
        # Python classes other than dtypes (int, list...) would otherwise reach numpy's
        # resolver, which maps them to int64/object; float gets dtype()'s 64-bit message.
        if isinstance(ann, type) and ann is not float and not issubclass(ann, _TYPE_CLASSES):
            raise self._param_error(
                name,
                f"is annotated with `{ann.__name__}`, which is not an Enigma type",
                _ANNOTATION_HINT,
            )
        try:
            return KernelParam(name, "buffer", dt.dtype(ann, what="type"))
        except EnigmaError as e:
            raise self._param_error(name, f": {e.message}", e.hint or _ANNOTATION_HINT) from None

    def _param_error(self, name: str, problem: str, hint: str | None) -> EnigmaError:
        sep = "" if problem.startswith(":") else " "
        return EnigmaError(
            f"parameter `{name}` of kernel `{self.name}`{sep}{problem}", self.loc, hint
        )


_TYPE_CLASSES = (dt.DType, np.generic)
_ANNOTATION_HINT = (
    "annotate each parameter: `a: enigma.f32` for a device buffer, or"
    " `n: enigma.Scalar(enigma.u32)` for a value passed by value"
)


def _jit_param_kind(ann) -> str | None:
    """The @enigma.jit parameter kind an annotation names: `enigma.Constexpr` is
    "constexpr", `enigma.Tensor` is "tensor"; anything else None."""
    from ..jit.specialize import Constexpr

    if ann is Constexpr or isinstance(ann, Constexpr):
        return "constexpr"
    try:
        from ..tensor import Tensor
    except ImportError:  # pragma: no cover - only while the tensor package is absent
        return None
    if ann is Tensor:
        return "tensor"
    return None


def _def_location(fn) -> SourceLocation:
    """The `def` line of `fn` (co_firstlineno is the first decorator's line)."""
    code = fn.__code__
    filename = code.co_filename
    if not filename.startswith("<"):
        filename = os.path.abspath(filename)
    line = code.co_firstlineno
    for offset in range(64):
        text = linecache.getline(filename, line + offset)
        stripped = text.lstrip()
        if stripped.startswith(("def ", "async def ")):
            return SourceLocation(filename, line + offset, len(text) - len(stripped))
        if not text:
            break
    return SourceLocation(filename, line, 0)


def kernel(fn=None):
    """Turn a function into an Enigma kernel, traced when it is first compiled.

    >>> @enigma.kernel
    ... def vector_add(a: enigma.f32, b: enigma.f32, c: enigma.f32):
    ...     i = enigma.thread_position_in_grid
    ...     c[i] = a[i] + b[i]
    """
    if fn is None:  # @enigma.kernel()
        return kernel
    if isinstance(fn, KernelFunction):
        return fn
    if not inspect.isfunction(fn):
        raise EnigmaError(
            f"@enigma.kernel decorates a Python function, not {fn!r}",
            hint="put @enigma.kernel on a `def`",
        )
    return KernelFunction(fn)
