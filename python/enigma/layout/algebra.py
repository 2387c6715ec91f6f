"""The core layout algebra with CuTe's definitions: coalesce, filter, composition, complement,
right/left inverse and recast (upcast/downcast).

Each function reproduces the result CuTe C++ computes for static layouts, including its
divisibility conditions: where CuTe would stop compilation with a static assertion, these raise
an `EnigmaError` that says which condition failed. Results are checked against the pycute
reference in tests/python/test_layout_reference.py (differences are listed in docs/layout.md).

>>> composition(Layout((6, 2), (8, 2)), Layout((4, 3), (3, 1)))
((2,2),3):((24,2),8)
"""

from __future__ import annotations

import numbers
from fractions import Fraction

from . import int_tuple as it
from .basis import E
from .int_tuple import is_tuple, layout_error
from .layout import Layout, cosize, make_layout

# --- coalesce and filter -------------------------------------------------------------------------


def _bw_coalesce(old_shape, old_stride, new_shape, new_stride) -> Layout:
    """Fold flat modes, last to first, onto (new_shape, new_stride): skip size-1 modes, merge a
    mode into the front one when shape*stride equals the front stride, else prepend it."""
    shapes, strides = [new_shape], [new_stride]
    for s, d in zip(reversed(old_shape), reversed(old_stride), strict=True):
        if s == 1:
            continue
        if len(shapes) == 1 and shapes[0] == 1:
            shapes, strides = [s], [d]
        elif s * d == strides[0]:
            shapes[0], strides[0] = s * shapes[0], d
        else:
            shapes.insert(0, s)
            strides.insert(0, d)
    if len(shapes) == 1:
        return Layout(1, 0) if shapes[0] == 1 else Layout(shapes[0], strides[0])
    return Layout(tuple(shapes), tuple(strides))


def _by_mode(layout: Layout, profile, fn) -> Layout:
    """Apply fn(mode, profile_i) to the modes named by a tuple profile; keep the other modes."""
    if len(profile) > layout.rank():
        raise layout_error(f"profile {profile} has more modes than layout {layout}")
    modes = [fn(layout[i], p) for i, p in enumerate(profile)]
    return make_layout(*modes, *list(layout)[len(profile) :])


def coalesce(layout: Layout, profile=None) -> Layout:
    """The simplest layout with the same size and the same values on [0, size): merges modes
    whose strides line up, drops size-1 modes. With a tuple `profile`, coalesces each mode.

    >>> coalesce(Layout((2, (1, 6)), (1, (6, 2))))
    12:1
    """
    if is_tuple(profile):
        return _by_mode(layout, profile, coalesce)
    s, d = it.flatten(layout.shape), it.flatten(layout.stride)
    if not s:
        return Layout(1, 0)
    return _bw_coalesce(s[:-1], d[:-1], s[-1], d[-1])


def _coalesce_x(layout: Layout) -> Layout:
    """coalesce that also keeps the function beyond the domain (the last mode stays unbounded)."""
    s, d = it.flatten(layout.shape), it.flatten(layout.stride)
    last = 2 if s[-1] == 1 else s[-1]
    return _bw_coalesce(s[:-1], d[:-1], last, d[-1])


def filter(layout: Layout, profile=None) -> Layout:  # noqa: A001  (CuTe's name)
    """`layout` without stride-0 and size-1 modes, coalesced (1:0 when nothing is left).

    >>> filter(Layout((4, 2, 3), (1, 0, 8)))
    (4,3):(1,8)
    """
    if is_tuple(profile):
        return _by_mode(layout, profile, filter)
    shape = it.transform_leaf(lambda s, d: 1 if d == 0 else s, layout.shape, layout.stride)
    return coalesce(Layout(shape, layout.stride))


# --- composition ---------------------------------------------------------------------------------


