"""Quantization helpers of the kernel language: packing 8- and 4-bit integers, dequantizing.

Kernels that stream quantized weights keep four 8-bit values in a `uint` or two
signed 4-bit values in a `uchar`, and turn them back into floats as
`(q - zero_point) * scale`. These helpers trace plain integer arithmetic (masks,
shifts, casts), so they run identically on every device and need no new IR.

Semantics, fixed here and in docs/tile.md:

* Packing keeps the low bits of each traced input (two's complement): a `char`
  -1 packs as the byte 0xFF, a traced 9 packed as a 4-bit value becomes -7.
  Python int literals are known at trace time, so one that does not fit the
  field (-128..255 for a byte, -8..7 for a nibble) is an error, not a silent mask.
* Lane 0 / the first argument is always the lowest bits (Metal is little-endian).
* Unpacking a nibble sign-extends it; dequantizing computes `q - zero_point` in
  `int` (exact), converts it to float, multiplies by the scale in float and
  converts the product to `dtype` (exact IEEE float products for `dtype=f32`).

>>> word = enigma.pack_uint8x4(r, g, b, a)          # inside an @enigma.kernel body
>>> lo, hi = enigma.unpack_int4x2(packed[i])
>>> w = enigma.dequantize_int8(q[i], scale, zero_point=3)
"""

from __future__ import annotations

from .. import dtypes as dt
from ..dtypes import DType
from ..errors import TraceError
from ..language import conversions as cv
from ..language.core import IRValue, constant, convert, resolve_dtype, traced
from ..language.tracing import current, user_location
from ..language.vectors import make_vec

__all__ = ["dequantize_int8", "pack_int4x2", "pack_uint8x4", "unpack_int4x2", "unpack_uint8x4"]

_BYTE = (-128, 255)  # literals a byte field accepts: signed or unsigned 8-bit values
_NIBBLE = (-8, 7)  # literals a signed 4-bit field accepts


def _describe(x) -> str:
    v = traced(x)
    return f"a `{v.dtype.name}` value" if v is not None else f"{x!r}"


def _integer(fn: str, x, what: str, field: tuple[int, int], loc) -> IRValue | int:
    """A traced integer (scalar or vector) or a Python int literal within `field`."""
    v = traced(x)
    if v is not None:
        if not v.dtype.scalar.is_int:
            raise TraceError(
                f"{fn}: {what} must be an integer, not {_describe(v)}",
                loc,
                hint=f"convert it first, e.g. enigma.metal_cast(x, enigma.i32) (floats are"
                f" not rounded implicitly by {fn})",
            )
        return v
    if cv.literal_kind(x) != "int":
        raise TraceError(
            f"{fn}: {what} must be an integer, not {_describe(x)}",
            loc,
            hint="pass a traced integer value or a Python int",
        )
    lo, hi = field
    if not lo <= int(x) <= hi:
        raise TraceError(
            f"{fn}: {what} {int(x)} does not fit the field ({lo}..{hi})",
            loc,
            hint="traced values are masked to the field's low bits; a literal must already fit",
        )
    return int(x)


def _lanes(fn: str, values, loc) -> int:
    """The common lane count of traced operands (literals splat); 1 for scalars."""
    lanes = {v.dtype.lanes for v in values if isinstance(v, IRValue)} - {1}
    if len(lanes) > 1:
        names = ", ".join(f"`{v.dtype.name}`" for v in values if isinstance(v, IRValue))
        raise TraceError(
            f"{fn}: operands must be scalars or vectors of one width, not {names}",
            loc,
            hint="pass vectors of the same lane count (a scalar is applied to every lane)",
        )
    return lanes.pop() if lanes else 1


def _as(trace, x, t: DType, loc) -> IRValue:
    """`x` (traced integer or Python int) converted as MSL `T(x)` to `t` (modular for ints)."""
    if isinstance(x, IRValue):
        if x.dtype.lanes == 1 and t.lanes > 1:
            x = convert(trace, x, t.scalar, loc)
        return convert(trace, x, t, loc)
    return constant(trace, x % (1 << t.scalar.bits) if t.scalar.is_unsigned else x, t, loc)


