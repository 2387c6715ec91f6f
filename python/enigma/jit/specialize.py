"""Matching a launch's arguments to a kernel's parameters: one specialization per combination.

An `@enigma.jit` launch `k(a, 16, 0.5).launch(...)` gives each kernel parameter a
host value. A buffer parameter (a dtype annotation or `enigma.Tensor`) takes a
`Tensor`: the program buffer it names (`buffer_index`) is bound at dispatch and its
static description (`spec_key()`: dtype, layout, offset) shapes the trace, where the
parameter is `tensor.bind(buffer)`. An `enigma.Constexpr` parameter takes any host
value (int, tuple, Layout, tiler...), baked into the trace. A `Scalar(dtype)`
parameter takes a Python number passed at dispatch, so the MSL stays general.

The kernel is traced once per distinct (tensor spec keys, constexpr values): the
`KernelSpecialization` below is what `KernelFunction.trace(specialization)` reads.
"""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import numpy as np

from .. import dtypes as dt
from ..errors import EnigmaError, LaunchError, SourceLocation
from ..runtime.arguments import Param, check_scalar


class Constexpr:
    """Annotates a kernel parameter whose value is a host value baked into the trace.

    >>> @enigma.kernel
    ... def fill(out: enigma.f32, n: enigma.Constexpr):
    ...     for j in enigma.range_constexpr(n):
    ...         out[j] = j
    """

    def __class_getitem__(cls, item):  # `enigma.Constexpr[int]` reads as `enigma.Constexpr`
        return cls


def tensor_class():
    """`enigma.tensor.Tensor` (imported late: the tensor package builds on the language)."""
    from ..tensor import Tensor

    return Tensor


def freeze(value, what: str, loc: SourceLocation | None):
    """A hashable key for a host value that identifies how it can shape a trace.

    The type is part of the key, so `True`, `1` and `1.0` (equal in Python) trace apart.
    """
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(freeze(v, what, loc) for v in value))
    if isinstance(value, dict):
        items = sorted((repr(k), freeze(v, what, loc)) for k, v in value.items())
        return ("dict", tuple(items))
    if isinstance(value, np.generic):
        return (value.dtype.str, value.item())
    try:
        hash(value)
    except TypeError:
        raise EnigmaError(
            f"{what} is a {type(value).__name__}, which cannot key the compile cache",
            loc,
            hint="pass a hashable host value: an int, a tuple, a Layout, a dtype...",
        ) from None
    return (type(value).__module__, type(value).__qualname__, value)


class KernelSpecialization:
    """What one kernel's body receives at one launch (see the module docstring).

    ``key`` identifies the trace; ``buffer_dtype(i)`` and ``argument(i, traced)`` are
    what `KernelFunction._trace` calls for parameter ``i``.
    """

    __slots__ = ("key", "tensors", "constexprs")

    def __init__(self, key: tuple, tensors: dict, constexprs: dict):
        self.key = key
        self.tensors = tensors  # parameter index -> Tensor
        self.constexprs = constexprs  # parameter index -> host value

    def buffer_dtype(self, i: int) -> dt.DType:
        return dt.dtype(self.tensors[i].dtype)

    def argument(self, i: int, traced):
        if traced is None:
            return self.constexprs[i]
        tensor = self.tensors.get(i)
        return traced if tensor is None else tensor.bind(traced)


class BoundLaunch:
    """A launch's arguments matched to the kernel: the specialization and, per buffer or
    Scalar parameter (the compiled kernel's parameters, in order), ``("buffer", tensor)``
    or ``("scalar", value)``."""

    __slots__ = ("specialization", "arguments")

    def __init__(self, specialization: KernelSpecialization, arguments: list):
        self.specialization = specialization
        self.arguments = arguments


