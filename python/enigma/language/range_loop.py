"""`for i in enigma.range(...)`: a real kernel loop whose carried variables are found for you.

A kernel body is traced once, so a Python `for` over `enigma.range` cannot run
its body per iteration. Instead loop_rewrite.py rewrites each such loop of the
kernel's source (once, at the first trace) into a call of `run_loop` with the
loop body as a function: it takes the index and every Python variable the body
assigns, and returns their new values. `run_loop` traces that function once
inside a `for` region; a variable bound before the loop is carried (a loop
value of the region, and the loop's result afterwards), which is exactly
Python's meaning of a variable updated by a loop. A variable first assigned in
the body is local to one iteration: reading it before its assignment, or after
the loop, is an error that says to assign it before the loop.

`enigma.range_constexpr(...)` is the other kind of loop: a Python `range` over
ints known at trace time, so the body is unrolled.

>>> acc = 0.0
>>> for k in enigma.range(0, n):       # inside an @enigma.kernel body
...     acc = acc + a[k] * b[k]        # acc is carried automatically
>>> out[i] = acc
"""

from __future__ import annotations

import builtins

from ..errors import TraceError
from . import conversions as cv
from .control_flow import for_range
from .core import IRValue, traced
from .threadgroup_matrix import MATRIX_TYPES
from .tracing import current, user_location


class RangeLoop:
    """What `enigma.range(...)` returns: the bounds of a kernel loop, iterated by `run_loop`."""

    __slots__ = ("args", "dtype", "loc")

    def __init__(self, args: tuple, dtype, loc):
        self.args = args
        self.dtype = dtype
        self.loc = loc

    def __repr__(self) -> str:
        return f"<enigma.range{self.args!r}>"

    def __iter__(self):
        raise TraceError(
            "this `for ... in enigma.range(...)` loop was not turned into a kernel loop: only"
            " loops written in an @enigma.kernel function (or in functions defined inside it),"
            " whose source file is available, with enigma.range called by a module-level name"
            " (enigma.range, en.range, an imported alias) are",
            user_location(),
            hint="write the loop in the kernel itself, or use"
            " `with enigma.for_range(lo, hi, init=[...]) as (i, carry):` in a helper function",
        )


def range(lo, hi=None, step=1, *, dtype=None) -> RangeLoop:  # noqa: A001 - enigma.range
    """A loop of the kernel, `for (i = lo; i < hi; i += step)`, iterated by a Python `for`.

    Arguments as Python's `range` (one argument counts from 0); bounds may be traced
    integers; the index type follows `for_range` (`dtype=` to force it). Variables the
    body assigns that exist before the loop are carried through it automatically.
    `break`, `continue`, `return` and `for ... else` are not supported in its body.

    >>> total = 0
    >>> for k in enigma.range(n):
    ...     total = total + a[k]
    """
    return RangeLoop((lo, hi, step), dtype, user_location())


def range_constexpr(*args) -> builtins.range:
    """A loop unrolled at trace time: Python's `range` over ints known when tracing.

    >>> for k in enigma.range_constexpr(4):   # four copies of the body, k = 0..3
    ...     out[i * 4 + k] = a[i] * k
    """
    for x in args:
        if cv.literal_kind(x) != "int":
            what = f"a traced `{x.dtype.name}` value" if isinstance(x, IRValue) else repr(x)
            raise TraceError(
                f"range_constexpr bounds must be Python ints known at trace time, not {what}",
                user_location(),
                hint="loop over traced bounds with `for i in enigma.range(lo, hi):`",
            )
    return builtins.range(*(int(x) for x in args))


# --- the loop itself (called by the rewritten kernel) ---------------------------------------------

_UNSUPPORTED_HINTS = {
    "break": "loop over the range you need (compute the bound first), or guard the rest of the"
    " body with `with enigma.if_(cond):`",
    "continue": "guard the rest of the body with `with enigma.if_(cond):`",
    "return": "let the kernel end after the loop; guard the remaining work with"
    " `with enigma.if_(cond):`",
}


def unsupported(statement: str) -> None:
    """Raised in place of a `break`, `continue` or `return` of an enigma.range loop body."""
    raise TraceError(
        f"`{statement}` is not supported inside an enigma.range loop: its body is traced once"
        " into a loop of the kernel",
        user_location(),
        hint=_UNSUPPORTED_HINTS[statement],
    )


class _Unbound:
    """A variable with no value at this point: read before its first assignment in the loop
    body (`why` "before"), after a loop that alone assigned it ("after"), or the loop index
    after the loop ("index"). Any use is an error saying so."""

    __slots__ = ("name", "loop_line", "why")

    def __init__(self, name: str, loop_line: int, why: str):
        self.name = name
        self.loop_line = loop_line
        self.why = why

    def __repr__(self) -> str:
        return f"<`{self.name}`: no value>"

    def __enigma_value__(self):
        if self.why == "index":
            raise TraceError(
                f"`{self.name}` is the index of the enigma.range loop at line {self.loop_line}"
                " and has no value after the loop",
                user_location(),
                hint="use the index inside the loop, or keep what you need in a variable"
                " assigned before the loop (it is carried)",
            )
        if self.why == "after":
            raise TraceError(
                f"`{self.name}` is assigned only inside the enigma.range loop at line"
                f" {self.loop_line}, so it has no value after the loop",
                user_location(),
                hint=f"assign `{self.name}` before the loop: it is then carried through the loop"
                " and holds the last iteration's value afterwards",
            )
        raise TraceError(
            f"`{self.name}` is read in the enigma.range loop (line {self.loop_line}) before it is"
            " assigned: it would carry a value from one iteration to the next but has none to"
            " start with",
            user_location(),
            hint=f"give `{self.name}` its initial value before the loop",
        )

    def __getattr__(self, name: str):
        self.__enigma_value__()


