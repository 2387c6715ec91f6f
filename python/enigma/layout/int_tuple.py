"""Hierarchical integer tuples (CuTe's IntTuple): the shapes, strides and coordinates of layouts.

An IntTuple is an integer or a (possibly nested) tuple of IntTuples. Shapes and strides are
static Python ints; coordinates and indices may also be traced kernel values (`IRValue`), so
every function that touches a coordinate goes through the `add`/`mul`/`div`/`mod` helpers
below: they fold what is static and skip `* 1`, `+ 0`, `% 1`, so the traced IR stays lean.
Integer division follows C++ (truncation toward zero), as CuTe's definitions do.

>>> crd2idx((1, 2), (4, 8), (1, 4))
9
>>> idx2crd(9, (4, 8))
(1, 2)
"""

from __future__ import annotations

import numbers

from ..errors import EnigmaError
from ..language.tracing import user_location


def layout_error(message: str, hint: str | None = None) -> EnigmaError:
    """An EnigmaError for a misuse of the layout algebra, at the user's line."""
    return EnigmaError(message, user_location(), hint=hint)


# --- kinds of values --------------------------------------------------------------------------


def is_tuple(x) -> bool:
    """True for a (nested) tuple: a hierarchical mode."""
    return isinstance(x, tuple)


def is_int(x) -> bool:
    """True for a leaf: a static int or a traced integer value (CuTe's "integral")."""
    return not isinstance(x, tuple)


def is_static(x) -> bool:
    """True when every leaf of `x` is a Python integer known at trace time."""
    if isinstance(x, tuple):
        return all(is_static(v) for v in x)
    return isinstance(x, numbers.Integral)


def _const(x, value: int) -> bool:
    """`x` is the static integer `value` (never builds a comparison on traced values)."""
    return isinstance(x, numbers.Integral) and x == value


# --- arithmetic that folds static parts -------------------------------------------------------


def add(a, b):
    """a + b, skipping a static 0."""
    if _const(a, 0):
        return b
    if _const(b, 0):
        return a
    return a + b


def mul(a, b):
    """a * b, folding static 0 and 1."""
    if _const(a, 0) or _const(b, 0):
        return 0
    if _const(a, 1):
        return b
    if _const(b, 1):
        return a
    return a * b


def tdiv(a, b):
    """C++ integer division (truncation toward zero); a traced `a` divides with `//`."""
    if _const(b, 1):
        return a
    if isinstance(a, numbers.Integral):
        q = abs(a) // abs(b)
        return q if (a >= 0) == (b > 0) else -q
    return a // b  # traced coordinates and indices are non-negative


def mod(a, b):
    """a % b for a non-negative index `a`, skipping `% 1`."""
    if _const(b, 1):
        return 0
    return a % b


def signum(a: int) -> int:
    return (a > 0) - (a < 0)


# --- structure --------------------------------------------------------------------------------


def rank(t) -> int:
    """Number of top-level modes (1 for an integer)."""
    return len(t) if is_tuple(t) else 1


def depth(t) -> int:
    """Nesting depth: 0 for an integer, 1 + the deepest mode for a tuple."""
    if is_tuple(t):
        return 1 + max((depth(v) for v in t), default=0)
    return 0


def flatten(t) -> tuple:
    """The leaves of `t` in order, as a flat tuple: flatten((1, (2, 3))) == (1, 2, 3)."""
    if is_tuple(t):
        return tuple(leaf for v in t for leaf in flatten(v))
    return (t,)


def unflatten(flat, profile):
    """Fold the flat tuple `flat` into the nesting of `profile`: unflatten((1,2,3), (0,(0,0)))."""
    flat = tuple(flat)
    result, rest = _unflatten(flat, profile)
    if rest:
        raise layout_error(f"unflatten: {flat} has more leaves than profile {profile}")
    return result


