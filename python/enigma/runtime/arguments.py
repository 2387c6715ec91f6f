"""Checking launch arguments against a kernel's parameter table, before any device work.

Every device validates the same way (SPEC §5): the number of arguments, each
buffer's dtype, contiguity, alignment and writability, each Scalar's Python
type and range, and the grid and threadgroup shape. Each problem is a
`LaunchError` that names the kernel, the parameter and the fix. What passes
comes back as plain data (`Buffer`, `ScalarValue`) that a device turns into
pointers.

A kernel is anything with the attributes of `KernelLike` (a `CompiledKernel`).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..dtypes import DType, dtype, float_to_bfloat16_bits
from ..errors import LaunchError

MAX_THREADS_PER_THREADGROUP = 1024


class KernelLike(Protocol):
    """What the runtimes read from a compiled kernel (docs/architecture.md §3)."""

    kernel_name: str
    metal_source: str
    params: list[dict]  # name, kind ("buffer" | "scalar"), dtype, buffer_index, access
    builtins: list[str]  # builtin parameters of the MSL signature, in order
    uses_barriers: bool


@dataclass(frozen=True)
class Param:
    """One row of a kernel's parameter table, with its dtype resolved."""

    name: str
    kind: str
    dtype: DType
    buffer_index: int
    access: str
    alignment: int = 0  # bytes the address must be a multiple of for vector accesses

    @property
    def is_buffer(self) -> bool:
        return self.kind == "buffer"

    @property
    def writes(self) -> bool:
        return self.access in ("write", "read_write")


def kernel_params(kernel: KernelLike) -> list[Param]:
    """The kernel's parameters in signature order."""
    return [
        Param(
            p["name"],
            p["kind"],
            dtype(p["dtype"]),
            int(p["buffer_index"]),
            p.get("access", "read_write"),
            int(p.get("alignment", 0)),
        )
        for p in kernel.params
    ]


def _where(kernel: KernelLike, param: Param) -> str:
    kind = "buffer" if param.is_buffer else "Scalar"
    return f"{kind} `{param.name}` ({param.dtype.name}) of kernel `{kernel.kernel_name}`"


def check_buffer(kernel: KernelLike, param: Param, array) -> np.ndarray:
    """`array` if it can back `param` in place; a LaunchError saying why not otherwise."""
    where = _where(kernel, param)
    want = param.dtype
    if not isinstance(array, np.ndarray):
        raise LaunchError(
            f"{where} got a {type(array).__name__}, not a numpy array",
            hint=f"pass a numpy array of {want.numpy} (np.asarray(x, dtype=np.{want.numpy}))",
        )
    if want.lanes > 1 and array.dtype.fields is not None:
        fields_ok = all(f[0].base == want.numpy for f in array.dtype.fields.values())
        if array.dtype.itemsize != want.itemsize or not fields_ok:
            raise LaunchError(
                f"{where} got structured dtype {array.dtype}",
                hint=f"use records of {want.itemsize} bytes made of "
                f"{want.numpy}, or a plain {want.numpy} array",
            )
    elif array.dtype != want.numpy:
        hint = f"pass {want.numpy} data (x.astype(np.{want.numpy}))"
        if want.scalar.name == "bfloat":
            hint = "pass the bfloat bits as uint16 (enigma.dtypes.float_to_bfloat16_bits(x))"
        raise LaunchError(f"{where} got an array of {array.dtype}", hint=hint)
    elif want.lanes > 1 and array.nbytes % want.itemsize:
        lanes = want.itemsize // want.scalar.itemsize
        raise LaunchError(
            f"{where} got {array.size} {array.dtype} values, not a whole "
            f"number of {want.name} ({lanes} lanes each)",
            hint=f"give a multiple of {lanes} values"
            + (" (3-lane vectors are padded to 4)" if want.lanes == 3 else ""),
        )
    elif want.lanes > 1 and array.ndim > 1 and array.shape[-1] != want.itemsize // array.itemsize:
        # A vector buffer is flat lanes or one row per vector; rows of the wrong
        # width (an (n, 3) array for float3, which Metal pads to 4) would be misread.
        lanes = want.itemsize // array.itemsize
        raise LaunchError(
            f"{where} got an array of shape {array.shape}: each {want.name} takes {lanes}"
            f" {array.dtype} values",
            hint=f"pass shape (n, {lanes})"
            + (
                " (3-lane vectors are padded to 4: fill the 4th lane with 0)"
                if want.lanes == 3
                else ""
            ),
        )
    if not array.flags.c_contiguous:
        raise LaunchError(
            f"{where} got a non-contiguous array (a strided view or transpose)",
            hint="pass np.ascontiguousarray(x), and read results from that copy",
        )
    if array.ctypes.data % want.itemsize and array.size:
        raise LaunchError(
            f"{where} is at an address not aligned to {want.itemsize} bytes",
            hint="pass a freshly allocated array (e.g. x.copy())",
        )
    if param.alignment and array.ctypes.data % param.alignment and array.size:
        raise LaunchError(
            f"{where} is at an address not aligned to {param.alignment} bytes, which the"
            " kernel's vector loads and stores need",
            hint="pass a freshly allocated array (numpy aligns those to 16 bytes), not a view"
            " that starts inside another array",
        )
    if param.writes and not array.flags.writeable:
        raise LaunchError(
            f"{where} is written by the kernel but the array is read-only",
            hint="pass a writable array (x.copy())",
        )
    return array