def pack_uint8x4(a, b, c, d) -> IRValue:
    """A `uint` holding the low bytes of `a` (bits 0-7), `b`, `c` and `d` (bits 24-31).

    Traced integers of any width are masked to their low 8 bits (a `char` -1 becomes
    0xFF); Python int literals must be in -128..255.

    >>> word = enigma.pack_uint8x4(q0, q1, q2, q3)
    >>> out[i] = enigma.pack_uint8x4(x, 0, 0, 255)
    """
    fn = "pack_uint8x4"
    loc = user_location()
    trace = current(fn)
    parts = [_integer(fn, x, f"byte {k}", _BYTE, loc) for k, x in enumerate((a, b, c, d))]
    if _lanes(fn, parts, loc) != 1:
        raise TraceError(
            f"{fn} packs four scalars into one uint, not vectors",
            loc,
            hint="pack each vector's lanes: enigma.pack_uint8x4(v.x, v.y, v.z, v.w)",
        )
    word = None
    for k, part in enumerate(parts):
        byte = _as(trace, part, dt.u32, loc) & 0xFF
        shifted = byte << (8 * k) if k else byte
        word = shifted if word is None else word | shifted
    return word


def unpack_uint8x4(u) -> IRValue:
    """The four bytes of the 32-bit `u` as a `uchar4`, lane 0 = bits 0-7 (the inverse of
    pack_uint8x4). `u` is converted to `uint` first (as MSL `uint(u)`).

    >>> rgba = enigma.unpack_uint8x4(word)       # rgba.x is the low byte
    """
    fn = "unpack_uint8x4"
    loc = user_location()
    trace = current(fn)
    v = _integer(fn, u, "the word", (-(1 << 31), (1 << 32) - 1), loc)
    if isinstance(v, IRValue) and v.dtype.lanes != 1:
        raise TraceError(
            f"{fn} unpacks one scalar uint, not a `{v.dtype.name}`",
            loc,
            hint="unpack each lane: enigma.unpack_uint8x4(words.x)",
        )
    word = _as(trace, v, dt.u32, loc)
    lanes = [_as(trace, word >> (8 * k) if k else word, dt.u8, loc) for k in range(4)]
    return make_vec(dt.vector(dt.u8, 4), *lanes)


def pack_int4x2(lo, hi) -> IRValue:
    """A `uchar` holding two signed 4-bit values: `lo` in bits 0-3, `hi` in bits 4-7
    (two's complement nibbles). Vectors pack lane by lane (a `ucharN`).

    Traced integers keep their low 4 bits (so 8 packs as -8 and 9 as -7); Python int
    literals must be in -8..7.

    >>> packed[i] = enigma.pack_int4x2(w0, w1)
    """
    fn = "pack_int4x2"
    loc = user_location()
    trace = current(fn)
    parts = [_integer(fn, x, what, _NIBBLE, loc) for x, what in ((lo, "lo"), (hi, "hi"))]
    lanes = _lanes(fn, parts, loc)
    wide = dt.vector(dt.u32, lanes) if lanes > 1 else dt.u32
    low = _as(trace, parts[0], wide, loc) & 0xF
    high = (_as(trace, parts[1], wide, loc) & 0xF) << 4
    return _as(trace, low | high, dt.vector(dt.u8, lanes) if lanes > 1 else dt.u8, loc)


_SIGNED_OR_FLOAT = ("char", "short", "int", "long", "half", "bfloat", "float")