def _unflatten(flat: tuple, profile):
    if is_tuple(profile):
        out = []
        for p in profile:
            v, flat = _unflatten(flat, p)
            out.append(v)
        return tuple(out), flat
    if not flat:
        raise layout_error(f"unflatten: too few leaves for profile {profile}")
    return flat[0], flat[1:]


def wrap(t) -> tuple:
    """`t` as a tuple: an integer becomes a 1-tuple."""
    return t if is_tuple(t) else (t,)


def unwrap(t):
    """Remove 1-tuple wrappers: unwrap(((4,),)) == 4."""
    while is_tuple(t) and len(t) == 1:
        t = t[0]
    return t


def product(t):
    """The product of all leaves (the size of a shape); 1 for an empty tuple."""
    if is_tuple(t):
        result = 1
        for v in t:
            result = mul(result, product(v))
        return result
    return t


def product_each(t) -> tuple:
    """The product of each top-level mode: product_each((2, (3, 4))) == (2, 12)."""
    return tuple(product(v) for v in wrap(t))


def tuple_max(t) -> int:
    """The largest leaf of `t`."""
    return max(flatten(t))


def select(t, indices):
    """The modes of `t` at `indices`, as a tuple: select((4, 5, 6), (2, 0)) == (6, 4)."""
    t = wrap(t)
    return tuple(t[i] for i in indices)


def repeat_like(t, x):
    """A tuple with the profile of `t` and `x` at every leaf: repeat_like((2,(3,4)), 0)."""
    if is_tuple(t):
        return tuple(repeat_like(v, x) for v in t)
    return x


def transform_leaf(f, *ts):
    """Apply `f` leafwise to congruent tuples."""
    if is_tuple(ts[0]):
        return tuple(transform_leaf(f, *vs) for vs in zip(*ts, strict=True))
    return f(*ts)


# --- comparisons of profiles ------------------------------------------------------------------


def is_congruent(a, b) -> bool:
    """Same nesting (profile): is_congruent((2, (3, 4)), (1, (5, 6))) is True."""
    if is_tuple(a) and is_tuple(b):
        return len(a) == len(b) and all(is_congruent(x, y) for x, y in zip(a, b, strict=True))
    return not is_tuple(a) and not is_tuple(b)


def is_weakly_congruent(a, b) -> bool:
    """`b` refines the profile of `a`: every leaf of `a` matches a sub-tree of `b`."""
    if is_tuple(a) and is_tuple(b):
        return len(a) == len(b) and all(
            is_weakly_congruent(x, y) for x, y in zip(a, b, strict=True)
        )
    return not is_tuple(a)


def is_compatible(a, b) -> bool:
    """Every coordinate of shape `a` is a coordinate of shape `b` (sizes match at `a`'s leaves)."""
    if is_tuple(a) and is_tuple(b):
        return len(a) == len(b) and all(is_compatible(x, y) for x, y in zip(a, b, strict=True))
    if is_tuple(a):
        return False
    return a == product(b)


# --- shape arithmetic -------------------------------------------------------------------------


def prefix_product(a, init=1):
    """Exclusive prefix product (column-major strides): prefix_product((2,(3,4))) == (1,(2,6))."""
    if is_tuple(a):
        if is_tuple(init):
            return tuple(prefix_product(x, i) for x, i in zip(a, init, strict=True))
        out = []
        for v in a:
            out.append(prefix_product(v, init))
            init = init * product(v)
        return tuple(out)
    if is_tuple(init):
        raise layout_error(f"prefix_product: an integer {a} with a tuple init {init}")
    return init


def suffix_product(a, init=1):
    """Exclusive suffix product (row-major strides): suffix_product((2, (3, 4))) == (12, (4, 1))."""
    if is_tuple(a):
        if is_tuple(init):
            return tuple(suffix_product(x, i) for x, i in zip(a, init, strict=True))
        out = []
        for v in reversed(a):
            out.append(suffix_product(v, init))
            init = init * product(v)
        return tuple(reversed(out))
    if is_tuple(init):
        raise layout_error(f"suffix_product: an integer {a} with a tuple init {init}")
    return init


