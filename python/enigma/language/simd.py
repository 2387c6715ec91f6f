"""SIMD-group and quad-group functions: reductions, scans, shuffles and broadcasts.

Metal runs the threads of a threadgroup in SIMD-groups of 32 lanes and quad-groups of
4 lanes. Each function here is one Metal function (`simd_sum(x)`, `quad_shuffle(x, i)`)
computed across the *active* lanes of the caller's group: inside `with enigma.if_(c):`
only the lanes where `c` holds take part, and a partial SIMD-group (a threadgroup of 40
threads has groups of 32 and 8 lanes) has only its existing lanes.

The functions are table-driven. Reductions and scans record a traced `simd_reduce` op
(attrs `group`: simdgroup | quadgroup, `kind`: sum product min max and or xor
prefix_{exclusive,inclusive}_{sum,product}); shuffles and broadcasts a `simd_shuffle`
op (`kind`: shuffle shuffle_up shuffle_down shuffle_xor broadcast) whose second operand,
the lane / delta / mask, is converted to `ushort` as Metal's signature declares it.

Types follow Metal: the value keeps its type (no integer promotion), scalar or vector;
arithmetic functions take half, float, short, ushort, int, uint; bitwise ones the
integer types; shuffles and broadcasts also char and uchar. Metal has no SIMD-group
functions on bool, bfloat or 64-bit values; those are errors with a fix.

>>> total = enigma.simd_sum(a[i])
>>> left = enigma.simd_shuffle_up(x, 1)
"""

from __future__ import annotations

from .. import dtypes as dt
from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, convert, emit, traced, value_of
from .tracing import current, user_location

_ARITHMETIC_TYPES = ("half", "float", "short", "ushort", "int", "uint")
_INTEGER_TYPES = ("char", "uchar", "short", "ushort", "int", "uint")
_SHUFFLE_TYPES = ("half", "float", "char", "uchar", "short", "ushort", "int", "uint")

# kind -> (element types accepted, what it computes over the active lanes, Python group
# prefixes it exists for). Metal has no quad prefix products.
_REDUCTIONS = {
    "sum": (_ARITHMETIC_TYPES, "the sum of `x`", ("simd", "quad")),
    "product": (_ARITHMETIC_TYPES, "the product of `x`", ("simd", "quad")),
    "min": (_ARITHMETIC_TYPES, "the minimum of `x` (NaNs ignored, as fmin)", ("simd", "quad")),
    "max": (_ARITHMETIC_TYPES, "the maximum of `x` (NaNs ignored, as fmax)", ("simd", "quad")),
    "and": (_INTEGER_TYPES, "the bitwise and of `x`", ("simd", "quad")),
    "or": (_INTEGER_TYPES, "the bitwise or of `x`", ("simd", "quad")),
    "xor": (_INTEGER_TYPES, "the bitwise xor of `x`", ("simd", "quad")),
    "prefix_exclusive_sum": (
        _ARITHMETIC_TYPES, "the sum of `x` over the lower lanes (0 for the first)",
        ("simd", "quad")),
    "prefix_inclusive_sum": (
        _ARITHMETIC_TYPES, "the sum of `x` over the lower lanes and this one", ("simd", "quad")),
    "prefix_exclusive_product": (
        _ARITHMETIC_TYPES, "the product of `x` over the lower lanes (1 for the first)",
        ("simd",)),
    "prefix_inclusive_product": (
        _ARITHMETIC_TYPES, "the product of `x` over the lower lanes and this one", ("simd",)),
}  # fmt: skip

# kind -> (argument name, what the lane receives).
_SHUFFLES = {
    "shuffle": ("lane", "`x` of lane `lane`"),
    "shuffle_up": ("delta", "`x` of lane (lane - delta); the lowest `delta` lanes keep their own"),
    "shuffle_down": (
        "delta", "`x` of lane (lane + delta); the highest `delta` lanes keep their own"),
    "shuffle_xor": ("mask", "`x` of lane (lane ^ mask)"),
    "broadcast": ("lane", "`x` of lane `lane`, which must be the same for every lane"),
}  # fmt: skip

