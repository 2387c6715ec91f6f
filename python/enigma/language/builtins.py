"""Thread and grid queries (SPEC §4): where a GPU thread is, and how big the launch is.

Each query becomes one `builtin` op placed at the top of the kernel body and
emitted once per (query, dim), so a query first made inside a loop is still
usable after it. All are `uint` values. `thread_position_in_grid` is also an
attribute-style value (its x component) through a module-level proxy that
materializes inside a kernel trace.

>>> @enigma.kernel
... def fill(out: enigma.u32):
...     out[enigma.thread_position_in_grid] = enigma.threads_per_grid("x")
"""

from __future__ import annotations

from .. import dtypes as dt
from .. import ir
from ..errors import TraceError
from .core import IRValue
from .tracing import current, user_location

# In the fixed order of docs/architecture.md §2 (BuiltinKind).
DIMMED = ("thread_position_in_grid", "thread_position_in_threadgroup",
          "threadgroup_position_in_grid", "threads_per_threadgroup", "threads_per_grid",
          "threadgroups_per_grid")  # fmt: skip
UNDIMMED = ("thread_index_in_threadgroup", "thread_index_in_simdgroup",
            "simdgroup_index_in_threadgroup", "threads_per_simdgroup",
            "simdgroups_per_threadgroup")  # fmt: skip
_DIMS = {"x": "x", "y": "y", "z": "z", 0: "x", 1: "y", 2: "z"}


def query(name: str, dim=None) -> IRValue:
    """The `uint` value of builtin `name` (component `dim` for the dimmed ones), hoisted."""
    trace = current(name)
    if name in DIMMED:
        d = _DIMS.get(dim) if isinstance(dim, (str, int)) and not isinstance(dim, bool) else None
        if d is None:
            raise TraceError(
                f"`{name}` has no dimension {dim!r}",
                user_location(),
                hint='use dim "x", "y" or "z" (or 0, 1, 2)',
            )
    else:
        d = None
    value = trace.builtins.get((name, d))
    if value is None:
        loc = user_location()
        attrs = {"name": name, "dim": d} if d is not None else {"name": name}
        result = ir.Value(trace.new_id(), "uint")
        trace.builtin_ops.append(ir.Op("builtin", [], [result], attrs, [], loc))
        value = trace.builtins[(name, d)] = IRValue(result, dt.u32, trace.root, loc)
    return value


def thread_position_in_grid_xyz(dim="x") -> IRValue:
    """This thread's position in the grid along `dim` ("x", "y" or "z")."""
    return query("thread_position_in_grid", dim)


def thread_position_in_threadgroup(dim="x") -> IRValue:
    """This thread's position in its threadgroup along `dim`."""
    return query("thread_position_in_threadgroup", dim)


def threadgroup_position_in_grid(dim="x") -> IRValue:
    """The position of this thread's threadgroup in the grid along `dim`."""
    return query("threadgroup_position_in_grid", dim)


def threads_per_threadgroup(dim="x") -> IRValue:
    """The size of this thread's threadgroup along `dim` (smaller for a partial last one)."""
    return query("threads_per_threadgroup", dim)


def threads_per_grid(dim="x") -> IRValue:
    """The number of threads of the launch along `dim`."""
    return query("threads_per_grid", dim)


def grid_size(dim="x") -> IRValue:
    """The number of threads of the launch along `dim` (same as `threads_per_grid`)."""
    return query("threads_per_grid", dim)


def threadgroups_per_grid(dim="x") -> IRValue:
    """The number of threadgroups of the launch along `dim`."""
    return query("threadgroups_per_grid", dim)


def thread_index_in_threadgroup() -> IRValue:
    """This thread's linear index in its threadgroup."""
    return query("thread_index_in_threadgroup")


def thread_index_in_simdgroup() -> IRValue:
    """This thread's lane in its SIMD-group (0..31)."""
    return query("thread_index_in_simdgroup")


def simdgroup_index_in_threadgroup() -> IRValue:
    """The index of this thread's SIMD-group in its threadgroup."""
    return query("simdgroup_index_in_threadgroup")


def threads_per_simdgroup() -> IRValue:
    """The SIMD-group width (32 on Apple GPUs)."""
    return query("threads_per_simdgroup")


def simdgroups_per_threadgroup() -> IRValue:
    """The number of SIMD-groups in this thread's threadgroup."""
    return query("simdgroups_per_threadgroup")


class _ThreadPositionInGrid:
    """`enigma.thread_position_in_grid`: the x position as a value, or called with a dim.

    >>> i = enigma.thread_position_in_grid          # x
    >>> j = enigma.thread_position_in_grid("y")     # any dim
    """

    __slots__ = ()
    __array_ufunc__ = None

    def __call__(self, dim="x") -> IRValue:
        return query("thread_position_in_grid", dim)

    def __enigma_value__(self) -> IRValue:
        return query("thread_position_in_grid", "x")

    def __repr__(self) -> str:
        return "enigma.thread_position_in_grid"

    def __getattr__(self, name: str):
        if name.startswith("_"):  # keep introspection (copy, inspect, doctest) away from traces
            raise AttributeError(name)
        return getattr(self.__enigma_value__(), name)


def _install_forwarding() -> None:
    """Every operator of IRValue, used on the proxy, acts on the materialized x position."""

    def forward(name):
        return lambda self, *args: getattr(self.__enigma_value__(), name)(*args)

    own = ("__init__", "__repr__", "__getattr__", "__hash__")
    for name, attr in vars(IRValue).items():
        if name.startswith("__") and name not in own and callable(attr):
            setattr(_ThreadPositionInGrid, name, forward(name))


_install_forwarding()

thread_position_in_grid = _ThreadPositionInGrid()
