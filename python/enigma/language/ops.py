"""Value functions of the kernel language: conversions, selection and math.

`metal_cast` is an explicit value conversion (a `cast` op), `where` is Metal's
`select(false_value, true_value, cond)`. Math functions are table-driven: each
row of `_FLOAT_MATH` becomes a public function emitting a `math` op, so widening
the set (issue 3) is adding rows; `fmin/fmax/imin/imax` are `binary` min/max.
"""

from __future__ import annotations

from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, binary, constant, convert, emit, resolve_dtype, traced, value_of
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
            t = (f or t_).dtype  # the literal takes its partner's type
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


# name -> what it computes, for the docstring. All take and return floats (scalar or vector).
_FLOAT_MATH = {
    "sqrt": "the square root",
    "exp": "e raised to x",
    "log": "the natural logarithm",
    "sin": "the sine (radians)",
    "cos": "the cosine (radians)",
}


def _float_math(fn: str, doc: str):
    def math_fn(x) -> IRValue:
        loc = user_location()
        trace = current(fn)
        v = traced(x)
        if v is None:
            v = value_of(trace, float(x) if cv.literal_kind(x) == "int" else x, None, loc)
        if not v.dtype.scalar.is_float:
            raise TraceError(
                f"{fn} takes a floating-point value, not `{v.dtype.name}`",
                loc,
                hint=f"convert first: enigma.{fn}(enigma.metal_cast(x, enigma.f32))",
            )
        return emit(trace, "math", [v], v.dtype, {"fn": fn}, loc)

    math_fn.__name__ = math_fn.__qualname__ = fn
    math_fn.__doc__ = f"{doc[0].upper()}{doc[1:]} of `x` (Metal `{fn}`).\n\n>>> y = enigma.{fn}(x)"
    return math_fn


globals().update({fn: _float_math(fn, doc) for fn, doc in _FLOAT_MATH.items()})


def _min_max(name: str, kind: str, floats: bool):
    what, other = ("floating-point", "imin/imax") if floats else ("integer", "fmin/fmax")

    def min_max(a, b) -> IRValue:
        for v in (traced(a), traced(b)):
            if v is not None and (v.dtype.scalar.is_float != floats or v.dtype.scalar.is_bool):
                raise TraceError(
                    f"{name} takes {what} values, not `{v.dtype.name}`",
                    user_location(),
                    hint=f"use {other} for the other kind, or enigma.metal_cast",
                )
        return binary(kind, a, b, name)

    min_max.__name__ = min_max.__qualname__ = name
    min_max.__doc__ = f"The {kind}imum of two {what} values.\n\n>>> m = enigma.{name}(a, b)"
    return min_max


fmin = _min_max("fmin", "min", floats=True)
fmax = _min_max("fmax", "max", floats=True)
imin = _min_max("imin", "min", floats=False)
imax = _min_max("imax", "max", floats=False)

MATH_FUNCTIONS = tuple(_FLOAT_MATH) + ("fmin", "fmax", "imin", "imax")