def composition(lhs, rhs):
    """lhs ∘ rhs: the layout R with R(c) = lhs(rhs(c)) and the shape of rhs.

    `rhs` may be a Layout, an int n (n:1), None (keep lhs), or a tuple of those applied to the
    modes of lhs one by one ("by-mode", extra lhs modes are kept). Each integer mode of rhs must
    meet CuTe's stride and shape divisibility conditions against lhs.

    >>> composition(Layout((6, 2), (8, 2)), Layout((4, 3), (3, 1)))
    ((2,2),3):((24,2),8)
    >>> composition(Layout((12, 32), (32, 1)), (4, 8))
    (4,8):(32,1)
    """
    if hasattr(lhs, "compose"):  # Swizzle and ComposedLayout
        return lhs.compose(rhs)
    if not isinstance(lhs, Layout):
        raise layout_error(f"composition: the left operand must be a Layout, got {lhs!r}")
    if rhs is None:
        return lhs
    if is_tuple(rhs):
        if len(rhs) > lhs.rank():
            raise layout_error(
                f"composition: tiler {rhs} has more modes than layout {lhs}",
                hint="give at most one tiler entry per mode of the layout",
            )
        modes = [composition(lhs[i], r) for i, r in enumerate(rhs)]
        return make_layout(*modes, *list(lhs)[len(rhs) :])
    if isinstance(rhs, numbers.Integral):
        rhs = Layout(rhs, 1)
    if not isinstance(rhs, Layout):
        raise layout_error(f"composition: cannot compose with {rhs!r}", hint="use a Layout or ints")
    if any(isinstance(d, E) for d in it.flatten(rhs.stride)):
        raise layout_error(
            "composition with an identity (coordinate) layout on the right is not supported",
            hint="compose the identity layout on the left: composition(identity, tiler)",
        )
    flat = _coalesce_x(lhs)
    return _compose(flat.shape, flat.stride, rhs.shape, rhs.stride, lhs, rhs)


def _compose(lshape, lstride, rshape, rstride, lhs, rhs) -> Layout:
    if is_tuple(rshape):
        return make_layout(
            *(
                _compose(lshape, lstride, s, d, lhs, rhs)
                for s, d in zip(rshape, rstride, strict=True)
            )
        )
    if rstride == 0:
        return Layout(rshape, 0)
    if not is_tuple(lshape):
        return Layout(rshape, it.mul(rstride, lstride))
    # Divide the rhs stride out of the lhs shape: skip whole modes, or step inside one.
    shapes0, strides0 = lshape[:-1], lstride[:-1]
    shapes1, rest_stride = [], rstride
    for s in shapes0:
        shapes1.append(_div(s, rest_stride, lhs, rhs, "stride"))
        rest_stride = _div(rest_stride, s, lhs, rhs, "stride")
    strides1 = [
        it.mul(d, _div(s0, s1, lhs, rhs, "stride"))
        for d, s0, s1 in zip(strides0, shapes0, shapes1, strict=True)
    ]
    # Then take rhs_shape elements from what is left, mode by mode.
    shapes2, rest_shape = [], rshape
    for s in shapes1:
        s = abs(s)
        shapes2.append(1 if s == 1 or rest_shape == 1 else min(s, rest_shape))
        rest_shape = _div(rest_shape, s, lhs, rhs, "shape")
    return _bw_coalesce(shapes2, strides1, rest_shape, it.mul(rest_stride, lstride[-1]))


def _div(a: int, b: int, lhs, rhs, which: str) -> int:
    """shape_div with an error naming the composition whose condition failed."""
    if a % b != 0 and b % a != 0:
        raise layout_error(
            f"composition {lhs} ∘ {rhs} is not defined: the {which} divisibility condition fails"
            f" ({a} and {b} do not divide one another), so the result is not a layout",
            hint="pick tile sizes/strides that divide (or are multiples of) the layout's modes",
        )
    return it.shape_div(a, b)


# --- complement and inverses ---------------------------------------------------------------------