_GROUPS = {"simd": ("simdgroup", "SIMD-group (32 lanes)"), "quad": ("quadgroup", "quad (4 lanes)")}


def _value(fn: str, x, accepted: tuple[str, ...], loc) -> IRValue:
    """The data operand: a traced value as it is, a literal with its default type."""
    v = value_of(current(fn), x, None, loc, "the value")
    if v.dtype.scalar.name not in accepted:
        target = "i32" if "float" not in accepted else "f32"
        raise TraceError(
            f"{fn} takes a scalar or vector of {', '.join(accepted)}, not `{v.dtype.name}`",
            loc,
            hint=f"convert first: enigma.{fn}(enigma.metal_cast(x, enigma.{target}))",
        )
    return v


def _make_reduction(prefix: str, kind: str, accepted, doc: str):
    fn = f"{prefix}_{kind}"
    group, what = _GROUPS[prefix]

    def reduction(x) -> IRValue:
        loc = user_location()
        trace = current(fn)
        v = _value(fn, x, accepted, loc)
        return emit(trace, "simd_reduce", [v], v.dtype, {"group": group, "kind": kind}, loc)

    reduction.__name__ = reduction.__qualname__ = fn
    reduction.__doc__ = (
        f"Across the active lanes of the caller's {what}: {doc} (Metal `{fn}`).\n\n"
        f">>> y = enigma.{fn}(x)"
    )
    return reduction


def _make_shuffle(prefix: str, kind: str, arg: str, doc: str):
    fn = f"{prefix}_{kind}"
    group, what = _GROUPS[prefix]

    def shuffle(x, lane) -> IRValue:
        loc = user_location()
        trace = current(fn)
        v = _value(fn, x, _SHUFFLE_TYPES, loc)
        index = traced(lane)
        if index is None:
            if cv.literal_kind(lane) != "int" or not 0 <= int(lane) <= 0xFFFF:
                raise TraceError(
                    f"{fn}'s `{arg}` must be an integer (a ushort in Metal), not {lane!r}",
                    loc,
                    hint=f"pass a non-negative int or a traced integer: enigma.{fn}(x, 1)",
                )
            index = value_of(trace, int(lane), dt.u16, loc)
        elif index.dtype.lanes != 1 or not index.dtype.is_int:
            raise TraceError(
                f"{fn}'s `{arg}` must be a scalar integer (a ushort in Metal), not"
                f" `{index.dtype.name}`",
                loc,
                hint="convert it: enigma.metal_cast(i, enigma.u16)",
            )
        index = convert(trace, index, dt.u16, loc)
        return emit(trace, "simd_shuffle", [v, index], v.dtype, {"group": group, "kind": kind}, loc)

    shuffle.__name__ = shuffle.__qualname__ = fn
    shuffle.__doc__ = (
        f"Within the caller's {what}: {doc} (Metal `{fn}`). `{arg}` is converted to ushort;\n"
        "reading a lane that is inactive or does not exist is undefined in Metal (the cpu\n"
        f"device returns the caller's own `x`).\n\n>>> y = enigma.{fn}(x, 1)"
    )
    return shuffle


def _build() -> dict:
    functions = {}
    for kind, (accepted, doc, prefixes) in _REDUCTIONS.items():
        for prefix in prefixes:
            functions[f"{prefix}_{kind}"] = _make_reduction(prefix, kind, accepted, doc)
    for kind, (arg, doc) in _SHUFFLES.items():
        for prefix in _GROUPS:
            functions[f"{prefix}_{kind}"] = _make_shuffle(prefix, kind, arg, doc)
    return functions


_FUNCTIONS = _build()
globals().update(_FUNCTIONS)

#: The public names, in table order (16 SIMD-group and 14 quad-group functions).
SIMD_FUNCTIONS = tuple(_FUNCTIONS)
__all__ = list(SIMD_FUNCTIONS)
