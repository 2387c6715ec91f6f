"""Vector values: construction, lane reads and swizzles (SPEC §4 "Types").

Vectors of 2-4 lanes of any Metal element type are ordinary `IRValue`s:
arithmetic, comparisons (giving `boolN`), `metal_cast` and `where` work on
them lane by lane through core.py. This module adds what is specific to
vectors:

* `make_vec(dtype, *parts)` and `make_float2/3/4` build one from scalars and
  smaller vectors, as MSL's `float4(v.xy, z, w)` does (traced as
  `vector_construct`);
* `vec_extract(v, lane)`, `v[lane]` and `.x .y .z .w` / `.r .g .b .a` read one
  lane (`vector_extract`; the lane may be a traced integer);
* swizzles `v.xy`, `v.zyx`, `v.xxxx` read several lanes (`vector_swizzle`).

Traced values are immutable SSA values, so there is no swizzle *assignment*
(`v.x = 1`): build the new vector with `make_vec` instead.

>>> p = enigma.make_float4(a[i].xy, 0.0, 1.0)   # inside an @enigma.kernel body
"""

from __future__ import annotations

from .. import dtypes as dt
from ..dtypes import DType
from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, constant, convert, emit, resolve_dtype, traced, value_of
from .tracing import current, user_location

__all__ = ["make_float2", "make_float3", "make_float4", "make_vec", "vec_extract"]

_LANE_SETS = ("xyzw", "rgba")


def is_swizzle_name(name: str) -> bool:
    """Whether an attribute name reads vector lanes (`x`, `zyx`, `rgba`, also invalid mixes)."""
    return bool(name) and set(name) <= set("xyzwrgba")


def swizzle(v: IRValue, name: str) -> IRValue:
    """`v.<name>`: one lane (`v.x`) or a vector of the named lanes (`v.zyx`, `v.xxxx`)."""
    loc = user_location()
    lanes = v.dtype.lanes
    if lanes == 1:
        raise TraceError(
            f"`.{name}` reads vector lanes, but this value is a scalar `{v.dtype.name}`",
            loc,
            hint="use the value itself; lanes exist on vector types such as enigma.float4",
        )
    chars = next((s for s in _LANE_SETS if set(name) <= set(s)), None)
    if chars is None:
        raise TraceError(
            f"`.{name}` mixes the lane names x, y, z, w with r, g, b, a",
            loc,
            hint=f"use one set: `.{_one_set(name, 'xyzw')}` or `.{_one_set(name, 'rgba')}`",
        )
    if len(name) > 4:
        raise TraceError(
            f"`.{name}` names {len(name)} lanes; a swizzle gives at most 4",
            loc,
            hint="split it, e.g. take .xy and .zw, then combine with enigma.make_vec",
        )
    indices = [chars.index(c) for c in name]
    for c, index in zip(name, indices, strict=False):
        if index >= lanes:
            raise TraceError(
                f"`.{name}` reads lane `{c}` (lane {index}), but `{v.dtype.name}` has {lanes}"
                f" lanes ({', '.join(chars[:lanes])})",
                loc,
                hint=f"read only the lanes {chars[:lanes]} of a {lanes}-lane vector",
            )
    trace = current(f".{name}")
    if len(indices) == 1:
        return emit(trace, "vector_extract", [v], v.dtype.scalar, {"lane": indices[0]}, loc)
    result = dt.vector(v.dtype.scalar, len(indices))
    return emit(trace, "vector_swizzle", [v], result, {"lanes": indices}, loc)


def _one_set(name: str, chars: str) -> str:
    return "".join(chars[("xyzwrgba".index(c)) % 4] for c in name)


def vec_extract(v, lane) -> IRValue:
    """Lane `lane` of the vector `v` (Metal `v[lane]`); `lane` is a Python int or a traced
    integer (a traced lane past the end is undefined, as in Metal).

    >>> y = enigma.vec_extract(v, 2)     # the same as v.z and v[2]
    """
    loc = user_location()
    trace = current("vec_extract")
    vv = traced(v)
    if vv is None or vv.dtype.lanes == 1:
        what = f"a scalar `{vv.dtype.name}`" if vv is not None else repr(v)
        raise TraceError(
            f"vec_extract needs a traced vector value, not {what}",
            loc,
            hint="pass a vector such as a value loaded from an enigma.float4 buffer",
        )
    return _extract(trace, vv, lane, loc)


def lane(v: IRValue, index) -> IRValue:
    """`v[index]` on a vector value (IRValue.__getitem__)."""
    return _extract(current(f"[{index!r}]"), v, index, user_location())


def _extract(trace, v: IRValue, index, loc) -> IRValue:
    lanes = v.dtype.lanes
    i = traced(index)
    if i is not None:
        if i.dtype.lanes > 1 or not i.dtype.is_int:
            raise TraceError(
                f"a vector lane index must be an integer, not a `{i.dtype.name}` value",
                loc,
                hint="convert it: enigma.metal_cast(i, enigma.u32)",
            )
        return emit(trace, "vector_extract", [v, i], v.dtype.scalar, {}, loc)
    if cv.literal_kind(index) != "int" or not 0 <= int(index) < lanes:
        raise TraceError(
            f"lane {index!r} does not exist in a `{v.dtype.name}` (lanes 0..{lanes - 1})",
            loc,
            hint=f"read a lane from 0 to {lanes - 1}",
        )
    return emit(trace, "vector_extract", [v], v.dtype.scalar, {"lane": int(index)}, loc)


