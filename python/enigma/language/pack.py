"""Metal's pack and unpack functions: float vectors <-> normalized integers in a uint.

`pack_float_to_<format>(v)` converts the lanes of a `float4` (`float2` for the
2x16 formats) to normalized integers and packs them into one `uint`, lane 0 in
the lowest bits; `unpack_<format>_to_float(u)` is the inverse. Conversions are
Metal's (MSL spec §7.7): unorm is `rint(clamp(x, 0, 1) * max)`, snorm
`rint(clamp(x, -1, 1) * max)` with round-to-nearest-even and NaN -> 0; back to
float, unorm is `c / max` and snorm `max(c / max, -1)`; sRGB applies the sRGB
curve to r, g, b (not alpha). Each row of `_FORMATS` makes one pack and one
unpack function, traced as a `vector_function` op named like the Metal function.

>>> word = enigma.pack_float_to_unorm4x8(color)     # inside an @enigma.kernel body
>>> color = enigma.unpack_unorm4x8_to_float(word)
"""

from __future__ import annotations

from .. import dtypes as dt
from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, convert, emit, traced, value_of
from .tracing import current, user_location

# format -> (lanes, Metal pack name, Metal unpack name, what the lanes hold)
_FORMATS = {
    "snorm4x8": (4, "pack_float_to_snorm4x8", "unpack_snorm4x8_to_float", "four 8-bit snorm"),
    "unorm4x8": (4, "pack_float_to_unorm4x8", "unpack_unorm4x8_to_float", "four 8-bit unorm"),
    "snorm2x16": (2, "pack_float_to_snorm2x16", "unpack_snorm2x16_to_float", "two 16-bit snorm"),
    "unorm2x16": (2, "pack_float_to_unorm2x16", "unpack_unorm2x16_to_float", "two 16-bit unorm"),
    "srgb_unorm4x8": (
        4,
        "pack_float_to_srgb_unorm4x8",
        "unpack_unorm4x8_srgb_to_float",
        "four 8-bit unorm, r g b sRGB-encoded",
    ),
    "unorm10a2": (
        4,
        "pack_float_to_unorm10a2",
        "unpack_unorm10a2_to_float",
        "10-bit unorm r g b and 2-bit unorm a",
    ),
}


def _pack(fn: str, lanes: int, what: str):
    want = dt.vector(dt.f32, lanes)

    def pack(v) -> IRValue:
        loc = user_location()
        trace = current(fn)
        x = traced(v)
        if x is None or x.dtype is not want:
            got = f"`{x.dtype.name}`" if x is not None else repr(v)
            raise TraceError(
                f"{fn} packs a `{want.name}`, not {got}",
                loc,
                hint=f"pass a {want.name}, e.g. enigma.make_vec(enigma.{want.name}, ...) or"
                f" enigma.metal_cast(v, enigma.{want.name})",
            )
        return emit(trace, "vector_function", [x], dt.u32, {"fn": fn}, loc)

    pack.__name__ = pack.__qualname__ = fn
    pack.__doc__ = (
        f"The lanes of a {want.name} as {what} integers packed into a uint, lane 0 lowest"
        f" (Metal `{fn}`).\n\n>>> u = enigma.{fn}(v)"
    )
    return pack


def _unpack(fn: str, lanes: int, what: str):
    result = dt.vector(dt.f32, lanes)

    def unpack(word) -> IRValue:
        loc = user_location()
        trace = current(fn)
        u = traced(word)
        if u is None:
            u = value_of(trace, word, dt.u32, loc)
        if u.dtype.lanes > 1 or not u.dtype.is_int or u.dtype.bits != 32:
            raise TraceError(
                f"{fn} unpacks a 32-bit `uint`, not `{u.dtype.name}`",
                loc,
                hint=f"convert it: enigma.metal_cast(x, {cv.api_name(dt.u32)})",
            )
        u = convert(trace, u, dt.u32, loc)
        return emit(trace, "vector_function", [u], result, {"fn": fn}, loc)

    unpack.__name__ = unpack.__qualname__ = fn
    unpack.__doc__ = (
        f"A {result.name} from the {what} integers packed in a uint, lane 0 lowest"
        f" (Metal `{fn}`).\n\n>>> v = enigma.{fn}(u)"
    )
    return unpack


for _lanes, _pack_name, _unpack_name, _what in _FORMATS.values():
    globals()[_pack_name] = _pack(_pack_name, _lanes, _what)
    globals()[_unpack_name] = _unpack(_unpack_name, _lanes, _what)

# SPEC §4 spells the sRGB unpack after its pack; Metal's name is unpack_unorm4x8_srgb_to_float.
unpack_srgb_unorm4x8_to_float = globals()["unpack_unorm4x8_srgb_to_float"]

PACK_FUNCTIONS = tuple(name for row in _FORMATS.values() for name in row[1:3]) + (
    "unpack_srgb_unorm4x8_to_float",
)
__all__ = list(PACK_FUNCTIONS)
