"""Type rules of the kernel language (SPEC §4): MSL's usual arithmetic conversions.

Pure functions on dtypes and Python literals; nothing here emits IR. The tracer
asks them which type an operation computes in, then makes every conversion an
explicit `cast` op so the emitted MSL never relies on an implicit C++ one.

Rank (low to high): bool < char/uchar < short/ushort < int/uint < long/ulong
< half = bfloat < float. As in C and MSL, scalar bool/char/short operands are
promoted to int first; same-rank signed + unsigned gives the unsigned type;
half + bfloat (neither holds the other) gives float. Vectors are not promoted:
vector op vector needs identical types, and a scalar meeting a vector must not
outrank the vector's element type (OpenCL's rule, which MSL follows).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..dtypes import DType

_RANK = {"bool": 0, "char": 1, "uchar": 1, "short": 2, "ushort": 2, "int": 3, "uint": 3,
         "long": 4, "ulong": 4, "half": 5, "bfloat": 5, "float": 6}  # fmt: skip
_FLOAT_MAX = {"float": 3.4028234663852886e38, "half": 65504.0, "bfloat": 3.3895313892515355e38}


class ConversionError(Exception):
    """A rule violation; the caller turns it into a TraceError with the user's line."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def _no_mix(a: DType, b: DType, why: str) -> ConversionError:
    return ConversionError(
        f"cannot combine `{a.name}` and `{b.name}`: {why}",
        f"convert one side explicitly, e.g. enigma.metal_cast(x, {api_name(b)})",
    )


def api_name(t: DType) -> str:
    """How user code spells `t`: enigma.f32 for scalars, enigma.float4 for vectors."""
    return f"enigma.{t.short}" if t.lanes == 1 else f"enigma.{t.name}"


def promote(t: DType) -> DType:
    """C integer promotion: scalar bool, char, short (signed or not) compute as int."""
    if t.lanes == 1 and t.kind != "float" and t.bits < 32:
        return dt.i32
    return t


def _scalar_common(a: DType, b: DType) -> DType:
    """Usual arithmetic conversions of two scalar types (after integer promotion)."""
    if a is b:
        return a
    if a.is_float or b.is_float:
        if a.is_float and b.is_float:
            if _RANK[a.name] == _RANK[b.name]:  # half + bfloat: neither holds the other
                return dt.f32
            return a if a.bits > b.bits else b
        return a if a.is_float else b
    a, b = promote(a), promote(b)
    if a is b:
        return a
    if a.kind == b.kind:
        return a if a.bits > b.bits else b
    signed, unsigned = (a, b) if a.is_signed else (b, a)
    if unsigned.bits >= signed.bits:
        return unsigned
    return signed  # a wider signed type holds every value of the unsigned one (long + uint)


def common_type(a: DType, b: DType) -> DType:
    """The type an arithmetic, bitwise or comparison op computes in."""
    if a.lanes == 1 and b.lanes == 1:
        return promote(_scalar_common(a, b))
    if a.lanes > 1 and b.lanes > 1:
        if a is b:
            return a
        if a.lanes != b.lanes:
            raise _no_mix(a, b, f"vectors of {a.lanes} and {b.lanes} lanes")
        raise _no_mix(
            a, b, "vector element types differ and vectors are never converted implicitly"
        )
    vec, scal = (a, b) if a.lanes > 1 else (b, a)
    elem = vec.scalar
    if (scal.is_float and not elem.is_float) or _RANK[scal.name] > _RANK[elem.name]:
        raise _no_mix(
            a,
            b,
            f"the scalar `{scal.name}` would have to narrow to the vector's"
            f" element type `{elem.name}`",
        )
    return vec


def check_arithmetic(a: DType, b: DType, op: str) -> DType:
    """Type of `a op b` for + - * / // % ** min max: no bools."""
    if a.scalar.is_bool or b.scalar.is_bool:
        raise ConversionError(
            f"`{op}` is arithmetic and cannot take a bool (`{a.name}` {op} `{b.name}`)",
            "convert the bool first: enigma.where(0, 1, cond) or enigma.metal_cast(c, enigma.i32)",
        )
    return common_type(a, b)


def check_bitwise(a: DType, b: DType, op: str) -> DType:
    """Type of `a op b` for & | ^: two bools stay bool (logical); integers convert; no floats."""
    if a.scalar.is_float or b.scalar.is_float:
        raise ConversionError(
            f"`{op}` needs integer or bool operands, not `{a.name}` {op} `{b.name}`",
            "reinterpret the bits with enigma.as_type, or compare first",
        )
    if a.scalar.is_bool or b.scalar.is_bool:
        if a is b:
            return a
        raise _no_mix(a, b, f"`{op}` mixes a bool with an integer; compare the integer first")
    return common_type(a, b)


def check_shift(a: DType, b: DType, op: str) -> DType:
    """Type of `a << b`: the (promoted) left operand's type; integers only."""
    if not (a.scalar.is_int and b.scalar.is_int):
        raise ConversionError(
            f"`{op}` needs integer operands, not `{a.name}` {op} `{b.name}`",
            "shift integer values only (use enigma.metal_cast to convert)",
        )
    if b.lanes > 1 and b.lanes != a.lanes:
        raise _no_mix(a, b, f"vectors of {a.lanes} and {b.lanes} lanes")
    return promote(a)