def make_vec(dtype, *parts) -> IRValue:
    """A vector of `dtype` from scalars and smaller vectors, as MSL's `float4(v.xy, z, w)`.

    `dtype` is the vector type (`enigma.float4`), or its element type with the lane
    count given by the parts. One scalar part fills every lane (`float4(x)`); one
    vector part of as many lanes converts lane by lane (`float4(some_int4)`).
    Scalar parts convert to the element type as in an assignment; vector parts must
    already have it.

    >>> v = enigma.make_vec(enigma.float4, a[i].xy, 0.0, 1.0)
    >>> w = enigma.make_vec(enigma.u32, i, j)   # a uint2
    """
    loc = user_location()
    trace = current("make_vec")
    t = resolve_dtype(dtype, "make_vec dtype", loc)
    elem = t.scalar
    if not parts:
        raise TraceError(
            "make_vec needs the lanes of the vector after its dtype",
            loc,
            hint="e.g. enigma.make_vec(enigma.float4, x, y, z, w) or make_vec(enigma.float4, x)",
        )
    values = [traced(p) for p in parts]
    count = sum(v.dtype.lanes if v is not None else 1 for v in values)
    lanes = t.lanes if t.lanes > 1 else count
    if t.lanes == 1 and not 2 <= lanes <= 4:
        raise TraceError(
            f"make_vec({elem.name}, ...) got {lanes} lanes; vectors have 2, 3 or 4",
            loc,
            hint="pass 2 to 4 lanes, or name the vector type: enigma.make_vec(enigma.float4, x)",
        )
    result = dt.vector(elem, lanes)
    if len(parts) == 1:
        return _from_one_part(trace, result, parts[0], values[0], loc)
    if count != lanes:
        raise TraceError(
            f"make_vec({result.name}, ...) got {count} lanes for a {lanes}-lane vector",
            loc,
            hint=f"pass parts whose lanes add up to {lanes} (scalars count 1, vectors their"
            " lanes), or a single scalar to fill every lane",
        )
    lane_values = [_part(trace, p, v, elem, loc) for p, v in zip(parts, values, strict=False)]
    return emit(trace, "vector_construct", lane_values, result, {}, loc)


def _from_one_part(trace, result: DType, part, v: IRValue | None, loc) -> IRValue:
    """`float4(x)` (splat) or `float4(int4_value)` (lane-wise conversion)."""
    if v is not None and v.dtype.lanes > 1:
        if v.dtype.lanes != result.lanes:
            raise TraceError(
                f"make_vec({result.name}, ...) got a `{v.dtype.name}`, which has"
                f" {v.dtype.lanes} lanes, not {result.lanes}",
                loc,
                hint=f"pass {result.lanes} lanes in total, e.g. add scalar parts",
            )
        return convert(trace, v, result, loc)
    return convert(trace, _part(trace, part, v, result.scalar, loc), result, loc)


def _part(trace, part, v: IRValue | None, elem: DType, loc) -> IRValue:
    """One part of a constructor, converted to the element type `elem`."""
    if v is None:
        try:
            return constant(trace, cv.literal_value(part, elem, "the lane"), elem, loc)
        except cv.ConversionError as e:
            raise TraceError(f"{e.message} (make_vec)", loc, e.hint or None) from None
    if v.dtype.lanes > 1:
        if v.dtype.scalar is not elem:
            raise TraceError(
                f"make_vec cannot take a `{v.dtype.name}` part into a vector of `{elem.name}`:"
                " vectors are never converted implicitly",
                loc,
                hint=f"convert the part: enigma.metal_cast(v, enigma.{elem.name}{v.dtype.lanes})",
            )
        return v
    try:
        cv.check_assign(v.dtype, elem, False, "a vector lane")
    except cv.ConversionError as e:
        raise TraceError(e.message, loc, e.hint or None) from None
    return convert(trace, v, elem, loc)


def _make_float(lanes: int):
    name = f"make_float{lanes}"

    def make_float(*parts) -> IRValue:
        return make_vec(dt.vector(dt.f32, lanes), *parts)

    make_float.__name__ = make_float.__qualname__ = name
    make_float.__doc__ = (
        f"A float{lanes} from scalars and smaller float vectors (MSL `float{lanes}(...)`);"
        f" see make_vec.\n\n>>> v = enigma.{name}({', '.join(['x'] * lanes)})"
    )
    return make_float


make_float2 = _make_float(2)
make_float3 = _make_float(3)
make_float4 = _make_float(4)


def vector_operand(trace, x, what: str, loc) -> IRValue:
    """`x` as a traced floating-point vector for the geometric and pack functions."""
    v = traced(x)
    if v is None:
        v = value_of(trace, x, None, loc)
    if v.dtype.lanes == 1 or not v.dtype.scalar.is_float:
        raise TraceError(
            f"{what} takes a float, half or bfloat vector, not `{v.dtype.name}`",
            loc,
            hint="pass a vector such as enigma.make_float3(x, y, z), or convert with"
            " enigma.metal_cast(v, enigma.float3)",
        )
    return v
