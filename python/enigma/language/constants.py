"""Function constants (SPEC §4): values given at dispatch, specializing the kernel.

`function_constant(dtype, index)` is Metal's program-scope
``constant T fc<index> [[function_constant(index)]];``: a scalar the kernel
reads like any value (in arithmetic, as a loop bound, as an `if_` condition)
whose value comes with each launch, ``compiled(..., constants={0: 16})``.
The kernel is compiled once; each set of values is a specialization (on the
cpu device, one object per set, cached). Like thread queries, a constant is
placed at the top of the kernel and read once per index.

>>> n = enigma.function_constant(enigma.u32, 0)       # inside an @enigma.kernel
>>> with enigma.for_range(0, n) as k: ...
"""

from __future__ import annotations

from .. import ir
from ..errors import TraceError
from . import conversions as cv
from .core import IRValue, resolve_dtype
from .tracing import current, user_location

MAX_INDEX = 65535  # Metal's [[function_constant(N)]] index is a ushort


def function_constant(dtype, index: int) -> IRValue:
    """The value of function constant `index`, of scalar type `dtype`, given at launch.

    >>> use_bias = enigma.function_constant(enigma.b1, 1)
    >>> with enigma.if_(use_bias): ...
    """
    loc = user_location()
    trace = current("function_constant")
    t = resolve_dtype(dtype, "function_constant dtype", loc)
    if t.lanes > 1:
        raise TraceError(
            f"function_constant takes a scalar dtype, not `{t.name}`",
            loc,
            hint="declare one constant per lane",
        )
    if cv.literal_kind(index) != "int" or not 0 <= int(index) <= MAX_INDEX:
        raise TraceError(
            f"function_constant index must be a Python int in 0..{MAX_INDEX}, not {index!r}",
            loc,
            hint="number the constants 0, 1, ... and pass constants={0: value, ...} at launch",
        )
    index = int(index)
    key = ("function_constant", index)
    value = trace.builtins.get(key)
    if value is not None:
        if value.dtype is not t:
            raise TraceError(
                f"function constant {index} is a `{value.dtype.name}` (line {value.loc.line}),"
                f" not a `{t.name}`",
                loc,
                hint="give each constant one dtype, or use another index",
            )
        return value
    result = ir.Value(trace.new_id(), t.name)
    attrs = {"index": index, "name": f"fc{index}"}
    trace.builtin_ops.append(ir.Op("function_constant", [], [result], attrs, [], loc))
    value = trace.builtins[key] = IRValue(result, t, trace.root, loc)
    return value
