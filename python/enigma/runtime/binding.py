"""Turning what a caller passed into one value per kernel parameter.

Two calling conventions exist (SPEC §4 Running):

* direct, `compiled(a, b, c, grid=..., threads=...)`: one argument per
  parameter in order, buffers used in place so outputs land in the caller's
  arrays;
* runtime objects, `execute(compiled, inputs, output_size, ...)`: `inputs`
  fill the parameters in order (Scalars may instead come from `scalars=`, by
  name or by position among the Scalars), and the trailing buffers left
  unfilled are outputs, allocated zeroed with the byte sizes given. Inputs are
  copied, as a GPU runtime copies them into device buffers, so a kernel that
  writes its inputs never changes the caller's arrays.

Both produce a `Bound`: one numpy array per parameter (a Scalar becomes a
one-element array holding its bits) plus which parameters are outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import LaunchError
from .arguments import KernelLike, Param, check_buffer, check_count, check_scalar, kernel_params


@dataclass
class Bound:
    """The arguments of a launch in parameter order, and which of them are outputs."""

    params: list[Param]
    values: list[np.ndarray]
    outputs: list[int]


def bind_direct(kernel: KernelLike, arrays) -> Bound:
    """`compiled(*arrays)`: one argument per parameter, buffers in place."""
    params = kernel_params(kernel)
    check_count(kernel, params, len(arrays))
    values = [
        check_buffer(kernel, p, a) if p.is_buffer else check_scalar(kernel, p, a)
        for p, a in zip(params, arrays, strict=True)
    ]
    return Bound(params, values, [i for i, p in enumerate(params) if p.is_buffer and p.writes])


def _input_buffer(kernel: KernelLike, param: Param, value) -> np.ndarray:
    """A private copy of an input given as a numpy array or as raw bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = np.frombuffer(bytes(value), dtype=np.uint8)
        return _allocate(kernel, param, raw.nbytes, raw)
    return check_buffer(kernel, param, value).copy()


def _allocate(kernel: KernelLike, param: Param, nbytes, data=None) -> np.ndarray:
    """A zeroed (or `data`-filled) buffer of `nbytes` for `param`, aligned for its dtype."""
    what = f"buffer `{param.name}` ({param.dtype.name}) of kernel `{kernel.kernel_name}`"
    if not isinstance(nbytes, (int, np.integer)) or nbytes < 0 or nbytes % param.dtype.itemsize:
        raise LaunchError(
            f"{what} was given {nbytes!r} bytes, not a multiple of "
            f"{param.dtype.itemsize} (one {param.dtype.name})",
            hint="give sizes in bytes: element count * itemsize",
        )
    buffer = np.zeros(int(nbytes) // param.dtype.scalar.itemsize, dtype=param.dtype.numpy)
    if data is not None:
        buffer.view(np.uint8)[:] = data
    return buffer


def _scalar_source(kernel: KernelLike, params: list[Param], scalars) -> dict[int, object]:
    """Parameter index -> value for the Scalars given through `scalars=`."""
    scalar_idx = [i for i, p in enumerate(params) if not p.is_buffer]
    if scalars is None:
        return {}
    if isinstance(scalars, dict):
        by_name = {params[i].name: i for i in scalar_idx}
        unknown = [k for k in scalars if k not in by_name]
        if unknown:
            raise LaunchError(
                f"kernel `{kernel.kernel_name}` has no Scalar named "
                f"{', '.join(map(repr, unknown))}",
                hint=f"its Scalars are {', '.join(by_name) or 'none'}",
            )
        return {by_name[k]: v for k, v in scalars.items()}
    scalars = list(scalars)
    if len(scalars) > len(scalar_idx):
        raise LaunchError(
            f"kernel `{kernel.kernel_name}` has {len(scalar_idx)} Scalars but "
            f"{len(scalars)} values were given in scalars=",
            hint="pass one value per Scalar parameter, in order",
        )
    return dict(zip(scalar_idx, scalars, strict=False))  # the leading Scalars


def bind_execute(
    kernel: KernelLike, inputs, output_size=None, *, scalars=None, output_sizes=None
) -> Bound:
    """`execute(compiled, inputs, ...)` and `prepare(...)`: inputs, Scalars and outputs."""
    params = kernel_params(kernel)
    given_scalars = _scalar_source(kernel, params, scalars)
    pending = list(inputs)
    values: list[np.ndarray | None] = [None] * len(params)
    for i, p in enumerate(params):
        if i in given_scalars:
            values[i] = check_scalar(kernel, p, given_scalars[i])
        elif pending:
            value = pending.pop(0)
            values[i] = (
                _input_buffer(kernel, p, value) if p.is_buffer else check_scalar(kernel, p, value)
            )
    if pending:
        raise LaunchError(
            f"kernel `{kernel.kernel_name}` has {len(params)} parameters but "
            f"{len(inputs)} inputs were given (plus {len(given_scalars)} "
            f"scalars)",
            hint="pass inputs for the leading parameters only",
        )
    outputs = [i for i, v in enumerate(values) if v is None]
    missing = [params[i].name for i in outputs if not params[i].is_buffer]
    if missing:
        raise LaunchError(
            f"Scalar {', '.join(map(repr, missing))} of kernel "
            f"`{kernel.kernel_name}` was given no value",
            hint="pass it in inputs or in scalars={name: value}",
        )
    if output_sizes is None:
        sizes = [] if output_size is None else [output_size]
    else:
        sizes = list(output_sizes)
    if len(sizes) != len(outputs):
        names = ", ".join(params[i].name for i in outputs) or "none"
        raise LaunchError(
            f"kernel `{kernel.kernel_name}` has {len(outputs)} output buffers "
            f"({names}) but {len(sizes)} output sizes were given",
            hint="give output_size=nbytes for one output, output_sizes=[...] for several",
        )
    for i, nbytes in zip(outputs, sizes, strict=True):
        values[i] = _allocate(kernel, params[i], nbytes)
    return Bound(params, values, outputs)
