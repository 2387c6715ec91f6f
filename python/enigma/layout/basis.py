"""Basis strides (CuTe's ScaledBasis `E<i>`): strides that point into a coordinate, not memory.

An identity layout maps an index to its own coordinate: its strides are the unit vectors
`E(0), E(1), ...` of the coordinate space (nested modes use a path, `E(1, 0)`). The algebra
treats them like integer strides (scaling by integers, equality, printing `1@0`), so
compositions, divides and slices of an identity layout work unchanged; evaluating such a
layout yields a coordinate tuple instead of an offset, which is what tensors use to predicate
out-of-bounds elements.

>>> make_identity_layout((4, 8))(5)
(1, 1)
"""

from __future__ import annotations

import numbers

from .int_tuple import add, is_tuple, layout_error, mul


class E:
    """`value` times the unit vector of mode path `mode` (CuTe `E<mode...>{} * value`).

    >>> E(1) * 4
    4@1
    """

    __slots__ = ("value", "mode")

    def __init__(self, *mode: int, value: int = 1):
        if not mode:
            raise layout_error("E() needs a mode, e.g. E(0) for the first coordinate")
        self.mode = tuple(mode)
        self.value = value

    def __mul__(self, k):
        if not isinstance(k, numbers.Integral):
            return NotImplemented
        return E(*self.mode, value=self.value * k)

    __rmul__ = __mul__

    def __eq__(self, other):
        return isinstance(other, E) and other.mode == self.mode and other.value == self.value

    def __hash__(self):
        return hash(("E", self.mode, self.value))

    def __repr__(self):
        return f"{self.value}@" + "@".join(str(m) for m in self.mode)

    def scale_by(self, c):
        """The coordinate c * self, as a tuple with `c * value` at this basis' position."""
        coord = mul(c, self.value)
        for m in reversed(self.mode):
            coord = (0,) * m + (coord,)
        return coord


def basis_like(shape, path=()):
    """Basis strides congruent to `shape`: basis_like((4, (2, 3))) == (E(0), (E(1,0), E(1,1)))."""
    if is_tuple(shape):
        return tuple(basis_like(s, path + (i,)) for i, s in enumerate(shape))
    return E(*path) if path else E(0)


def add_coords(a, b):
    """Sum of two coordinate tuples (padded with zeros); an integer must be a static 0."""
    if not is_tuple(a):
        a, b = b, a
    if not is_tuple(b):
        if isinstance(b, numbers.Integral) and b == 0:
            return a
        raise layout_error(
            "a layout mixes integer strides and basis (coordinate) strides in one sum",
            hint="keep identity layouts (make_identity_layout) separate from memory layouts",
        )
    n = max(len(a), len(b))
    a = a + (0,) * (n - len(a))
    b = b + (0,) * (n - len(b))
    return tuple(
        add_coords(x, y) if is_tuple(x) or is_tuple(y) else add(x, y)
        for x, y in zip(a, b, strict=True)
    )
