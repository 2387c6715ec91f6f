"""Value functions of the kernel language: conversions, selection and math.

`metal_cast` is an explicit value conversion (a `cast` op), `where` is Metal's
`select(false_value, true_value, cond)`. The math functions are in ops_math.py
(float) and ops_integer.py (integer, bit and comparison functions, `as_type`).
"""

from __future__ import annotations

from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, constant, convert, emit, resolve_dtype, traced, value_of
from .tracing import current, user_location


def metal_cast(x, dtype) -> IRValue:
    """`x` converted to `dtype` as MSL's `T(x)` does (float to int truncates; a scalar
    splats into a vector).

    >>> j = enigma.metal_cast(i, enigma.f32) * 0.5
    """
    loc = user_location()
    trace = current("metal_cast")
    t = resolve_dtype(dtype, "metal_cast dtype", loc)
    v = traced(x)
    if v is None:
        try:  # a literal that is already a value of `t` needs no cast
            return constant(trace, cv.literal_value(x, t.scalar), t, loc)
        except cv.ConversionError:
            v = value_of(trace, x, None, loc)
    if v.dtype.lanes > 1 and v.dtype.lanes != t.lanes:
        raise TraceError(
            f"metal_cast cannot convert a `{v.dtype.name}` to `{t.name}`: lane counts differ",
            loc,
        )
    return convert(trace, v, t, loc)


def where(false_value, true_value, cond) -> IRValue:
    """`true_value` where `cond` holds, else `false_value` (Metal `select`, same order).

    >>> y = enigma.where(0.0, x, x > 0)   # relu
    """
    loc = user_location()
    trace = current("where")
    c = traced(cond)
    if c is None or not c.dtype.scalar.is_bool:
        raise TraceError(
            f"where needs a traced bool condition as its third argument, not {cond!r}",
            loc,
            hint="the order is where(false_value, true_value, cond), as Metal's select",
        )
    f, t_ = traced(false_value), traced(true_value)
    try:
        if f is not None and t_ is not None:
            t = f.dtype if f.dtype is t_.dtype else cv.common_type(f.dtype, t_.dtype)
        elif f is not None or t_ is not None:
            t = (f if f is not None else t_).dtype  # the literal takes its partner's type
        else:
            tf = cv.default_literal_type(false_value)
            tt = cv.default_literal_type(true_value)
            t = tf if tf is tt else cv.common_type(tf, tt)
    except cv.ConversionError as e:
        raise TraceError(f"{e.message} (where)", loc, e.hint or None) from None
    if c.dtype.lanes != t.lanes:
        raise TraceError(
            f"where's condition `{c.dtype.name}` does not match values of type `{t.name}`",
            loc,
            hint="use a bool condition for scalars and a bool vector of the same width for vectors",
        )
    f = convert(trace, value_of(trace, false_value, t, loc), t, loc)
    t_ = convert(trace, value_of(trace, true_value, t, loc), t, loc)
    return emit(trace, "select", [c, f, t_], t, {}, loc)
