"""`IRValue`, the symbolic value a kernel body computes with, and op emission.

Every operator on an `IRValue` records one typed op in the current trace, with
the user's file:line. Operand types are reconciled by the rules of
conversions.py and each conversion becomes an explicit `cast` op, so binary
operands always have identical types in the IR. Python literals take the type
of the traced value they meet. What cannot have a meaning at trace time (truth
value, `range(v)`, iteration) raises an `EnigmaError` that says what to use.

Semantics are Metal's: `/` on integers truncates toward zero, `%` is the
remainder with the sign of the dividend (Metal `%` on integers, `fmod` on
floats), `//` floors (`floordiv`; on floats floor(a / b)), shifts keep the
left operand's (promoted) type, and `x ** k` with a small non-negative Python
int `k` is repeated multiplication (on integers the only form; floats
otherwise use `pow`, which Metal defines for x >= 0 only).

>>> y = a[i] * 2 + b[i] // 3      # inside an @enigma.kernel body
"""

from __future__ import annotations

from .. import dtypes as dt
from .. import ir
from ..dtypes import DType
from ..errors import EnigmaError, SourceLocation, TraceError
from . import conversions as cv
from .tracing import Scope, Trace, current, user_location

_set_field = object.__setattr__


class IRValue:
    """A traced value of a Metal type: the result of an op, a parameter or a region argument.

    Hashable by identity (``==`` builds a comparison op, so never use it as a Python test).
    """

    __slots__ = ("value", "dtype", "scope", "loc")
    __array_ufunc__ = None  # numpy scalars defer to our reflected operators
    __hash__ = object.__hash__

    def __init__(self, value: ir.Value, dtype: DType, scope: Scope, loc: SourceLocation):
        # Set directly, past __setattr__'s checks: a trace makes one IRValue per op.
        _set_field(self, "value", value)
        _set_field(self, "dtype", dtype)
        _set_field(self, "scope", scope)
        _set_field(self, "loc", loc)

    def __repr__(self) -> str:
        return f"IRValue(%{self.value.id}: {self.dtype.name})"

    def __pos__(self):
        return self

    def __neg__(self):
        return unary("neg", self, "-")

    def __invert__(self):
        return unary("not", self, "~")

    def __abs__(self):
        return unary("abs", self, "abs()")

    # What has no meaning at trace time.
    def __bool__(self):
        raise TraceError(
            "a traced value has no truth value while the kernel is traced: Python `if`, `while`,"
            " `and`, `or`, `not` and `x if c else y` cannot branch on it",
            user_location(),
            hint="use `with enigma.if_(cond):`, `enigma.while_(...)`, `enigma.where(f, t, cond)`,"
            " and `&`, `|`, `~` to combine conditions",
        )

    def __index__(self):
        raise TraceError(
            "a traced value cannot be used where Python needs an int (range(), a list index,"
            " a slice, a threadgroup_alloc size)",
            user_location(),
            hint="loop with `with enigma.for_range(lo, hi) as i:` and index buffers directly: a[i]",
        )

    def __int__(self):
        raise _no_python_value(int)

    def __float__(self):
        raise _no_python_value(float)

    def __iter__(self):
        raise TraceError(
            "cannot iterate over a traced value",
            user_location(),
            hint="loop with `with enigma.for_range(lo, hi) as i:`",
        )

    def __len__(self):
        raise TraceError("a traced value has no len()", user_location())

    def __getitem__(self, index):
        if self.dtype is not None and self.dtype.lanes > 1:
            return vectors.lane(self, index)  # v[i] reads a lane, as in MSL
        raise TraceError(
            f"cannot index a `{self.dtype.name}` value: only buffers (kernel parameters and"
            " threadgroup_alloc results) and vectors are indexable",
            user_location(),
        )

    def __getattr__(self, name: str):
        if vectors.is_swizzle_name(name):
            return vectors.swizzle(self, name)  # v.x, v.zyx, v.rgba
        raise AttributeError(f"IRValue has no attribute {name!r}")

    def __setattr__(self, name: str, value):
        if name in IRValue.__slots__:  # the tracer's own fields: the hot path, no checks
            object.__setattr__(self, name, value)
            return
        if vectors.is_swizzle_name(name):
            raise TraceError(
                f"cannot assign to `.{name}`: traced values are immutable (SSA), so vector"
                " lanes are never written in place",
                user_location(),
                hint="build the new vector instead, e.g. v = enigma.make_vec(enigma.float4,"
                " new_x, v.yzw)",
            )
        object.__setattr__(self, name, value)