def check_compare(a: DType, b: DType, op: str) -> DType:
    """The type compared in; bools only compare to bools, with == and !=."""
    if a.scalar.is_bool or b.scalar.is_bool:
        if a is b and op in ("==", "!="):
            return a
        raise ConversionError(
            f"cannot compare `{a.name}` {op} `{b.name}`",
            "bools only compare to bools with == and !=; combine conditions with & and |",
        )
    return common_type(a, b)


def bool_type(t: DType) -> DType:
    """The result type of a comparison: bool with the operands' lane count."""
    return dt.vector(dt.b1, t.lanes)


# --- Python literals -----------------------------------------------------------------------------


def literal_kind(x) -> str | None:
    """'bool' | 'int' | 'float' for a Python/numpy number, None for anything else."""
    if isinstance(x, (bool, np.bool_)):
        return "bool"
    if isinstance(x, (int, np.integer)):
        return "int"
    if isinstance(x, (float, np.floating)):
        return "float"
    return None


def int_range(t: DType) -> tuple[int, int]:
    bits = t.bits
    if t.is_signed:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def literal_value(x, t: DType, role: str = "a literal"):
    """`x` as a constant of scalar type `t`, or ConversionError (float meets int, out of range).

    `role` words the error ("a literal", "the initial value"...).
    """
    kind = literal_kind(x)
    if kind is None:
        raise not_a_number(x, role)
    if kind == "bool":
        if t.is_bool:
            return bool(x)
        raise ConversionError(
            f"{role} `{x}` is a Python bool and cannot meet a value of type `{t.name}`",
            f"use an integer, or compare: (v != 0) {'&' if x else '|'} ...",
        )
    if t.is_bool:
        raise ConversionError(
            f"{role} `{x!r}` is a Python {kind} and cannot meet a value of type `bool`",
            "use True or False with bool values",
        )
    if kind == "int":
        value = int(x)
        if t.is_float:
            if abs(value) > _FLOAT_MAX[t.name]:
                raise ConversionError(f"{role} `{value}` is out of range of `{t.name}`")
            return float(value)
        lo, hi = int_range(t)
        if not lo <= value <= hi:
            raise ConversionError(
                f"{role} `{value}` is out of range of `{t.name}` ({lo}..{hi})",
                "use a wider type: enigma.metal_cast(value, enigma.i64) or a wider operand",
            )
        return value
    value = float(x)
    if not t.is_float:
        raise ConversionError(
            f"{role} `{value!r}` is a Python float and cannot meet a value of type `{t.name}`",
            f"write an integer literal, or convert the value: enigma.metal_cast(x, enigma.f32)"
            f" (or int({value!r}) if truncation is meant)",
        )
    return value


def default_literal_type(x, role: str = "a literal") -> DType:
    """A literal with no typed partner: int for a Python int, float for a float, bool for bool."""
    kind = literal_kind(x)
    if kind == "bool":
        return dt.b1
    if kind == "float":
        return dt.f32
    if kind == "int":
        lo, hi = int_range(dt.i32)
        if not lo <= int(x) <= hi:
            raise ConversionError(
                f"{role} `{int(x)}` does not fit `int`, the type of an untyped integer literal",
                "give it a type: enigma.metal_cast(value, enigma.i64) (or enigma.u32)",
            )
        return dt.i32
    raise not_a_number(x, role)


def not_a_number(x, role: str) -> ConversionError:
    return ConversionError(
        f"{role} {x!r} (a Python {type(x).__name__}) is not a number or a traced value",
        "kernel expressions combine traced values with Python int, float and bool literals",
    )


# --- assignments ----------------------------------------------------------------------------------


def check_assign(src: DType, dst: DType, strict: bool, what: str) -> None:
    """Whether a value of type `src` may be assigned to `dst` (stores, carried values).

    Stores follow MSL assignment (any scalar converts to any scalar; a scalar splats
    into a vector). Carried values are `strict`: a float never silently truncates into
    an integer carry, and bools never mix with numbers, since those are almost always
    a wrongly typed initial value.
    """
    if src is dst:
        return
    if src.lanes > 1 and src is not dst:
        why = "a vector cannot be assigned to a scalar" if dst.lanes == 1 else "vector types differ"
        raise ConversionError(
            f"cannot assign a `{src.name}` value to {what} of type `{dst.name}`: {why}",
            f"convert explicitly with enigma.metal_cast(v, {api_name(dst)})",
        )
    if not strict:
        return
    s, d = src, dst.scalar
    if (s.is_float and not d.is_float) or (s.is_bool != d.is_bool):
        raise ConversionError(
            f"cannot assign a `{src.name}` value to {what} of type `{dst.name}`",
            f"give it a `{src.name}` initial value (e.g. 0.0 for float), or convert"
            f" explicitly with enigma.metal_cast(v, {api_name(dst)})",
        )
