"""Metal's geometric functions on float, half and bfloat vectors (SPEC §4 "Math").

Each function is one row of `_GEOMETRY`: its arguments' roles and its result,
traced as a `vector_function` op named like the Metal function. The vector
arguments of a call must share one type (`float3` with `float3`); `refract`'s
`eta` is a scalar of the element type. `cross` exists for 3-lane vectors only,
as in Metal.

>>> n = enigma.normalize(enigma.cross(b - a, c - a))   # inside an @enigma.kernel body
"""

from __future__ import annotations

from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, emit, traced, value_of
from .tracing import current, user_location
from .vectors import vector_operand

# name -> (argument names; "eta" is the scalar one, result: "vector" | "scalar", doc)
_GEOMETRY = {
    "dot": (("x", "y"), "scalar", "the dot product of x and y"),
    "length": (("x",), "scalar", "the length of x, sqrt(dot(x, x))"),
    "distance": (("x", "y"), "scalar", "the distance between x and y, length(x - y)"),
    "cross": (("x", "y"), "vector", "the cross product of two 3-lane vectors"),
    "normalize": (("x",), "vector", "x scaled to length 1, x / length(x)"),
    "reflect": (("i", "n"), "vector", "i reflected about the normal n, i - 2 dot(n, i) n"),
    "refract": (
        ("i", "n", "eta"),
        "vector",
        "i refracted through the surface of normal n with index ratio eta (0 on total"
        " internal reflection)",
    ),
    "faceforward": (("n", "i", "nref"), "vector", "n if dot(nref, i) < 0, else -n"),
}


def _geometry(fn: str, arg_names: tuple, result: str, doc: str):
    def geometric(*args) -> IRValue:
        loc = user_location()
        trace = current(fn)
        if len(args) != len(arg_names):
            raise TraceError(
                f"{fn} takes {len(arg_names)} arguments ({', '.join(arg_names)}), got {len(args)}",
                loc,
            )
        vectors = [
            vector_operand(trace, a, fn, loc)
            for a, n in zip(args, arg_names, strict=False)
            if n != "eta"
        ]
        t = vectors[0].dtype
        for v in vectors[1:]:
            if v.dtype is not t:
                raise TraceError(
                    f"{fn} needs vectors of one type, got `{t.name}` and `{v.dtype.name}`",
                    loc,
                    hint=f"convert one: enigma.metal_cast(v, {cv.api_name(t)})",
                )
        if fn == "cross" and t.lanes != 3:
            raise TraceError(
                f"cross is defined for 3-lane vectors, not `{t.name}`",
                loc,
                hint="pass float3 (or half3) values",
            )
        operands = list(vectors)
        if "eta" in arg_names:
            operands.append(_eta(trace, args[-1], t.scalar, loc))
        out = t.scalar if result == "scalar" else t
        return emit(trace, "vector_function", operands, out, {"fn": fn}, loc)

    geometric.__name__ = geometric.__qualname__ = fn
    geometric.__doc__ = (
        f"{doc[0].upper()}{doc[1:]} (Metal `{fn}`).\n\n>>> y = enigma.{fn}({', '.join(arg_names)})"
    )
    return geometric


def _eta(trace, x, elem, loc) -> IRValue:
    """refract's scalar `eta`, of the vectors' element type."""
    v = traced(x)
    if v is None:
        return value_of(trace, float(x) if cv.literal_kind(x) == "int" else x, elem, loc)
    if v.dtype is not elem:
        raise TraceError(
            f"refract's eta must be a `{elem.name}` scalar like the vectors' lanes,"
            f" not `{v.dtype.name}`",
            loc,
            hint=f"convert it: enigma.metal_cast(eta, {cv.api_name(elem)})",
        )
    return v


globals().update({fn: _geometry(fn, *row) for fn, row in _GEOMETRY.items()})

GEOMETRY_FUNCTIONS = tuple(_GEOMETRY)
__all__ = list(GEOMETRY_FUNCTIONS)
