"""Structured control flow in kernels: `for_range`, `while_` and `if_` as `with` blocks.

Python's own `for`/`while`/`if` run at trace time and cannot branch on traced
values, so loops and branches are context managers whose body is traced once
into a region. Values flow out of a region only through a `Carry`: `carry[k]`
reads the current value, `carry[k] = v` sets it (converted to the carried
type), and after the block `carry[k]` is the result. A value defined inside a
region and used after it is an error that says to carry it. Simdgroup matrices
are carried like values (`init=[acc]`, `carry[0] = simdgroup_multiply_accumulate(...)`).
"""

from __future__ import annotations

from .. import dtypes as dt
from .. import ir
from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, convert, emit, emit_region_op, new_value, resolve_dtype, traced, value_of
from .memory import assign_value
from .simdgroup_matrix import SimdgroupMatrix
from .threadgroup_matrix import MATRIX_TYPES, ThreadgroupMatrix, carried_matrix, wrap_matrix
from .tracing import Trace, current, user_location


class Carry:
    """Values carried through a loop or out of a branch (see the module docstring).

    >>> with enigma.for_range(0, n, init=[0.0, 0]) as (i, carry):
    ...     carry[0] = carry[0] + a[i]
    ...     carry[1] = carry[1] + 1
    >>> total, count = carry[0], carry[1]
    """

    __slots__ = ("_types", "_current", "_results", "_what", "_read_only")

    def __init__(self, types: list, current: list[IRValue], what: str, read_only: bool = False):
        self._types = types
        self._current = current
        self._results: list[IRValue] | None = None
        self._what = what
        self._read_only = read_only

    def __len__(self) -> int:
        return len(self._types)

    def __iter__(self):
        return iter([self[k] for k in range(len(self._types))])

    def __repr__(self) -> str:
        return f"<carry of the {self._what}: {', '.join(t.name for t in self._types)}>"

    def _index(self, k) -> int:
        n = len(self._types)
        if cv.literal_kind(k) != "int" or not -n <= int(k) < n:
            raise TraceError(
                f"the {self._what} carries {n} value(s); carry[{k!r}] does not exist",
                user_location(),
                hint=f"index with 0..{n - 1}, or add an initial value to init=[...]",
            )
        return int(k) % n

    def __getitem__(self, k) -> IRValue | SimdgroupMatrix | ThreadgroupMatrix:
        k = self._index(k)
        v = self._results[k] if self._results is not None else self._current[k]
        return wrap_matrix(v) if v.dtype.kind == "matrix" else v

    def __setitem__(self, k, value) -> None:
        loc = user_location()
        k = self._index(k)
        if self._results is not None:
            raise TraceError(
                f"carry[{k}] is the result of the {self._what}, which has ended; it cannot be set",
                loc,
                hint="set carried values inside the block; afterwards assign the result to a"
                " Python variable and compute with it",
            )
        if self._read_only:
            raise TraceError(
                "the while_ condition cannot change carried values",
                loc,
                hint="set them in the body of the `with enigma.while_(...)` block",
            )
        trace = current("carry[...] = ...")
        t = self._types[k]
        if t.kind == "matrix":
            self._current[k] = carried_matrix(value, t, f"carry[{k}]", loc)
            return
        self._current[k] = assign_value(trace, value, t, loc, f"carry[{k}]", strict=True)

    def _finish(self, results: list[IRValue]) -> None:
        self._results = results


def _initial_values(trace: Trace, init, loc, construct: str) -> list[IRValue]:
    """`init=[...]` as traced values; literals have their default types (int, float, bool)."""
    if init is None:
        return []
    if not isinstance(init, (list, tuple)):
        raise TraceError(
            f"{construct} init= takes a list of initial values, not {init!r}",
            loc,
            hint=f"write init=[{init!r}]",
        )
    return [
        x.value if isinstance(x, MATRIX_TYPES) else value_of(trace, x, None, loc, "the initial"
        " value") for x in init
    ]  # fmt: skip


def _condition(c, loc, construct: str) -> IRValue:
    v = traced(c)
    if v is None or v.dtype is not dt.b1:
        what = f"a value of type `{v.dtype.name}`" if v is not None else f"the Python value {c!r}"
        raise TraceError(
            f"{construct} needs a traced bool condition, not {what}",
            loc,
            hint="compare to build one (x != 0); a condition known at trace time is a plain"
            " Python `if`",
        )
    return v


def _not_a_with(construct: str, usage: str) -> TraceError:
    return TraceError(
        f"enigma.{construct} is a `with` block, not a Python {usage}",
        user_location(),
        hint=f"write `with enigma.{construct}(...)`: its body is traced once into the kernel",
    )


