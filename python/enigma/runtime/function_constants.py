"""Checking a launch's `constants=` against the kernel's function constants.

A kernel that reads `function_constant(dtype, index)` lists its constants in
its compile result (`function_constants`: index, MSL name, dtype). A launch
gives their values as ``constants={index: value}``; every constant needs one
of the right Python type (bool for bool, int in range for integers, a real
number for floats). What passes is a `Specialization`: the values in index
order with the exact bits they have in the kernel's type, which is what a
device specializes the kernel for (the cpu device builds one object per
specialization; `host_definitions` is what its launcher defines).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..dtypes import DType, dtype, float_to_bfloat16_bits
from ..errors import LaunchError
from .arguments import KernelLike

#: ((index, dtype name, bits), ...) in index order; () for a kernel without constants.
Specialization = tuple


def declared_constants(kernel: KernelLike) -> list[dict]:
    return list(getattr(kernel, "function_constants", None) or [])


def check_constants(kernel: KernelLike, constants) -> Specialization:
    """The specialization `constants` gives `kernel`, or a LaunchError saying what is wrong."""
    declared = declared_constants(kernel)
    name = kernel.kernel_name
    if constants is None:
        constants = {}
    if not isinstance(constants, dict):
        raise LaunchError(
            f"constants= for kernel `{name}` must be a dict of index -> value, not"
            f" {type(constants).__name__}",
            hint="pass e.g. constants={0: 16}",
        )
    by_index = {c["index"]: c for c in declared}
    listing = ", ".join(f"{c['index']}: {c['dtype']}" for c in declared) or "none"
    unknown = [k for k in constants if k not in by_index]
    if unknown:
        raise LaunchError(
            f"kernel `{name}` has no function constant {', '.join(map(repr, unknown))}"
            f" (its function constants: {listing})",
            hint="key constants= by the index given to enigma.function_constant(dtype, index)",
        )
    values = []
    for index, c in sorted(by_index.items()):
        t = dtype(c["dtype"])
        where = f"function constant {index} (`{c['name']}`, {t.name}) of kernel `{name}`"
        if index not in constants:
            raise LaunchError(
                f"{where} was given no value",
                hint=f"pass constants={{{index}: ...}} with every launch",
            )
        values.append((index, t.name, _bits(where, t, constants[index])))
    return tuple(values)


def _bits(where: str, t: DType, value) -> int:
    """`value` as the bits of a `t`, checked like a Scalar argument."""
    if t.is_bool:
        if not isinstance(value, (bool, np.bool_)):
            raise LaunchError(f"{where} got {value!r}", hint="pass True or False")
        return int(bool(value))
    if t.is_int:
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (numbers.Integral, np.integer)
        ):
            raise LaunchError(f"{where} got {value!r}", hint="pass a Python int")
        info = np.iinfo(t.numpy)
        if not info.min <= int(value) <= info.max:
            raise LaunchError(
                f"{where} got {value}, outside {t.name}'s range [{info.min}, {info.max}]",
                hint="pass a value in range, or declare the constant with a wider dtype",
            )
        return int(value) & ((1 << t.bits) - 1)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.number)):
        raise LaunchError(f"{where} got {value!r}", hint="pass a Python float")
    with np.errstate(over="ignore"):
        if t.name == "bfloat":
            bits = int(float_to_bfloat16_bits(np.asarray([value], dtype=np.float32))[0])
            converted = float(np.asarray([bits << 16], np.uint32).view(np.float32)[0])
        else:
            converted = t.numpy.type(value)
            bits = int(np.asarray([converted]).view(f"u{t.itemsize}")[0])
    if math.isfinite(float(value)) and not math.isfinite(float(converted)):
        raise LaunchError(f"{where} got {value}, which overflows {t.name}")
    return bits


def host_definitions(specialization: Specialization) -> str:
    """C++ definitions of the constants' values, for the cpu launcher (one line each,
    read by enigma_host/function_constants.h); exact bits via __builtin_bit_cast."""
    lines = []
    for index, type_name, bits in specialization:
        t = dtype(type_name)
        if t.is_bool:
            literal = "true" if bits else "false"
        else:
            unsigned = {8: "uchar", 16: "ushort", 32: "uint", 64: "ulong"}[t.bits]
            literal = f"__builtin_bit_cast({t.name}, {unsigned}({bits:#x}ULL))"
        lines.append(f"constexpr {t.name} enigma_function_constant_{index} = {literal};")
    return "".join(line + "\n" for line in lines)