def check_scalar(kernel: KernelLike, param: Param, value) -> np.ndarray:
    """`value` as a one-element (or one-vector) array of `param`'s dtype."""
    where = _where(kernel, param)
    want = param.dtype
    lanes = (
        list(value) if want.lanes > 1 and isinstance(value, (list, tuple, np.ndarray)) else [value]
    )
    if len(lanes) != want.lanes:
        raise LaunchError(
            f"{where} got {value!r}", hint=f"pass {want.lanes} numbers (a tuple) for a {want.name}"
        )
    scalar = want.scalar
    for lane in lanes:
        ok_type = isinstance(lane, (numbers.Number, np.number, np.bool_))
        if scalar.is_bool:
            ok_type = isinstance(lane, (bool, np.bool_)) or lane in (0, 1)
        elif scalar.is_int:
            ok_type = isinstance(lane, (numbers.Integral, np.integer)) and not isinstance(
                lane, (bool, np.bool_)
            )
        if not ok_type:
            kind = (
                "True or False"
                if scalar.is_bool
                else f"a Python {'int' if scalar.is_int else 'number'}"
            )
            raise LaunchError(
                f"{where} got {lane!r} of type {type(lane).__name__}", hint=f"pass {kind}"
            )
        if scalar.is_int:
            info = np.iinfo(scalar.numpy)
            if not info.min <= int(lane) <= info.max:
                raise LaunchError(
                    f"{where} got {lane}, outside {scalar.name}'s range [{info.min}, {info.max}]",
                    hint="pass a value in range, or declare the parameter with a wider type",
                )
    padded = lanes + [0] * (want.itemsize // max(1, scalar.itemsize) - len(lanes))
    if scalar.name == "bfloat":
        return float_to_bfloat16_bits(np.asarray(padded, dtype=np.float32))
    return np.asarray(padded, dtype=scalar.numpy)


def check_shape(kernel: KernelLike, what: str, value) -> tuple[int, int, int]:
    """`grid` or `threads` as three positive 32-bit counts (missing dimensions are 1)."""
    dims = (value,) if isinstance(value, (numbers.Integral, np.integer)) else value
    try:
        dims = tuple(dims)
    except TypeError:
        dims = None
    ok = (
        dims is not None
        and 1 <= len(dims) <= 3
        and all(
            isinstance(d, (numbers.Integral, np.integer))
            and not isinstance(d, bool)
            and 0 < int(d) < 2**32
            for d in dims
        )
    )
    if not ok:
        raise LaunchError(
            f"{what}={value!r} for kernel `{kernel.kernel_name}` is not 1 to 3 positive integers",
            hint=f"pass e.g. {what}=(n, 1, 1)",
        )
    dims = tuple(int(d) for d in dims) + (1,) * (3 - len(dims))
    if what == "threads":
        total = dims[0] * dims[1] * dims[2]
        if total > MAX_THREADS_PER_THREADGROUP:
            raise LaunchError(
                f"threads={dims} for kernel `{kernel.kernel_name}` is {total} "
                f"threads per threadgroup; the limit is "
                f"{MAX_THREADS_PER_THREADGROUP}",
                hint="use a smaller threadgroup, e.g. threads=(256, 1, 1)",
            )
    return dims


def check_required_threads(kernel: KernelLike, grid: tuple, threads: tuple) -> None:
    """Refuse a checked launch shape other than the full (2R + 128, 1, 1) threadgroups
    that a kernel's threadgroup matrices need (every thread of a group takes part in them)."""
    required = int(getattr(kernel, "required_threads", 0) or 0)
    if not required:
        return
    rows = (required - 128) // 2
    what = f"kernel `{kernel.kernel_name}`: its threadgroup matrices of {rows} rows"
    if tuple(threads) != (required, 1, 1):
        raise LaunchError(
            f"threads={tuple(threads)} for {what} need exactly ({required}, 1, 1) threads per"
            f" threadgroup (2 x {rows} that hold the matrix, 128 that stage its tiles; one"
            " dimension)",
            hint=f"launch with threads=({required}, 1, 1) and cover larger problems with"
            " more threadgroups (the grid)",
        )
    if grid[0] % required:
        raise LaunchError(
            f"grid={tuple(grid)} for {what} need whole threadgroups, but grid x is not a"
            f" multiple of {required}",
            hint=f"round grid x up to a multiple of {required} (one threadgroup per tile:"
            f" grid=(tiles * {required}, 1, 1))",
        )


def check_count(kernel: KernelLike, params: list[Param], given: int) -> None:
    if given != len(params):
        sig = ", ".join(f"{p.name}: {p.dtype.name}" for p in params)
        raise LaunchError(
            f"kernel `{kernel.kernel_name}` takes {len(params)} arguments "
            f"({sig}) but {given} were given",
            hint="pass one array per buffer and one number per Scalar, in parameter order",
        )