def _end_region(trace: Trace, scope, carry: Carry, exc_type) -> None:
    """Close a region: yield the carried values, or just leave it when an error propagates."""
    if exc_type is not None:
        trace.abandon(scope)
        return
    emit(trace, "yield", carry._current, None, {}, user_location())
    trace.pop(scope)


class for_range:
    """A loop `for (i = lo; i < hi; i += step)` traced once into the kernel.

    The index type is `dtype` if given, else the type of the traced bounds (unsigned
    when a bound is unsigned), else `int`. A Python step must be positive; a traced
    step must be positive at run time. `for_range(n)` counts from 0.

    >>> with enigma.for_range(0, n) as i:
    ...     out[i] = a[i] * 2
    >>> with enigma.for_range(0, n, init=[0.0]) as (i, acc):   # carried value
    ...     acc[0] = acc[0] + a[i]
    >>> out[0] = acc[0]
    """

    def __init__(self, lo, hi=None, step=1, *, dtype=None, init=None):
        self._bounds = (0, lo, step) if hi is None else (lo, hi, step)
        self._dtype = dtype
        self._init = init

    def __iter__(self):
        raise _not_a_with("for_range", "iterator")

    def _index_type(self, loc) -> dt.DType:
        if self._dtype is not None:
            t = resolve_dtype(self._dtype, "for_range dtype", loc)
            if not (t.is_int and t.lanes == 1):
                raise TraceError(
                    f"a loop index must be a scalar integer type, not `{t.name}`",
                    loc,
                    hint="use dtype=enigma.i32 or enigma.u32",
                )
            return t
        t = None
        for b in self._bounds:
            v = traced(b)
            if v is None:
                continue
            if not (v.dtype.is_int and v.dtype.lanes == 1):
                raise TraceError(
                    f"loop bounds must be scalar integers, not `{v.dtype.name}`",
                    loc,
                    hint="convert with enigma.metal_cast(x, enigma.i32)",
                )
            t = v.dtype if t is None else cv.common_type(t, v.dtype)
        return cv.promote(t) if t is not None else dt.i32

    def __enter__(self):
        loc = user_location()
        trace = current("for_range")
        step = self._bounds[2]
        if traced(step) is None and cv.literal_kind(step) == "int" and int(step) <= 0:
            raise TraceError(
                f"for_range step must be positive, not {step}",
                loc,
                hint="count upward and derive the index you need, e.g. j = hi - 1 - i",
            )
        t = self._index_type(loc)
        bounds = [
            convert(trace, value_of(trace, b, t, loc, "the loop bound"), t, loc)
            for b in self._bounds
        ]
        inits = _initial_values(trace, self._init, loc, "for_range")
        types = [v.dtype for v in inits]
        self._trace = trace
        self._op, self._results = emit_region_op(trace, "for", bounds + inits, types, 1, loc)
        region = self._op.regions[0]
        self._scope = trace.push(region.ops, "for loop", loc)
        iv = new_value(trace, t, self._scope, loc)
        carried = [new_value(trace, ty, self._scope, loc) for ty in types]
        region.args = [v.value for v in [iv] + carried]
        self._carry = Carry(types, carried, "for loop")
        return iv if self._init is None else (iv, self._carry)

    def __exit__(self, exc_type, exc, tb) -> bool:
        _end_region(self._trace, self._scope, self._carry, exc_type)
        self._carry._finish(self._results)
        return False


class while_:
    """A loop that runs while `cond` holds; `cond` is re-evaluated before every iteration.

    `cond` is a function traced into the loop's condition: it receives the carried
    values (read-only) when `init` is given, and nothing otherwise. The block is the
    body; `with ... as carry` gives the carried values as in `for_range`.

    >>> with enigma.while_(lambda c: c[0] < n, init=[1]) as c:   # smallest power of 2 >= n
    ...     c[0] = c[0] * 2
    >>> out[0] = c[0]
    """

    def __init__(self, cond, *, init=None):
        self._cond = cond
        self._init = init

    def __bool__(self):
        raise _not_a_with("while_", "condition")

    def __enter__(self):
        loc = user_location()
        trace = current("while_")
        if not callable(self._cond):
            raise TraceError(
                "while_ takes a function that computes the condition each iteration",
                loc,
                hint="write enigma.while_(lambda c: c[0] < n, init=[0]) (or lambda: ... without"
                " init)",
            )
        inits = _initial_values(trace, self._init, loc, "while_")
        types = [v.dtype for v in inits]
        self._trace = trace
        op, self._results = emit_region_op(trace, "while", inits, types, 2, loc)
        before, after = op.regions
        scope = trace.push(before.ops, "while condition", loc)
        args = [new_value(trace, t, scope, loc) for t in types]
        before.args = [v.value for v in args]
        view = Carry(types, list(args), "while loop", read_only=True)
        try:
            cond = self._cond(view) if self._init is not None else self._cond()
            emit(trace, "condition", [_condition(cond, loc, "while_")] + args, None, {}, loc)
        except BaseException:
            trace.abandon(scope)
            raise
        trace.pop(scope)
        self._scope = trace.push(after.ops, "while loop", loc)
        forwarded = [new_value(trace, t, self._scope, loc) for t in types]
        after.args = [v.value for v in forwarded]
        self._carry = Carry(types, forwarded, "while loop")
        return self._carry if self._init is not None else None

    def __exit__(self, exc_type, exc, tb) -> bool:
        _end_region(self._trace, self._scope, self._carry, exc_type)
        self._carry._finish(self._results)
        return False