def unpack_int4x2(byte, dtype=dt.i8) -> tuple[IRValue, IRValue]:
    """The two signed 4-bit values of `byte` (bits 0-3, bits 4-7), sign-extended, as
    `dtype` (char by default; any signed integer or float type). Only the low 8 bits
    of `byte` are read; vectors unpack lane by lane.

    >>> lo, hi = enigma.unpack_int4x2(packed[i])           # two chars in -8..7
    >>> lo, hi = enigma.unpack_int4x2(packed[i], enigma.f32)
    """
    fn = "unpack_int4x2"
    loc = user_location()
    trace = current(fn)
    v = _integer(fn, byte, "the byte", _BYTE, loc)
    t = _result_type(fn, dtype, _SIGNED_OR_FLOAT, "a signed integer or float type", loc)
    lanes = _lanes(fn, [v], loc)
    signed = dt.vector(dt.i32, lanes) if lanes > 1 else dt.i32
    word = _as(trace, v, dt.vector(dt.u32, lanes) if lanes > 1 else dt.u32, loc)
    result = dt.vector(t, lanes) if lanes > 1 else t
    values = []
    for shift in (0, 4):
        nibble = _as(trace, (word >> shift if shift else word) & 0xF, signed, loc)
        values.append(_as(trace, (nibble ^ 8) - 8, result, loc))  # sign-extends bit 3
    return values[0], values[1]


def _result_type(fn: str, dtype, allowed, what: str, loc) -> DType:
    t = resolve_dtype(dtype, f"{fn} dtype", loc)
    if t.lanes != 1 or t.name not in allowed:
        raise TraceError(
            f"{fn}: dtype must be {what}, not `{t.name}`",
            loc,
            hint="pass a scalar type such as enigma.i8, enigma.i32 or enigma.f32",
        )
    return t


def dequantize_int8(q, scale, zero_point=0, dtype=dt.f32) -> IRValue:
    """`(q - zero_point) * scale` as `dtype` (f32, f16 or bf16), element by element.

    `q` is an 8-bit integer value (`char`/`uchar`, scalar or vector); `zero_point` an
    integer (traced, converted to `int`, or a Python int); `scale` a float (traced or a
    Python number). A vector `q` with a scalar scale or zero point applies them to every
    lane; vectors of one width combine lane by lane. `q - zero_point` is exact in `int`,
    the product is one float multiplication, then converted to `dtype`.

    >>> w = enigma.dequantize_int8(qweights[i], 0.05, zero_point=128)
    >>> w4 = enigma.dequantize_int8(q4, scales[g], zero_point=zps[g], dtype=enigma.f16)
    """
    fn = "dequantize_int8"
    loc = user_location()
    trace = current(fn)
    t = _result_type(fn, dtype, ("float", "half", "bfloat"), "a float type (f32, f16, bf16)",
                     loc)  # fmt: skip
    qv = traced(q)
    if qv is None or not qv.dtype.scalar.is_int or qv.dtype.scalar.bits != 8:
        raise TraceError(
            f"{fn}: q must be a traced 8-bit integer (char or uchar, scalar or vector), not"
            f" {_describe(q)}",
            loc,
            hint="load it from an enigma.i8/u8 buffer, or convert: enigma.metal_cast(x, enigma.i8)",
        )
    zp = _integer(fn, zero_point, "zero_point", cv.int_range(dt.i32), loc)
    sv = traced(scale)
    if sv is not None and not sv.dtype.scalar.is_float:
        raise TraceError(
            f"{fn}: scale must be a float value, not {_describe(sv)}",
            loc,
            hint="convert it: enigma.metal_cast(scale, enigma.f32)",
        )
    if sv is None and cv.literal_kind(scale) not in ("int", "float"):
        raise TraceError(f"{fn}: scale must be a number, not {scale!r}", loc)
    lanes = _lanes(fn, [qv, zp, sv if sv is not None else 0], loc)

    def typed(scalar: DType) -> DType:
        return dt.vector(scalar, lanes) if lanes > 1 else scalar

    diff = _as(trace, qv, typed(dt.i32), loc) - _as(trace, zp, typed(dt.i32), loc)
    if sv is None:
        factor = constant(trace, float(scale), typed(dt.f32), loc)
    else:
        factor = _as(trace, sv, typed(dt.f32), loc)
    return _as(trace, _as(trace, diff, typed(dt.f32), loc) * factor, typed(t), loc)
