"""Metal's float math functions (SPEC §4 Math), one table row per function.

Each row of `_UNARY`, `_BINARY`, `_TERNARY` and `_PREDICATES` becomes a public
function that emits one traced `math` op (`{"fn": name}`); the C++ importer
maps it to an upstream op or `enigma.math`. Operands are reconciled as MSL's
overloads take them: every argument converts to one float type (a Python
literal takes its partner's type, a scalar splats to a vector partner), and
an integer argument is an error naming `metal_cast`. `abs` also takes
integers (Metal's integer `abs`).

Semantics are Metal's precise ones: `round` rounds halves away from zero,
`fmin`/`fmax` return the non-NaN operand, `sign(±0)` is ±0 and `sign(NaN)` 0,
`fract(x)` is `fmin(x - floor(x), largest value below 1)`, `fmod` has the
dividend's sign. The emitted MSL calls `precise::sin` etc. on float.
"""

from __future__ import annotations

from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, convert, emit, traced, unary, value_of
from .tracing import current, user_location

# name -> what it computes (docstring). One float argument, result of its type.
_UNARY = {
    "sqrt": "the square root", "rsqrt": "1 / sqrt(x)", "exp": "e raised to x",
    "exp2": "2 raised to x", "log": "the natural logarithm", "log2": "the base-2 logarithm",
    "log10": "the base-10 logarithm", "sin": "the sine (radians)", "cos": "the cosine (radians)",
    "tan": "the tangent (radians)", "asin": "the arc sine", "acos": "the arc cosine",
    "atan": "the arc tangent", "sinh": "the hyperbolic sine", "cosh": "the hyperbolic cosine",
    "tanh": "the hyperbolic tangent", "ceil": "x rounded up", "floor": "x rounded down",
    "round": "x rounded to nearest, halves away from zero (Metal `round`)",
    "trunc": "x rounded toward zero", "sign": "1, -1, or x itself for ±0 (0 for NaN)",
    "saturate": "x clamped to [0, 1]",
    "fract": "x - floor(x), kept below 1",
}  # fmt: skip
_BINARY = {
    "fmin": "the smaller of x and y (the other one when one is NaN)",
    "fmax": "the larger of x and y (the other one when one is NaN)",
    "pow": "x raised to y", "fmod": "x - y * trunc(x / y) (sign of x)",
    "atan2": "the arc tangent of x / y (first argument y, as Metal: atan2(y, x))",
    "step": "0 where the second argument is below the first (the edge), else 1",
    "copysign": "x with the sign of y",
}  # fmt: skip
_TERNARY = {
    "clamp": "fmin(fmax(x, lo), hi)", "fma": "x * y + z rounded once",
    "mix": "x + (y - x) * a", "smoothstep": "the Hermite step of x between two edges",
}  # fmt: skip
# Predicates: one float argument, bool result (a bool vector for a vector).
_PREDICATES = {
    "isnan": "whether x is NaN", "isinf": "whether x is ±infinity",
    "isfinite": "whether x is neither NaN nor infinite",
    "signbit": "whether x's sign bit is set (also for -0 and -NaN)",
    "isnormal": "whether x is a normal number of its type (not 0, subnormal, inf, NaN)",
}  # fmt: skip


def float_operands(fn: str, args: tuple, loc) -> list[IRValue]:
    """`args` as traced values of one float type (literals take their partners' type)."""
    trace = current(fn)
    try:
        t = None
        for v in map(traced, args):
            if v is not None:
                t = v.dtype if t is None or t is v.dtype else cv.common_type(t, v.dtype)
        if t is None:  # only literals: float, as Metal's f32 overload
            t = cv.default_literal_type(1.0)
        if t.scalar.is_float:
            return [convert(trace, value_of(trace, a, t.scalar, loc), t, loc) for a in args]
    except cv.ConversionError as e:
        raise TraceError(f"{e.message} ({fn})", loc, e.hint or None) from None
    one = len(args) == 1
    rest = "" if one else ", ..."
    other = ", or imin/imax/iclamp for integers" if fn in _INT_FORMS else ""
    raise TraceError(
        f"{fn} takes {'a floating-point value' if one else 'floating-point values'},"
        f" not `{t.name}`",
        loc,
        hint=f"convert first: enigma.{fn}(enigma.metal_cast(x, enigma.f32){rest}){other}",
    )


_INT_FORMS = ("fmin", "fmax", "clamp")
_MIN_MAX = {"fmin": "min", "fmax": "max"}


def _define(fn: str, arity: int, doc: str, predicate: bool = False):
    def math_fn(*args) -> IRValue:
        loc = user_location()
        if len(args) != arity:
            raise TraceError(f"{fn} takes {arity} argument(s), got {len(args)}", loc)
        values = float_operands(fn, args, loc)
        t = cv.bool_type(values[0].dtype) if predicate else values[0].dtype
        if fn in _MIN_MAX:  # the traced IR's min/max, as imin/imax
            return emit(current(fn), "binary", values, t, {"kind": _MIN_MAX[fn]}, loc)
        return emit(current(fn), "math", values, t, {"fn": fn}, loc)

    names = ", ".join("xyz"[:arity])
    math_fn.__name__ = math_fn.__qualname__ = fn
    math_fn.__doc__ = f"{doc[0].upper()}{doc[1:]} (Metal `{fn}`).\n\n>>> r = enigma.{fn}({names})"
    return math_fn


def abs(x) -> IRValue:  # noqa: A001 (Metal's name)
    """|x| of a float or integer value (Metal `abs`; abs of INT_MIN wraps to itself).

    >>> y = enigma.abs(x)
    """
    v = traced(x)
    if v is None:
        loc = user_location()
        v = value_of(current("abs"), x, None, loc)
    return unary("abs", v, "abs()")


_FUNCTIONS = {
    **{fn: _define(fn, 1, doc) for fn, doc in _UNARY.items()},
    **{fn: _define(fn, 2, doc) for fn, doc in _BINARY.items()},
    **{fn: _define(fn, 3, doc) for fn, doc in _TERNARY.items()},
    **{fn: _define(fn, 1, doc, predicate=True) for fn, doc in _PREDICATES.items()},
}
globals().update(_FUNCTIONS)

__all__ = ["abs", *_FUNCTIONS]
