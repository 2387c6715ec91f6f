"""Swizzles and composed layouts: the XOR permutations that spread threadgroup-memory
accesses over banks (CuTe `Swizzle<B,M,S>` and `ComposedLayout`).

`Swizzle(bits, base, shift)` maps an offset to offset ^ ((offset & yyy) >> shift), where yyy
selects `bits` bits starting at bit base + shift; it works on static ints and traced offsets.
`ComposedLayout(inner, offset, outer)` is c -> inner(offset + outer(c)): a swizzle applied on
top of a layout. It answers shape queries through `outer` and is tiled, divided and sliced like
a Layout (slicing moves the fixed part into the offset, which stays inside the swizzle).

>>> sw = Swizzle(3, 3, 3)
>>> sw, sw(0b001_000_101)
(Sw<3,3,3>, 77)
>>> composition(sw, Layout((8, 64), (64, 1)))(1, 0)
72
"""

from __future__ import annotations

import numbers

from . import int_tuple as it
from .int_tuple import is_tuple, layout_error
from .layout import Layout, cosize, slice_layout


class Swizzle:
    """The offset permutation offset ^ ((offset & yyy_mask) >> shift) (CuTe Swizzle<B,M,S>).

    `bits` bits starting at bit `base + max(0, shift)` are XORed into the bits `shift` lower
    (a negative shift XORs upward). Needs bits >= 0, base >= 0 and |shift| >= bits.
    """

    __slots__ = ("bits", "base", "shift")

    def __init__(self, bits: int, base: int, shift: int):
        for name, v in (("bits", bits), ("base", base), ("shift", shift)):
            if not isinstance(v, numbers.Integral):
                raise layout_error(f"Swizzle: {name} must be a Python int, got {v!r}")
        if bits < 0 or base < 0 or abs(shift) < bits:
            raise layout_error(
                f"Swizzle({bits}, {base}, {shift}) is not a valid swizzle",
                hint="use bits >= 0, base >= 0 and |shift| >= bits, e.g. Swizzle(3, 3, 3)",
            )
        object.__setattr__(self, "bits", int(bits))
        object.__setattr__(self, "base", int(base))
        object.__setattr__(self, "shift", int(shift))

    def __setattr__(self, name, value):
        raise AttributeError("Swizzle is immutable")

    @property
    def yyy_mask(self) -> int:
        return ((1 << self.bits) - 1) << (self.base + max(0, self.shift))

    @property
    def zzz_mask(self) -> int:
        return ((1 << self.bits) - 1) << (self.base - min(0, self.shift))

    def __call__(self, offset):
        """The swizzled offset (an int, or a traced value for traced offsets)."""
        if self.bits == 0:
            return offset
        picked = offset & self.yyy_mask
        moved = picked >> self.shift if self.shift >= 0 else picked << -self.shift
        return offset ^ moved

    def compose(self, rhs):
        """composition(swizzle, layout): the swizzle applied to the layout's offsets."""
        if not isinstance(rhs, Layout):
            raise layout_error(
                f"composition of {self} with {rhs!r}: a swizzle composes with a Layout",
                hint="composition(Swizzle(...), Layout(...)) or make_composed_layout",
            )
        return ComposedLayout(self, 0, rhs)

    def size(self) -> int:
        """The span the swizzle permutes within: 2**(bits + base + |shift|)."""
        return 1 << (self.bits + self.base + abs(self.shift))

    def __eq__(self, other):
        return isinstance(other, Swizzle) and (self.bits, self.base, self.shift) == (
            other.bits,
            other.base,
            other.shift,
        )

    def __hash__(self):
        return hash(("Sw", self.bits, self.base, self.shift))

    def __repr__(self) -> str:
        return f"Sw<{self.bits},{self.base},{self.shift}>"


class ComposedLayout:
    """c -> inner(offset + outer(c)) (CuTe ComposedLayout<A, O, B>), usable where a Layout is:
    call, size, shape, composition with a tiler on the right, divides, slicing.

    >>> ComposedLayout(Swizzle(1, 0, 1), 0, Layout(4))(2)
    3
    """

    __slots__ = ("inner", "offset", "outer")

    def __init__(self, inner, offset, outer: Layout):
        if not callable(inner) or not isinstance(outer, Layout):
            raise layout_error(
                f"ComposedLayout needs a callable inner function and a Layout, got {inner!r},"
                f" {outer!r}"
            )
        object.__setattr__(self, "inner", inner)
        object.__setattr__(self, "offset", offset)
        object.__setattr__(self, "outer", outer)

    def __setattr__(self, name, value):
        raise AttributeError("ComposedLayout is immutable")

    def __call__(self, *coord):
        c = coord[0] if len(coord) == 1 else coord
        if _has_none(c):
            return self.slice_and_offset(c)[0]
        return self.inner(it.add(self.offset, it.crd2idx(c, self.outer.shape, self.outer.stride)))

    def slice_and_offset(self, coord):
        """The sliced layout (its fixed part moved into the offset) and offset 0."""
        if is_tuple(coord) and not is_tuple(self.outer.shape) and len(coord) == 1:
            coord = coord[0]
        off = it.crd2idx(coord, self.outer.shape, self.outer.stride)
        return ComposedLayout(
            self.inner, it.add(self.offset, off), slice_layout(coord, self.outer)
        ), 0

    def with_outer(self, outer: Layout) -> ComposedLayout:
        return ComposedLayout(self.inner, self.offset, outer)

    def compose(self, rhs):
        from .algebra import composition

        return self.with_outer(composition(self.outer, rhs))

    def __getitem__(self, key):
        if isinstance(key, tuple):
            return self(*key)
        return self.with_outer(self.outer[key])

    def __len__(self) -> int:
        return len(self.outer)

    @property
    def shape(self):
        return self.outer.shape

    @property
    def stride(self):
        return self.outer.stride

    def size(self) -> int:
        return self.outer.size()

    def cosize(self) -> int:
        return cosize(self.outer)

    def rank(self) -> int:
        return self.outer.rank()

    def depth(self) -> int:
        return self.outer.depth()

    def __eq__(self, other):
        return isinstance(other, ComposedLayout) and (self.inner, self.offset, self.outer) == (
            other.inner,
            other.offset,
            other.outer,
        )

    def __hash__(self):
        return hash((self.inner, self.outer)) if isinstance(self.offset, int) else id(self)

    def __repr__(self) -> str:
        return f"{self.inner} o {self.offset} o {self.outer}"


def _has_none(c) -> bool:
    if is_tuple(c):
        return any(_has_none(v) for v in c)
    return c is None


def make_composed_layout(inner, offset, outer: Layout) -> ComposedLayout:
    """inner ∘ offset ∘ outer: make_composed_layout(Swizzle(3, 3, 3), 0, Layout(64, 1))."""
    return ComposedLayout(inner, offset, outer)
