"""Metal's integer and bit functions, typed comparisons and `as_type` (SPEC §4 Math).

Integer functions take their operands as Metal's overloads do: operands of
one integer type keep it (`add_sat` of two `uchar`s saturates at 255, no C
promotion to int), mixed types follow the usual arithmetic conversions, a
Python literal takes its partner's type. Each emits one traced `math` op
(`imin`/`imax` a `binary` min/max); the importer picks the signed or unsigned
flavour from the dtype, so signedness reaches the MSL.

`cmp_lt` & co. are the operators `<` & co. as functions; `cmp_ult` & co.
compare the bit patterns as unsigned whatever the operands' signedness
(`cmp_ult(-1, 0)` is false). `as_type` reinterprets bits (Metal `as_type<T>`).
"""

from __future__ import annotations

from .. import dtypes as dt
from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, binary, convert, emit, resolve_dtype, traced, value_of
from .tracing import current, user_location

# name -> (arity, what it computes). Every operand is an integer of one type.
_FUNCTIONS = {
    "imin": (2, "the smaller of two integers"),
    "imax": (2, "the larger of two integers"),
    "iclamp": (3, "imin(imax(x, lo), hi)"),
    "popcount": (1, "the number of set bits"),
    "clz": (1, "the number of leading zero bits (the bit width for 0)"),
    "ctz": (1, "the number of trailing zero bits (the bit width for 0)"),
    "reverse_bits": (1, "x with its bits in reverse order"),
    "abs_diff": (2, "|x - y| without overflow, as the unsigned type of x's width"),
    "add_sat": (2, "x + y saturated to the type's range"),
    "sub_sat": (2, "x - y saturated to the type's range"),
    "mul_hi": (2, "the high half of the full product x * y"),
    "rotate": (2, "x rotated left by y bits (y modulo the bit width)"),
    "mad_sat": (3, "x * y + z computed exactly, saturated to the type's range"),
}
# DSL name -> traced function name, where they differ.
_TRACED = {"imin": "min", "imax": "max", "iclamp": "clamp"}
_UNSIGNED = {"char": "uchar", "short": "ushort", "int": "uint", "long": "ulong"}


def _operand_type(fn: str, args, loc):
    """The integer type `fn` computes in for `args`."""
    types = [v.dtype for v in map(traced, args) if v is not None]
    try:
        t = types[0] if types else cv.default_literal_type(args[0])
        for other in types[1:]:
            t = t if other is t else cv.common_type(t, other)
    except cv.ConversionError as e:
        raise TraceError(f"{e.message} ({fn})", loc, e.hint or None) from None
    if not t.scalar.is_int:
        other = {"imin": "fmin", "imax": "fmax", "iclamp": "clamp"}.get(fn)
        raise TraceError(
            f"{fn} takes integer values, not `{t.name}`",
            loc,
            hint=f"use enigma.{other} for floats"
            if other and t.scalar.is_float
            else f"convert first: enigma.{fn}(enigma.metal_cast(x, enigma.i32), ...)",
        )
    return t


def int_operands(fn: str, args, loc) -> list[IRValue]:
    """`args` as traced integer values of one type."""
    trace = current(fn)
    t = _operand_type(fn, args, loc)
    try:
        return [convert(trace, value_of(trace, a, t.scalar, loc), t, loc) for a in args]
    except TraceError as e:
        raise TraceError(f"{e.message} ({fn})", loc, e.hint) from None


def _define(fn: str, arity: int, doc: str):
    traced_name = _TRACED.get(fn, fn)

    def int_fn(*args) -> IRValue:
        loc = user_location()
        if len(args) != arity:
            raise TraceError(f"{fn} takes {arity} argument(s), got {len(args)}", loc)
        values = int_operands(fn, args, loc)
        t = values[0].dtype
        if fn == "abs_diff":
            t = _unsigned(t)
        if traced_name in ("min", "max"):
            return emit(current(fn), "binary", values, t, {"kind": traced_name}, loc)
        return emit(current(fn), "math", values, t, {"fn": traced_name}, loc)

    int_fn.__name__ = int_fn.__qualname__ = fn
    names = ", ".join("xyz"[:arity])
    int_fn.__doc__ = f"{doc[0].upper()}{doc[1:]} (Metal).\n\n>>> r = enigma.{fn}({names})"
    return int_fn


def _unsigned(t):
    name = _UNSIGNED.get(t.scalar.name, t.scalar.name)
    return dt.vector(dt.dtype(name), t.lanes)