def bind_launch(
    kernel, args: tuple, kwargs: dict, loc: SourceLocation, options_key: tuple = ()
) -> BoundLaunch:
    """Match `kernel(*args, **kwargs)` inside an @enigma.jit function to its parameters.

    `options_key` (the compile options a trace can read, e.g. vec_width) joins the key.
    """
    params = kernel.params
    values = _by_parameter(kernel, params, args, kwargs, loc)
    Tensor = tensor_class()
    key, tensors, constexprs, arguments = [], {}, {}, []
    for i, (p, value) in enumerate(zip(params, values, strict=True)):
        where = f"argument `{p.name}` of kernel `{kernel.name}`"
        if p.kind == "constexpr":
            key.append(freeze(value, where, loc))
            constexprs[i] = value
        elif p.kind == "scalar":
            arguments.append(("scalar", _scalar(kernel, p, value, loc)))
            key.append(None)
        else:
            if not isinstance(value, Tensor):
                raise LaunchError(
                    f"{where} is a device buffer and takes an enigma.Tensor, not"
                    f" {_describe(value)}",
                    loc,
                    hint="pass a Tensor: an argument of the @enigma.jit function (enigma.compile"
                    " turns numpy arrays into Tensors) or a view of one",
                )
            _check_tensor(where, p, value, loc)
            key.append(("tensor", value.spec_key()))
            tensors[i] = value
            arguments.append(("buffer", value))
    specialization = KernelSpecialization(tuple(key) + options_key, tensors, constexprs)
    return BoundLaunch(specialization, arguments)


def _by_parameter(kernel, params, args: tuple, kwargs: dict, loc) -> list:
    """The launch's values in parameter order (keyword arguments name parameters)."""
    signature = ", ".join(repr(p) for p in params)
    try:
        bound = inspect.signature(kernel.fn).bind(*args, **kwargs)
    except TypeError as e:
        raise LaunchError(
            f"kernel `{kernel.name}` was launched with the wrong arguments: {e}",
            loc,
            hint=f"pass one argument per parameter: {kernel.name}({signature})",
        ) from None
    return [bound.arguments[p.name] for p in params]


def check_buffer_index(where: str, tensor, loc) -> None:
    """A Tensor that names a program buffer needs a buffer_index: an int >= 0."""
    index = tensor.buffer_index
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise LaunchError(
            f"{where} is Tensor `{tensor.name}` with buffer_index {index!r}, which names no"
            " program buffer",
            loc,
            hint="give device Tensors a buffer_index >= 0: Tensor(name, 0, dtype, layout)",
        )


def _check_tensor(where: str, p, tensor, loc) -> None:
    if tensor.address_space != "device":
        raise LaunchError(
            f"{where} got a {tensor.address_space} Tensor `{tensor.name}`; kernels are launched"
            " with device memory",
            loc,
            hint="pass a device Tensor (address_space='device'); make threadgroup Tensors"
            " inside the kernel",
        )
    check_buffer_index(where, tensor, loc)
    if p.dtype is not None and dt.dtype(tensor.dtype) is not p.dtype:
        raise LaunchError(
            f"{where} is a {p.dtype.name} buffer but Tensor `{tensor.name}` holds"
            f" {dt.dtype(tensor.dtype).name}",
            loc,
            hint=f"pass a Tensor of {p.dtype!r}, or annotate the parameter `{p.name}:"
            " enigma.Tensor` to accept any dtype",
        )


def _scalar(kernel, p, value, loc):
    """A Scalar argument: a Python number (lanes for a vector) checked against the
    parameter's dtype now, at the launch line, as the runtime would check it."""
    param = Param(p.name, "scalar", p.dtype, 0, "read")
    try:
        check_scalar(SimpleNamespace(kernel_name=kernel.name), param, value)
    except LaunchError as e:
        raise LaunchError(
            e.message,
            loc,
            f"{e.hint}; a Scalar is a number computed on the host (e.g. enigma.size(layout)),"
            " to bake any other host value into the kernel annotate it enigma.Constexpr",
        ) from None
    return value


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array {value.dtype}{list(value.shape)}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) < 40 else text[:37] + '...'}"