def shape_div(a, b):
    """Divide shape `a` by `b`, folding a scalar `b` across the modes of `a` (CuTe shape_div).

    Each integer step needs a % b == 0 or b % a == 0 and rounds away from zero:
    shape_div((4, 5, 6), 40) == (1, 1, 3); shape_div(2, 8) == 1.
    """
    if is_tuple(a):
        if is_tuple(b):
            if len(a) != len(b):
                raise layout_error(f"shape_div: ranks of {a} and {b} differ")
            return tuple(shape_div(x, y) for x, y in zip(a, b, strict=True))
        out = []
        for v in a:
            out.append(shape_div(v, b))
            b = shape_div(b, product(v))
        return tuple(out)
    if is_tuple(b):
        return shape_div(a, product(b))
    if b == 0 or (a % b != 0 and b % a != 0):
        raise layout_error(
            f"shape_div({a}, {b}): neither divides the other (CuTe's divisibility condition)",
            hint="choose tile sizes and strides that divide the layout's shapes (or are"
            " multiples of them)",
        )
    q = tdiv(a, b)
    return q if q != 0 else signum(a) * signum(b)


def ceil_div(a, b):
    """Ceiling division of a shape, folding a scalar `b` across the modes of `a` (CuTe ceil_div)."""
    if is_tuple(a):
        if is_tuple(b):
            b = b + (1,) * (len(a) - len(b))
            return tuple(ceil_div(x, y) for x, y in zip(a, b, strict=True))
        out = []
        for v in a:
            out.append(ceil_div(v, b))
            b = ceil_div(b, v)
        return tuple(out)
    if is_tuple(b):
        return ceil_div(a, product(b))
    return tdiv(a + b - 1, b)


def shape_min(a: int, b: int) -> int:
    """min of two integer shapes (CuTe shape_min)."""
    if is_tuple(a) or is_tuple(b):
        raise layout_error(f"shape_min({a}, {b}) is defined on integers only")
    return min(a, b)


def elem_scale(a, b):
    """`a` scaled leafwise by the products of the matching modes of `b`."""
    if is_tuple(a):
        return tuple(elem_scale(x, y) for x, y in zip(a, wrap(b), strict=True))
    return mul(a, product(b))


def inner_product(a, b):
    """Sum of the leafwise products of congruent `a` and `b`."""
    if is_tuple(a) and is_tuple(b):
        if len(a) != len(b):
            raise layout_error(f"inner_product: ranks of {a} and {b} differ")
        total = 0
        for x, y in zip(a, b, strict=True):
            total = add(total, inner_product(x, y))
        return total
    return mul(a, b)


# --- coordinates and indices ------------------------------------------------------------------


def crd2idx(crd, shape, stride=None):
    """The offset of coordinate `crd` in (shape, stride); the stride defaults to column-major.

    `crd` may be an index (an integer, split over the modes of `shape` column-major, the last
    mode taking the remainder unbounded) or a (nested) coordinate; leaves may be traced.
    crd2idx(5, (2, 4), (4, 1)) == 6
    """
    if stride is None:
        stride = compact_col_major(shape)
    if is_tuple(crd):
        if not is_tuple(shape):
            raise layout_error(
                f"coordinate {crd} has more modes than shape {shape}",
                hint="use a coordinate with the layout's profile, or a single index",
            )
        if len(crd) != len(shape):
            raise layout_error(
                f"coordinate {crd} has {len(crd)} modes but shape {shape} has {len(shape)}",
                hint="give one coordinate per mode (or a single integer index)",
            )
        total = 0
        for c, s, d in zip(crd, shape, stride, strict=True):
            total = add_offsets(total, crd2idx(c, s, d))
        return total
    if crd is None:
        return 0
    if is_tuple(shape):
        total = 0
        last = len(shape) - 1
        for i, (s, d) in enumerate(zip(shape, stride, strict=True)):
            if i == last:
                return add_offsets(total, crd2idx(crd, s, d))
            n = product(s)
            total = add_offsets(total, crd2idx(mod(crd, n), s, d))
            crd = tdiv(crd, n)
        return total
    return scale_stride(crd, stride)