def complement(layout: Layout, cotarget=None) -> Layout:
    """The layout of the offsets in [0, cotarget) that `layout` does not reach, ordered and
    disjoint from it, so make_layout(layout, complement(layout, cotarget)) covers the range.
    `cotarget` defaults to cosize(layout); it may be a shape (its modes round up in turn).

    >>> complement(Layout(4, 2), 24)
    (2,3):(1,8)
    """
    if not isinstance(layout, Layout):
        layout = Layout(layout)
    flat = filter(layout)
    if any(isinstance(d, E) or d < 0 for d in it.flatten(flat.stride)):
        raise layout_error(
            f"complement of {layout}: strides must be non-negative integers",
            hint="complement is defined for memory layouts, not identity or reversed layouts",
        )
    if cotarget is None:
        cotarget = cosize(flat)
    if flat.stride == 0:
        return Layout(it.product(cotarget))
    shapes, strides = list(it.wrap(flat.shape)), list(it.wrap(flat.stride))
    result_shape, result_stride = [], [1]
    while True:
        d = min(strides)
        i = strides.index(d)
        new_shape = d // result_stride[-1]
        if new_shape == 0:
            raise layout_error(
                f"complement of {layout}: the layout is not injective (two modes overlap)",
                hint="complement needs a layout whose offsets are distinct",
            )
        result_shape.append(new_shape)
        s = shapes.pop(i)
        strides.pop(i)
        if not shapes:
            next_stride = d * s
            break
        result_stride.append(d * s)
    rest_shape = it.product(it.ceil_div(cotarget, next_stride))
    return coalesce(Layout((*result_shape, rest_shape), (*result_stride, next_stride)))


def right_inverse(layout: Layout) -> Layout:
    """The largest layout R with layout(R(i)) == i: follows the strides 1, s0*d0, ... of
    coalesce(layout). 1:0 when no stride is 1.

    >>> right_inverse(Layout((4, 8), (8, 1)))
    (8,4):(4,1)
    """
    flat = coalesce(layout)
    shapes, strides = it.wrap(flat.shape), it.wrap(flat.stride)
    if any(isinstance(d, E) for d in strides):
        raise layout_error("right_inverse of an identity (coordinate) layout is not supported")
    rstrides = it.compact_col_major(shapes)
    picked, want = [], 1
    while True:
        hits = [i for i, d in enumerate(strides) if abs(d) == want]
        if not hits:
            break
        i = hits[0]
        picked.append(i)
        want = shapes[i] * abs(strides[i])
    if not picked:
        return Layout(1, 0)
    return Layout(
        it.unwrap(tuple(shapes[i] for i in picked)),
        it.unwrap(tuple(it.signum(strides[i]) * rstrides[i] for i in picked)),
    )


def left_inverse(layout: Layout) -> Layout:
    """A layout L with L(layout(i)) == i for an injective `layout`.

    >>> left_inverse(Layout((4, 8), (8, 1)))
    (8,4):(4,1)
    """
    return right_inverse(make_layout(layout, complement(layout)))


# --- recast ---------------------------------------------------------------------------------------


def upcast(layout: Layout, n: int) -> Layout:
    """The layout in units n times larger: stride-1 modes shrink by n, other strides divide by n."""

    def mode(s, d):
        if is_tuple(s):
            return make_layout(*(mode(x, y) for x, y in zip(s, d, strict=True)))
        if d == 0:
            return Layout(s, 0)
        return Layout(it.shape_div(s, it.shape_div(n, abs(d))), it.shape_div(d, n))

    return mode(layout.shape, layout.stride)


def downcast(layout: Layout, n: int) -> Layout:
    """The layout in units n times smaller: stride-±1 modes grow by n, other strides scale by n."""
    if not any(d in (1, -1) for d in it.flatten(layout.stride)):
        raise layout_error(
            f"cannot recast {layout} to a narrower type: no mode has stride 1",
            hint="recasting to a smaller element needs contiguous elements (a stride-1 mode)",
        )

    def mode(s, d):
        if is_tuple(s):
            return make_layout(*(mode(x, y) for x, y in zip(s, d, strict=True)))
        return Layout(s * n, d) if d in (1, -1) else Layout(s, d * n)

    return mode(layout.shape, layout.stride)


def recast_layout(layout: Layout, old_bits: int, new_bits: int) -> Layout:
    """`layout` over elements of `old_bits` re-expressed over elements of `new_bits`
    (CuTe recast_layout<Old, New>): e.g. 8 halves as 4 floats.

    >>> recast_layout(Layout((4, 8), (8, 1)), 16, 32)
    (4,4):(4,1)
    """
    ratio = Fraction(new_bits, old_bits)
    if ratio == 1:
        return layout
    if ratio.numerator == 1:
        return downcast(layout, ratio.denominator)
    if ratio.denominator == 1:
        return upcast(layout, ratio.numerator)
    raise layout_error(
        f"recast_layout from {old_bits}-bit to {new_bits}-bit elements is not supported",
        hint="one element width must be a multiple of the other",
    )