class if_:
    """A branch on a traced bool, with an optional else and optional merged values.

    Three forms:

    >>> with enigma.if_(i < n):                       # then only
    ...     out[i] = a[i]
    >>> with enigma.if_(x > 0) as (then_, else_):      # then and else
    ...     with then_:
    ...         out[i] = x
    ...     with else_:
    ...         out[i] = -x
    >>> with enigma.if_(x > 0, init=[0.0]) as (then_, else_, r):   # values out
    ...     with then_:
    ...         r[0] = x
    ...     with else_:
    ...         r[0] = -x
    >>> out[i] = r[0]

    With `init`, `r[k]` starts as init[k] in each branch; after the block it holds the
    value of the branch taken (a branch that does not set it keeps init[k]). The
    then-only form is `with enigma.if_(c, init=[...]) as r:`.
    """

    def __init__(self, cond, *, init=None):
        self._cond = cond
        self._init = init
        self._two_branches = False
        self._scope = None

    def __bool__(self):
        raise _not_a_with("if_", "condition")

    def __enter__(self):
        self._loc = loc = user_location()
        self._trace = trace = current("if_")
        cond = _condition(self._cond, loc, "if_")
        self._inits = _initial_values(trace, self._init, loc, "if_")
        types = [v.dtype for v in self._inits]
        self._op, self._results = emit_region_op(trace, "if", [cond], types, 2, loc)
        self._carry = Carry(types, list(self._inits), "if")
        self._done = [False, False]
        self._scope = trace.push(self._op.regions[0].ops, "if branch", loc)
        return self

    def __iter__(self):
        # `as (then_, else_[, r])` unpacks the object __enter__ returned: two-branch form.
        if self._scope is None:
            raise _not_a_with("if_", "iterable")
        trace = self._trace
        if self._two_branches or trace.scope is not self._scope or self._scope.ops:
            raise TraceError(
                "unpack `then_, else_` directly in the with statement",
                user_location(),
                hint="write `with enigma.if_(c) as (then_, else_):`",
            )
        trace.pop(self._scope)
        self._two_branches = True
        self._scope = trace.push(None, "if", self._loc)
        branches = [_Branch(self, 0), _Branch(self, 1)]
        return iter(branches + [self._carry] if self._init is not None else branches)

    def __getitem__(self, k) -> IRValue:
        return self._carried()[k]

    def __setitem__(self, k, value) -> None:
        self._carried()[k] = value

    def _carried(self) -> Carry:
        if self._init is None:
            raise TraceError(
                "this if_ carries no values",
                user_location(),
                hint="give it initial values: enigma.if_(c, init=[x])",
            )
        return self._carry

    def __exit__(self, exc_type, exc, tb) -> bool:
        trace = self._trace
        if exc_type is not None:
            trace.abandon(self._scope)
            return False
        if self._two_branches:
            trace.pop(self._scope)
        else:
            _end_region(trace, self._scope, self._carry, None)
            self._done[0] = True
        for index, region in enumerate(self._op.regions):
            # A missing branch passes the initial values through (then always ends in a
            # yield; an else without results stays empty).
            if not self._done[index] and (index == 0 or self._inits):
                region.ops.append(
                    ir.Op("yield", [v.value for v in self._inits], [], {}, [], self._loc)
                )
        self._carry._finish(self._results)
        return False


class _Branch:
    """`then_` or `else_` of a two-branch `if_`: a `with` block traced into its region."""

    def __init__(self, owner: if_, index: int):
        self._owner = owner
        self._index = index
        self._what = ("then", "else")[index]

    def __enter__(self):
        owner, loc = self._owner, user_location()
        trace = current(f"{self._what}_")
        if trace.scope is not owner._scope or owner._done[self._index]:
            raise TraceError(
                f"`with {self._what}_:` must appear once, directly inside its"
                f" `with enigma.if_(...)` block (line {owner._loc.line})",
                loc,
            )
        owner._carry._current = list(owner._inits)
        self._scope = trace.push(owner._op.regions[self._index].ops, f"{self._what} branch", loc)
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        owner = self._owner
        _end_region(owner._trace, self._scope, owner._carry, exc_type)
        owner._done[self._index] = exc_type is None
        return False
