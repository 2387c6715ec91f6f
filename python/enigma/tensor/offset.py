"""Element offsets of tensor views: a static part, a traced part, and what divides the latter.

A view's base offset is ``static + traced``: the Python int collects everything known
when the kernel is traced, and the traced `uint` value (or None) what depends on
thread or block indices. Slicing adds ``coordinate * stride`` to it, so the index
arithmetic of a view is emitted once, where the view is made; each element access
then adds a static constant to that one traced value.

Vector loads need more: a proof that the address is a multiple of the vector width.
`alignment_of` finds the largest power of two known to divide a traced integer by
reading the ops that computed it (``block_idx * 128`` is a multiple of 128; a thread
index alone of nothing), and `Offset.divisor` carries that power of two through the
view's own arithmetic. Only powers of two are tracked: they survive the wrap-around
of 32-bit arithmetic, and vector widths are powers of two.

>>> base = Offset.of(block_idx).times(128)    # divisor 128
>>> base.aligned(4, extra=8)                  # (8 + 128 * block_idx) % 4 == 0
True
"""

from __future__ import annotations

import math
import numbers

from .. import dtypes as dt
from ..errors import TraceError
from ..language.core import IRValue, convert, traced
from ..language.tracing import current, user_location

_MAX_DIVISOR = 1 << 16  # more than any vector width needs; keeps the numbers small
_MAX_DEPTH = 12  # how far back alignment_of follows a chain of ops


class Offset:
    """``static + traced``; the traced part (a `uint` value or None) is a multiple of `divisor`
    (a power of two; 0 when there is no traced part, meaning "divisible by anything")."""

    __slots__ = ("static", "traced", "divisor")

    def __init__(self, static: int = 0, traced: IRValue | None = None, divisor: int = 0):
        self.static = static
        self.traced = traced
        self.divisor = divisor if traced is not None else 0

    def __repr__(self) -> str:
        if self.traced is None:
            return f"Offset({self.static})"
        return f"Offset({self.static} + {self.traced!r} (multiple of {self.divisor}))"

    @property
    def is_static(self) -> bool:
        return self.traced is None

    @staticmethod
    def of(x, what: str = "a coordinate") -> Offset:
        """A coordinate (a Python int or a traced integer) as an offset."""
        v = traced(x)
        if v is None:
            if isinstance(x, bool) or not isinstance(x, numbers.Integral):
                raise TraceError(
                    f"{what} must be an integer, not {x!r}",
                    user_location(),
                    hint="use Python ints, traced integers, or None to keep a whole mode",
                )
            return Offset(int(x))
        if v.dtype.lanes != 1 or not v.dtype.is_int:
            raise TraceError(
                f"{what} must be a scalar integer, not a `{v.dtype.name}` value",
                user_location(),
                hint="convert it: enigma.metal_cast(i, enigma.u32)",
            )
        divisor = alignment_of(v)
        if v.dtype is not dt.u32:
            v = convert(current("a tensor coordinate"), v, dt.u32, user_location())
        return Offset(0, v, divisor)

    def plus(self, other: Offset) -> Offset:
        """self + other (one `add` op when both have a traced part)."""
        if other.traced is None:
            return Offset(self.static + other.static, self.traced, self.divisor)
        if self.traced is None:
            return Offset(self.static + other.static, other.traced, other.divisor)
        total = self.traced + other.traced
        return Offset(self.static + other.static, total, _gcd(self.divisor, other.divisor))

    def times(self, k: int) -> Offset:
        """self * k for a static k (no op for k = 0 or 1)."""
        if self.traced is None or k == 0:
            return Offset(self.static * k)
        part = self.traced if k == 1 else self.traced * k
        return Offset(self.static * k, part, _cap(self.divisor * _pow2(k)))

    def aligned(self, width: int, extra: int = 0) -> bool:
        """Whether ``self + extra`` is provably a multiple of `width` (a power of two)."""
        if (self.static + extra) % width:
            return False
        return self.traced is None or self.divisor % width == 0

    def index(self, extra: int = 0):
        """``self + extra`` as a buffer index: a Python int, or a `uint` value."""
        if self.traced is None:
            return self.static + extra
        if self.static + extra == 0:
            return self.traced
        return self.traced + (self.static + extra)


def _pow2(n: int) -> int:
    """The largest power of two dividing `n` (0 for 0), capped."""
    n = abs(int(n))
    return 0 if n == 0 else min(n & -n, _MAX_DIVISOR)


def _cap(d: int) -> int:
    return min(d, _MAX_DIVISOR)


def _gcd(a: int, b: int) -> int:
    """gcd of two powers of two, 0 standing for "divisible by anything"."""
    return math.gcd(a, b)


def alignment_of(v: IRValue) -> int:
    """The largest power of two known to divide the traced integer `v`: 1 when nothing is
    known, 0 when `v` is the constant 0 (divisible by anything)."""
    return _alignment(v.value, v.scope, _MAX_DEPTH)


def _defining_op(value, scope):
    """The op of `scope` or an enclosing scope that produced `value` (None: a parameter,
    a builtin, a region argument)."""
    if any(op.results[0] is value for op in scope.trace.builtin_ops):
        return None  # the commonest leaf: skip scanning the whole body for it
    while scope is not None:
        ops = scope.ops or ()
        for op in reversed(ops):
            if op.results and op.results[0] is value:
                return op
        scope = scope.parent
    return None


def _alignment(value, scope, depth: int) -> int:
    if depth == 0:
        return 1
    op = _defining_op(value, scope)
    if op is None:
        return 1
    if op.name == "constant":
        c = op.attrs.get("value")
        return _pow2(c) if isinstance(c, int) and not isinstance(c, bool) else 1
    if op.name == "cast" and dt.dtype(op.operands[0].type).is_int:
        return _alignment(op.operands[0], scope, depth - 1)
    if op.name != "binary":
        return 1
    kind = op.attrs.get("kind")
    a = _alignment(op.operands[0], scope, depth - 1)
    if kind in ("add", "sub"):
        return _gcd(a, _alignment(op.operands[1], scope, depth - 1))
    if kind == "mul":
        return _cap(a * _alignment(op.operands[1], scope, depth - 1))
    c = _constant_value(op.operands[1], scope)
    if c is None or c <= 0:
        return 1
    if kind == "shl":
        return _cap(a << c) if c < 32 else 1
    if a == 0:
        return 0  # zero stays zero through a division, remainder or mask
    if kind in ("floordiv", "div", "shr"):
        divisor = 1 << c if kind == "shr" and c < 32 else c
        return a // divisor if _pow2(divisor) == divisor and a % divisor == 0 else 1
    if kind == "rem":  # x - c * q: a multiple of what divides both
        return _gcd(a, _pow2(c))
    if kind == "and":  # a mask's trailing zero bits clear those of the result too
        return max(a, _pow2(c))
    return 1


def _constant_value(value, scope):
    op = _defining_op(value, scope)
    if op is not None and op.name == "constant":
        c = op.attrs.get("value")
        if isinstance(c, int) and not isinstance(c, bool):
            return c
    return None