def _install_unbound_errors() -> None:
    """Every operator on an unbound variable raises its error (like a Python NameError)."""

    def refuse(self, *args):
        self.__enigma_value__()

    names = (
        "bool iter len index int float call getitem setitem neg pos abs invert lt le gt ge eq"
        " ne add radd sub rsub mul rmul truediv rtruediv floordiv rfloordiv mod rmod pow rpow"
        " and rand or ror xor rxor lshift rlshift rshift rrshift"
    ).split()
    for name in names:
        setattr(_Unbound, f"__{name}__", refuse)


_install_unbound_errors()
_NOT_BOUND = object()  # a variable unbound before the loop (its getter raised NameError)


def _initial(getter):
    try:
        value = getter()
    except NameError:  # also UnboundLocalError
        return _NOT_BOUND
    # The index (or a loop-local) of an earlier loop, reused by this one: not a value.
    return _NOT_BOUND if isinstance(value, _Unbound) else value


def _carried_value(x) -> IRValue | None:
    """`x` as a traced value if it can be carried: a traced value, a simdgroup or threadgroup
    matrix or a Python number."""
    if isinstance(x, IRValue):
        return x
    if isinstance(x, MATRIX_TYPES):
        return x.value
    if isinstance(x, _Unbound):
        x.__enigma_value__()  # raises: says the variable has no value
    if getattr(type(x), "__enigma_value__", None) is not None:
        try:
            return traced(x)  # thread_position_in_grid and similar proxies
        except TraceError:
            return None  # a buffer, a register tensor...: not a value
    return None


def run_loop(loop, body, index: str, names: tuple, getters: tuple) -> tuple:
    """Trace `body(i, *variables)` once as the loop `loop`; return the index and the
    variables after it.

    `index` names the loop index, which has no value after the loop. `names[k]` is a
    variable the body assigns and `getters[k]()` its value before the loop. Numbers and
    traced values are carried; other objects (buffers...) pass through unchanged and must
    not be rebound by the body.
    """
    loc = user_location()
    if not isinstance(loop, RangeLoop):
        raise TraceError(
            f"this loop was compiled as an enigma.range loop but iterates over {loop!r}",
            loc,
            hint="a name that refers to enigma.range in the module must not be rebound locally",
        )
    current("enigma.range")  # only while a kernel is traced
    before = [_initial(get) for get in getters]
    carried, inits = [], []
    for k, x in enumerate(before):
        if x is _NOT_BOUND:
            continue
        v = _carried_value(x)
        if v is None and cv.literal_kind(x) is not None:
            v = x  # a Python number starts a carried value of its default type
        if v is not None:
            carried.append(k)
            inits.append(v)
    lo, hi, step = loop.args
    block = for_range(lo, hi, step, dtype=loop.dtype, init=inits)
    iv, carry = block.__enter__()
    args = list(before)
    for j, k in enumerate(carried):
        args[k] = carry[j]
    for k, x in enumerate(before):
        if x is _NOT_BOUND:
            args[k] = _Unbound(names[k], loc.line, "before")
    try:
        after = body(iv, *args)
        _set_carried(carry, carried, names, before, after, loc)
        _check_unchanged(carried, names, before, after, loc)
    except BaseException as e:
        block.__exit__(type(e), e, e.__traceback__)
        raise
    block.__exit__(None, None, None)
    results = list(before)
    for j, k in enumerate(carried):
        results[k] = carry[j]
    for k, x in enumerate(before):
        if x is _NOT_BOUND:
            results[k] = _Unbound(names[k], loc.line, "after")
    return (_Unbound(index, loc.line, "index"), *results)


def _set_carried(carry, carried, names, before, after, loc) -> None:
    """The body's new values become the values yielded to the next iteration; a carried
    variable keeps its type (a Python literal converts to it)."""
    for j, k in enumerate(carried):
        new, t = after[k], carry._types[j]
        v = _carried_value(new)
        if v is None and cv.literal_kind(new) is None:
            raise TraceError(
                f"`{names[k]}` is a `{t.name}` value carried through the enigma.range loop, but"
                f" the body makes it {type(new).__name__} {new!r}",
                loc,
                hint="carried variables hold numbers, traced values and simdgroup matrices; keep"
                " other objects in"
                " variables the loop does not assign",
            )
        if v is not None and v.dtype is not t:
            start = before[k]
            how = (
                f" (the Python {type(start).__name__} {start!r})"
                if cv.literal_kind(start) is not None
                else ""
            )
            raise TraceError(
                f"`{names[k]}` changes type in the enigma.range loop (line {loc.line}): it is"
                f" `{t.name}` before the loop{how} and `{v.dtype.name}` after this line",
                v.loc,
                hint=f"give `{names[k]}` the type it has in the loop before the loop, e.g."
                f" `{names[k]} = enigma.metal_cast({names[k]}, {cv.api_name(v.dtype)})`",
            )
        # A matrix is set as itself (the carry checks its type), others as traced values.
        carry[j] = v if v is not None and not isinstance(new, MATRIX_TYPES) else new


def _check_unchanged(carried, names, before, after, loc) -> None:
    """Objects that are not values (buffers, register tensors...) cannot be rebound in the loop."""
    for k, x in enumerate(before):
        if x is _NOT_BOUND or k in carried or after[k] is x:
            continue
        raise TraceError(
            f"`{names[k]}` ({type(x).__name__}) is reassigned inside the enigma.range loop; only"
            " numbers and traced values can change from one iteration to the next",
            loc,
            hint=f"use another name for the value assigned to `{names[k]}` in the loop",
        )