# Operator methods, installed from tables: (Python name, binary kind, symbol).
_ARITHMETIC = [("add", "add", "+"), ("sub", "sub", "-"), ("mul", "mul", "*"),
               ("truediv", "div", "/"), ("floordiv", "floordiv", "//"), ("mod", "rem", "%"),
               ("and", "and", "&"), ("or", "or", "|"), ("xor", "xor", "^"),
               ("lshift", "shl", "<<"), ("rshift", "shr", ">>")]  # fmt: skip
# Python reflects `1 < v` into `v > 1` itself, so comparisons have no __r...__ forms.
_COMPARISONS = [("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">="), ("eq", "=="), ("ne", "!=")]


def _install_operators() -> None:
    def forward(kind, sym):
        return lambda self, other: binary(kind, self, other, sym)

    def reflected(kind, sym):
        return lambda self, other: binary(kind, other, self, sym)

    for name, kind, sym in _ARITHMETIC:
        setattr(IRValue, f"__{name}__", forward(kind, sym))
        setattr(IRValue, f"__r{name}__", reflected(kind, sym))
    for kind, sym in _COMPARISONS:
        setattr(IRValue, f"__{kind}__", forward(kind, sym))
    IRValue.__pow__ = lambda self, other: power(self, other)
    IRValue.__rpow__ = lambda self, other: power(other, self)


_install_operators()


def _no_python_value(kind: type) -> TraceError:
    short = "i32" if kind is int else "f32"
    return TraceError(
        f"a traced value has no Python {kind.__name__} value while the kernel is traced",
        user_location(),
        hint=f"convert in the kernel instead: enigma.metal_cast(v, enigma.{short})",
    )


# --- emission -----------------------------------------------------------------------------------


def raise_out_of_scope(trace: Trace, v: IRValue, loc: SourceLocation):
    """Reject a value whose region has ended (or that belongs to another trace)."""
    scope = v.scope
    if scope.trace is not trace:
        raise TraceError(
            f"this `{v.dtype.name}` value (from line {v.loc.line}) belongs to another kernel trace",
            loc,
            hint="values cannot be kept across kernels; compute it inside this kernel",
        )
    raise TraceError(
        f"a value defined at line {v.loc.line} inside the {scope.what} (line {scope.loc.line})"
        " is used outside it",
        loc,
        hint="carry it out of the region: give the loop/if an init=[...] value and set"
        " carry[k] = v inside",
    )


def _insertion_scope(trace: Trace, operands: list[IRValue], loc: SourceLocation) -> Scope:
    """The scope a new op goes to, once its operands are known to be visible there."""
    for v in operands:
        if v.scope.closed or v.scope.trace is not trace:
            raise_out_of_scope(trace, v, loc)
    scope = trace.scope
    if scope.ops is None:
        raise_branch_body(scope, loc)
    return scope


def emit(
    trace: Trace,
    name: str,
    operands: list[IRValue],
    result: DType | None,
    attrs: dict,
    loc: SourceLocation,
) -> IRValue | None:
    """Append one op to the current scope; return its result value (or None)."""
    scope = _insertion_scope(trace, operands, loc)
    if result is None:
        scope.ops.append(ir.Op(name, [v.value for v in operands], [], attrs, [], loc))
        return None
    value = ir.Value(trace.new_id(), result.name)
    scope.ops.append(ir.Op(name, [v.value for v in operands], [value], attrs, [], loc))
    return IRValue(value, result, scope, loc)


def raise_branch_body(scope: Scope, loc: SourceLocation):
    raise TraceError(
        f"inside `with enigma.if_(...) as (then_, else_):` (line {scope.loc.line}) every"
        " statement must be in a `with then_:` or `with else_:` block",
        loc,
        hint="move the computation before the `with enigma.if_` or into one of the branches",
    )


def new_value(trace: Trace, dtype: DType, scope: Scope, loc: SourceLocation) -> IRValue:
    """A fresh value not produced by an op of the current scope (region args, op results)."""
    return IRValue(ir.Value(trace.new_id(), dtype.name), dtype, scope, loc)


def emit_region_op(
    trace: Trace,
    name: str,
    operands: list[IRValue],
    results: list[DType],
    nregions: int,
    loc: SourceLocation,
) -> tuple[ir.Op, list[IRValue]]:
    """Append an op with `nregions` empty regions (for, if, while) to the current scope."""
    scope = _insertion_scope(trace, operands, loc)
    values = [new_value(trace, t, scope, loc) for t in results]
    regions = [ir.Region() for _ in range(nregions)]
    op = ir.Op(name, [v.value for v in operands], [v.value for v in values], {}, regions, loc)
    scope.ops.append(op)
    return op, values


def constant(trace: Trace, value, t: DType, loc: SourceLocation) -> IRValue:
    """A constant of type `t` (a vector constant is a scalar splatted by a cast)."""
    if t.lanes > 1:
        return emit(trace, "cast", [constant(trace, value, t.scalar, loc)], t, {}, loc)
    return emit(trace, "constant", [], t, {"value": value}, loc)


def convert(trace: Trace, v: IRValue, t: DType, loc: SourceLocation) -> IRValue:
    """`v` as type `t`: itself, or an explicit cast (a scalar into a vector is a splat)."""
    if v.dtype is t:
        return v
    if t.lanes > 1 and v.dtype.lanes == 1 and v.dtype is not t.scalar:
        v = emit(trace, "cast", [v], t.scalar, {}, loc)
    return emit(trace, "cast", [v], t, {}, loc)


def traced(x):
    """`x` itself if traced (a value, or a proxy such as thread_position_in_grid), else None."""
    if isinstance(x, IRValue):
        return x
    materialize = getattr(x, "__enigma_value__", None)
    return materialize() if materialize is not None else None


def value_of(trace: Trace, x, t: DType | None, loc: SourceLocation, role: str = "a literal"):
    """`x` as a traced value: traced values pass through; literals become constants of `t`
    (their default type when `t` is None)."""
    v = traced(x)
    if v is not None:
        return v
    try:
        if t is None:
            t = cv.default_literal_type(x, role)
        return constant(trace, cv.literal_value(x, t.scalar, role), t, loc)
    except cv.ConversionError as e:
        raise TraceError(e.message, loc, e.hint or None) from None


_RULES = {"add": cv.check_arithmetic, "sub": cv.check_arithmetic, "mul": cv.check_arithmetic,
          "div": cv.check_arithmetic, "floordiv": cv.check_arithmetic, "rem": cv.check_arithmetic,
          "pow": cv.check_arithmetic, "min": cv.check_arithmetic, "max": cv.check_arithmetic,
          "and": cv.check_bitwise, "or": cv.check_bitwise, "xor": cv.check_bitwise,
          "shl": cv.check_shift, "shr": cv.check_shift,
          "lt": cv.check_compare, "le": cv.check_compare, "gt": cv.check_compare,
          "ge": cv.check_compare, "eq": cv.check_compare, "ne": cv.check_compare}  # fmt: skip
_COMPARES = frozenset(("lt", "le", "gt", "ge", "eq", "ne"))


def binary(kind: str, a, b, sym: str) -> IRValue:
    """Emit `a sym b`: reconcile the operand types (one side may be a Python literal)."""
    loc = user_location()
    trace = current(sym)
    va, vb = traced(a), traced(b)
    try:
        if va is not None and vb is not None:
            t = _RULES[kind](va.dtype, vb.dtype, sym)
        else:
            # The literal takes its partner's type, range-checked against that type.
            partner = va if va is not None else vb
            lit_type = partner.dtype.scalar
            lit = cv.literal_value(b if va is not None else a, lit_type)
            if va is not None:
                t = _RULES[kind](va.dtype, lit_type, sym)
                if kind in ("shl", "shr") and not 0 <= lit < t.bits:
                    raise cv.ConversionError(
                        f"shift amount {lit} is out of range for `{t.name}` (0..{t.bits - 1})"
                    )
                vb = constant(trace, lit, t, loc)
            else:
                t = _RULES[kind](lit_type, vb.dtype, sym)
                va = constant(trace, lit, t, loc)
    except cv.ConversionError as e:
        raise TraceError(f"{e.message} (operator `{sym}`)", loc, e.hint or None) from None
    va, vb = convert(trace, va, t, loc), convert(trace, vb, t, loc)
    if kind in _COMPARES:
        return emit(trace, "compare", [va, vb], cv.bool_type(t), {"kind": kind}, loc)
    return emit(trace, "binary", [va, vb], t, {"kind": kind}, loc)


def unary(kind: str, a: IRValue, sym: str) -> IRValue:
    """Emit -a, ~a (logical not on bools) or abs(a), with C's integer promotion for - and ~."""
    loc = user_location()
    trace = current(sym)
    t = a.dtype
    if t.scalar.is_bool and kind != "not":
        raise TraceError(f"`{sym}` cannot take a bool value", loc, "use ~c to negate a condition")
    if kind == "not" and t.scalar.is_float:
        raise TraceError(
            f"`~` needs an integer or bool value, not `{t.name}`",
            loc,
            "negate with -x; for a bitwise not, convert to an integer first",
        )
    if kind != "abs":
        t = cv.promote(t) if not t.is_bool else t
    return emit(trace, "unary", [convert(trace, a, t, loc)], t, {"kind": kind}, loc)


_MAX_INT_POWER = 64  # x ** k becomes at most ~2*log2(k) multiplications
_MAX_FLOAT_POWER = 8  # float x ** k, 0 <= k <= 8: multiplications (exact sign for x < 0)


def power(base, exponent) -> IRValue:
    """Emit base ** exponent: a small non-negative Python int exponent is repeated
    multiplication (the only form on integers); floats otherwise use `pow`."""
    vb, ve = traced(base), traced(exponent)
    k = None if ve is not None else exponent
    if vb is not None and cv.literal_kind(k) == "int" and 0 <= k <= _MAX_INT_POWER:
        t = vb.dtype
        if t.scalar.is_float and k <= _MAX_FLOAT_POWER or t.scalar.is_int:
            return _power_by_squaring(vb, int(k))
    try:
        if vb is not None and ve is not None:
            t = cv.check_arithmetic(vb.dtype, ve.dtype, "**")
        else:
            t = (vb if vb is not None else ve).dtype
    except cv.ConversionError:
        t = None  # binary() reports the mix
    if t is not None and t.scalar.is_int:
        raise TraceError(
            "integer `**` needs a non-negative Python int exponent up to"
            f" {_MAX_INT_POWER} (known at trace time)",
            user_location(),
            hint="convert to float for a general power: enigma.metal_cast(x, enigma.f32) ** y",
        )
    return binary("pow", base, exponent, "**")


def _power_by_squaring(x: IRValue, k: int) -> IRValue:
    loc = user_location()
    trace = current("**")
    t = cv.promote(x.dtype)
    if k == 0:
        return constant(trace, 1.0 if t.is_float else 1, t, loc)
    square = convert(trace, x, t, loc)
    result = None
    while k:
        if k & 1:
            result = (
                square
                if result is None
                else emit(trace, "binary", [result, square], t, {"kind": "mul"}, loc)
            )
        k >>= 1
        if k:
            square = emit(trace, "binary", [square, square], t, {"kind": "mul"}, loc)
    return result


def resolve_dtype(spec, what: str, loc: SourceLocation) -> DType:
    """dtypes.dtype(spec) with the user's location on its error."""
    try:
        return dt.dtype(spec, what=what)
    except EnigmaError as e:
        if e.loc is not None:
            raise
        raise TraceError(e.message, loc, e.hint) from None


# Lane reads and swizzles; imported last because vectors.py builds on this module.
from . import vectors  # noqa: E402
