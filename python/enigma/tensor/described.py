"""The shape, stride and size every tensor view reads from its layout.

Both data views (`Tensor`) and coordinate views (`CoordTensor`, identity.py)
describe themselves through their `layout`; this mixin is that description.
"""

from __future__ import annotations


class LayoutDescribed:
    """`shape`, `stride` and `size` of `self.layout`.

    >>> enigma.make_identity_tensor((4, 8)).size
    32
    """

    __slots__ = ()

    @property
    def shape(self):
        return self.layout.shape

    @property
    def stride(self):
        return self.layout.stride

    @property
    def size(self) -> int:
        """The number of elements (coordinates) of the view."""
        return self.layout.size()