def _bit_field(fn: str, values: list, offset, bits, loc) -> IRValue:
    """Emit extract_bits/insert_bits: `offset` and `bits` are Metal `uint`s."""
    trace = current(fn)
    width = values[0].dtype.scalar.bits
    if cv.literal_kind(offset) == "int" and cv.literal_kind(bits) == "int":
        if offset < 0 or bits < 0 or offset + bits > width:
            raise TraceError(
                f"{fn} of a `{values[0].dtype.name}` needs offset + bits <= {width},"
                f" got offset {offset} and bits {bits} (Metal leaves it undefined)",
                loc,
            )
    extra = []
    for name, x in (("offset", offset), ("bits", bits)):
        v = traced(x)
        if v is not None and not v.dtype.is_int:
            raise TraceError(f"{fn}'s {name} must be a scalar integer, not `{v.dtype.name}`", loc)
        try:
            extra.append(convert(trace, value_of(trace, x, dt.u32, loc), dt.u32, loc))
        except TraceError as e:
            raise TraceError(f"{fn}'s {name}: {e.message}", loc, e.hint) from None
    return emit(trace, "math", values + extra, values[0].dtype, {"fn": fn}, loc)


def extract_bits(x, offset, bits) -> IRValue:
    """Bits [offset, offset + bits) of `x` in the low bits, sign-extended for signed
    types (0 when bits is 0; Metal `extract_bits`).

    >>> nibble = enigma.extract_bits(word, 4, 4)
    """
    loc = user_location()
    return _bit_field("extract_bits", int_operands("extract_bits", (x,), loc), offset, bits, loc)


def insert_bits(base, insert, offset, bits) -> IRValue:
    """`base` with bits [offset, offset + bits) replaced by the low bits of `insert`
    (Metal `insert_bits`).

    >>> word = enigma.insert_bits(word, 5, 4, 4)
    """
    loc = user_location()
    values = int_operands("insert_bits", (base, insert), loc)
    return _bit_field("insert_bits", values, offset, bits, loc)


def _comparison(name: str, kind: str, symbol: str):
    def compare(a, b) -> IRValue:
        return binary(kind, a, b, name)

    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = f"`a {symbol} b` as a function (a bool value).\n\n>>> c = enigma.{name}(a, b)"
    return compare


def _unsigned_comparison(name: str, kind: str, symbol: str):
    def compare(a, b) -> IRValue:
        loc = user_location()
        trace = current(name)
        values = int_operands(name, (a, b), loc)
        return emit(trace, "compare", values, cv.bool_type(values[0].dtype), {"kind": kind}, loc)

    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = (
        f"`a {symbol} b` on the bit patterns read as unsigned integers, whatever the"
        f" operands' signedness.\n\n>>> c = enigma.{name}(a, b)"
    )
    return compare


def as_type(x, dtype) -> IRValue:
    """The bits of `x` read as `dtype`, a type of the same size (Metal `as_type<T>(x)`).

    >>> bits = enigma.as_type(x, enigma.u32)      # x: f32
    """
    loc = user_location()
    trace = current("as_type")
    t = resolve_dtype(dtype, "as_type dtype", loc)
    v = value_of(trace, x, None, loc)
    s = v.dtype
    if s.scalar.is_bool or t.scalar.is_bool:
        raise TraceError(
            f"as_type cannot reinterpret `{s.name}` as `{t.name}`: bool has no defined bits",
            loc,
            hint="convert a bool with enigma.metal_cast(c, enigma.u8) or enigma.where",
        )
    if s.lanes != t.lanes or s.scalar.bits != t.scalar.bits:
        raise TraceError(
            f"as_type needs types of the same size: `{s.name}` and `{t.name}` differ",
            loc,
            hint="use enigma.metal_cast for a value conversion; as_type keeps the bits",
        )
    return emit(trace, "bitcast", [v], t, {}, loc)


_DEFINED = {fn: _define(fn, arity, doc) for fn, (arity, doc) in _FUNCTIONS.items()}
_COMPARISONS = {
    f"cmp_{kind}": _comparison(f"cmp_{kind}", kind, symbol)
    for kind, symbol in (("eq", "=="), ("ne", "!="), ("lt", "<"), ("le", "<="),
                         ("gt", ">"), ("ge", ">="))
}  # fmt: skip
_UNSIGNED_COMPARISONS = {
    f"cmp_{kind}": _unsigned_comparison(f"cmp_{kind}", kind, symbol)
    for kind, symbol in (("ult", "<"), ("ule", "<="), ("ugt", ">"), ("uge", ">="))
}
globals().update(_DEFINED, **_COMPARISONS, **_UNSIGNED_COMPARISONS)

__all__ = [
    "as_type", "extract_bits", "insert_bits",
    *_DEFINED, *_COMPARISONS, *_UNSIGNED_COMPARISONS,
]  # fmt: skip