def idx2crd(idx, shape, stride=None):
    """The coordinate (congruent to `shape`) of index `idx`: idx2crd(9, (4, 8)) == (1, 2).

    Each leaf is (idx // stride) % shape with column-major strides by default, as CuTe does;
    `idx` may be traced.
    """
    if is_tuple(idx):
        if not is_tuple(shape) or len(idx) != len(shape):
            raise layout_error(f"index {idx} does not match shape {shape}")
        stride = stride if stride is not None else compact_col_major(shape)
        return tuple(idx2crd(i, s, d) for i, s, d in zip(idx, shape, stride, strict=True))
    if stride is None:
        stride = compact_col_major(shape)
    if is_tuple(shape):
        if not is_tuple(stride):
            stride = compact_col_major(shape, stride)
        return tuple(idx2crd(idx, s, d) for s, d in zip(shape, stride, strict=True))
    if _const(shape, 1):
        return 0
    return mod(tdiv(idx, stride), shape)


def compact_col_major(shape, current=1):
    """Column-major (LayoutLeft) strides for `shape`, starting at `current`; a size-1 mode gets
    stride 0, as in CuTe: compact_col_major((4, 1, 2)) == (1, 0, 4)."""
    return _zero_unit_modes(shape, prefix_product(shape, current))


def compact_row_major(shape, current=1):
    """Row-major (LayoutRight) strides for `shape`, ending at `current`; size-1 modes get 0."""
    return _zero_unit_modes(shape, suffix_product(shape, current))


def _zero_unit_modes(shape, stride):
    return transform_leaf(lambda s, d: 0 if s == 1 else d, shape, stride)


def compact_order(shape, order):
    """Compact strides for `shape` where modes are laid out in increasing `order`.

    `order` has the profile of `shape` or a coarser one (a leaf of `order` orders a whole
    sub-shape, which is then column-major). compact_order((2, 3, 4), (1, 0, 2)) == (3, 1, 6)
    """
    if not is_weakly_congruent(order, shape):
        raise layout_error(
            f"compact_order: order {order} does not match the profile of shape {shape}",
            hint="give one order value per mode of the shape",
        )
    flat_order = flatten(order)
    if len(set(flat_order)) != len(flat_order):
        raise layout_error(
            f"compact_order: order {order} repeats a value", hint="use distinct ranks"
        )
    flat_sizes = flatten(_product_like(shape, order))

    def strides(s, o):
        if is_tuple(o):
            return tuple(strides(x, y) for x, y in zip(s, o, strict=True))
        start = 1
        for size_i, oi in zip(flat_sizes, flat_order, strict=True):
            if oi < o:
                start *= size_i
        return compact_col_major(s, start)

    return strides(shape, order)


def _product_like(shape, guide):
    """The product of the sub-shapes of `shape` at the leaves of `guide`."""
    if is_tuple(guide):
        return tuple(_product_like(s, g) for s, g in zip(shape, guide, strict=True))
    return product(shape)


# --- offsets: integers, or coordinates for identity layouts -----------------------------------


def scale_stride(c, d):
    """c * d where the stride `d` is an integer or a basis stride (see basis.py)."""
    if hasattr(d, "scale_by"):
        return d.scale_by(c)
    return mul(c, d)


def add_offsets(a, b):
    """a + b for offsets that are integers or coordinate tuples of identity layouts."""
    if is_tuple(a) or is_tuple(b):
        from .basis import add_coords

        return add_coords(a, b)
    return add(a, b)
