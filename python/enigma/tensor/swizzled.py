"""Swizzled tensors: addressing through ``Swizzle ∘ offset ∘ layout`` (a `ComposedLayout`).

Element `c` of a swizzled tensor is ``memory[base + sw(o + layout(c))]``: the swizzle applies
to the whole pre-swizzle offset ``o + layout(c)``, never to its parts separately (XOR does
not distribute over +). Slicing therefore moves the fixed coordinates' offset into `o`
(inside the swizzle), exactly as CuTe's ComposedLayout does, while `base` (the pointer
part, outside the swizzle) stays. Static slices keep `o` a Python int in the layout; a
traced slice coordinate adds to the Tensor's traced pre-swizzle part (`Tensor.pre`).

Addresses. With ``x = o + layout(c)``:

* x static: the address is the static ``sw(x)``.
* x = T + s with T traced and a multiple of the swizzle's span ``2**(B+M+|S|)``: adding T
  leaves the low bits the swizzle reads and writes alone, so ``sw(T + s) = T + sw(s)``
  and the traced part passes through unchanged (one add per view, as for plain tensors).
* otherwise ``sw(x)`` is computed in the kernel (an and, a shift and a xor per access).

Vectors. A swizzle never touches the low M bits (`base` of `Swizzle(B, M, S)`), so a run of
w <= 2**M consecutive pre-swizzle offsets whose start x is a multiple of w maps to w
consecutive offsets starting at sw(x), and sw(x) = x (mod 2**M) is again a multiple of w.
`access_plan` uses that to allow vector accesses of such runs; everything else is scalar.

>>> sw = enigma.make_composed_layout(enigma.Swizzle(3, 2, 3), 0, enigma.Layout((8, 32), (32, 1)))
>>> tile = enigma.make_tensor(enigma.threadgroup_alloc(enigma.f32, 256), sw)
"""

from __future__ import annotations

import numbers

import numpy as np

from ..layout import int_tuple as it
from ..layout.basis import E
from ..layout.layout import Layout, cosize
from ..layout.swizzle import ComposedLayout, Swizzle
from .offset import Offset

_EXACT_EXTENT_LIMIT = 1 << 22  # beyond, the extent is bounded by whole swizzle spans


def is_swizzled(layout) -> bool:
    return isinstance(layout, ComposedLayout)


def check_composed(layout, error) -> None:
    """`layout` (a ComposedLayout) is one a Tensor can address: a Swizzle over a static
    non-negative offset and a layout of integer strides; `error(message, hint)` builds the
    exception otherwise."""
    if not isinstance(layout.inner, Swizzle):
        raise error(
            f"a Tensor's composed layout must be a Swizzle over a layout, not {layout}",
            "compose a swizzle: enigma.make_composed_layout(enigma.Swizzle(b, m, s), 0, layout)",
        )
    o = layout.offset
    if isinstance(o, bool) or not isinstance(o, numbers.Integral) or o < 0:
        raise error(
            f"the offset of composed layout {layout} must be a non-negative Python int",
            "slice the Tensor instead of the layout to offset it by traced coordinates",
        )
    if any(isinstance(d, E) for d in it.flatten(layout.outer.stride)):
        raise error(
            f"composed layout {layout} maps to coordinates, not memory offsets",
            "swizzle a layout with integer strides",
        )


def span(sw: Swizzle) -> int:
    """The aligned block size the swizzle permutes within: 2**(B + M + |S|)."""
    return sw.size()


def physical_extent(layout: ComposedLayout) -> int:
    """One past the largest memory offset (relative to the base) `layout` addresses."""
    outer, sw, o = layout.outer, layout.inner, layout.offset
    n = outer.size()
    if n <= _EXACT_EXTENT_LIMIT:
        offsets = o + _all_offsets(outer)
        picked = offsets & sw.yyy_mask
        moved = picked >> sw.shift if sw.shift >= 0 else picked << -sw.shift
        return int((offsets ^ moved).max()) + 1
    block = span(sw)  # sw(x) stays in x's aligned block
    return -(-(o + cosize(outer)) // block) * block


def extent(layout) -> int:
    """One past the largest offset a plain or swizzled `layout` addresses (its cosize, through
    the swizzle for a swizzled layout)."""
    return physical_extent(layout) if is_swizzled(layout) else cosize(layout)


def _all_offsets(layout: Layout) -> np.ndarray:
    """layout(k) for every index k, as an int64 array (column-major over the flat modes)."""
    total = np.zeros(1, np.int64)
    for s, d in zip(it.flatten(layout.shape), it.flatten(layout.stride), strict=True):
        total = (total[None, :] + np.arange(s, dtype=np.int64)[:, None] * d).reshape(-1)
    return total.reshape(-1)


def swizzled(sw: Swizzle, pre: Offset) -> Offset:
    """sw(pre) as an Offset (see the module docstring for the three cases)."""
    if pre.is_static:
        return Offset(sw(pre.static))
    if pre.divisor % span(sw) == 0:
        return Offset(sw(pre.static), pre.traced, pre.divisor)
    x = pre.index()
    known = _gcd_pow2(pre.static, pre.divisor)  # what divides x
    return Offset(0, sw(x), min(known, 1 << sw.base) if known else 1 << sw.base)


def _gcd_pow2(static: int, divisor: int) -> int:
    low = static & -static if static else 0
    if not low:
        return divisor
    return min(low, divisor) if divisor else low


def element_offset(t, pre: Offset) -> Offset:
    """The memory offset of the element at pre-swizzle offset `pre` of swizzled tensor `t`."""
    return t.offset.plus(swizzled(t.layout.inner, pre))


def pre_offset(t, static: int = 0) -> Offset:
    """The full pre-swizzle offset of `t`'s coordinate 0, plus `static`."""
    p = t.pre
    return Offset(t.layout.offset + p.static + static, p.traced, p.divisor)


def access_plan(t):
    """How a whole-view copy of swizzled tensor `t` addresses its elements:
    (offsets, width_cap, aligned(w, start), address(start)), where `offsets[k]` are static
    numbers whose consecutive runs may become vectors, `aligned` says whether a run of width
    w starting at `start` is provably aligned and `address(start)` is its memory Offset."""
    sw = t.layout.inner
    outer = t.layout.outer
    pre = pre_offset(t)
    if pre.is_static or pre.divisor % span(sw) == 0:
        # Static memory offsets, the traced part passing through the swizzle.
        base = t.offset.plus(Offset(0, pre.traced, pre.divisor))
        offsets = [sw(pre.static + outer(k)) for k in range(outer.size())]
        return offsets, 4, base.aligned, lambda s: base.plus(Offset(s))
    offsets = [pre.static + outer(k) for k in range(outer.size())]

    def aligned(w, start):
        return t.offset.aligned(w) and Offset(start, pre.traced, pre.divisor).aligned(w)

    def address(start):
        return element_offset(t, Offset(start, pre.traced, pre.divisor))

    return offsets, 1 << sw.base, aligned, address
