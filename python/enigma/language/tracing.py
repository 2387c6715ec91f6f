"""The tracing context: where traced ops go, and which user line made them.

While an `@enigma.kernel` body runs on symbolic values, one `Trace` is current.
It hands out value ids, keeps a stack of `Scope`s (the kernel body, a loop body,
a branch...) whose op lists receive the emitted ops, and collects the ops that
are hoisted to the top of the kernel (thread/grid queries, threadgroup
allocations). A scope is closed when its region ends; a value whose scope is
closed may no longer be used, which is how "defined in a loop, used after it"
is caught. `user_location()` finds the user's file:line for each op by walking
the Python stack past Enigma's own frames.
"""

from __future__ import annotations

import os
import sys
import threading

from ..errors import SourceLocation, TraceError


class Scope:
    """One region being traced. ``ops is None`` marks the body of a two-branch `if_`,
    where only `with then_:` / `with else_:` may appear."""

    __slots__ = ("ops", "closed", "what", "loc", "parent", "trace")

    def __init__(self, ops, what: str, loc: SourceLocation, parent: Scope | None, trace):
        self.ops = ops
        self.closed = False
        self.what = what
        self.loc = loc
        self.parent = parent
        self.trace = trace


class Trace:
    """The state of one kernel trace (see the module docstring)."""

    __slots__ = (
        "name",
        "next_id",
        "scope",
        "root",
        "builtins",
        "builtin_ops",
        "alloc_ops",
        "alloc_bytes",
    )

    def __init__(self, name: str, loc: SourceLocation):
        self.name = name
        self.next_id = 0
        self.root = self.scope = Scope([], "kernel body", loc, None, self)
        self.builtins: dict = {}  # (name, dim) -> IRValue, so each query is emitted once
        self.builtin_ops: list = []
        self.alloc_ops: list = []
        self.alloc_bytes = 0

    def new_id(self) -> int:
        i = self.next_id
        self.next_id = i + 1
        return i

    def push(self, ops, what: str, loc: SourceLocation) -> Scope:
        self.scope = Scope(ops, what, loc, self.scope, self)
        return self.scope

    def pop(self, scope: Scope) -> None:
        if self.scope is not scope:
            raise TraceError(
                f"the {scope.what} started at line {scope.loc.line} ended out of order",
                user_location(),
                hint="close `with` blocks in the reverse order they were opened",
            )
        scope.closed = True
        self.scope = scope.parent

    def abandon(self, scope: Scope) -> None:
        """Leave `scope` (and anything left open inside it) because an error is propagating."""
        scope.closed = True
        self.scope = scope.parent


# The trace in progress on this thread (kernels may be compiled from several threads).
_state = threading.local()
_state.trace = None


def current(what: str) -> Trace:
    """The trace in progress, or an error naming `what` when no kernel is being traced."""
    trace = getattr(_state, "trace", None)
    if trace is None:
        raise TraceError(
            f"`{what}` can only be used inside an @enigma.kernel",
            user_location(),
            hint="call it from the body of a function decorated with @enigma.kernel, which"
            " runs when the kernel is compiled",
        )
    return trace


def current_or_none() -> Trace | None:
    return getattr(_state, "trace", None)


def set_current(trace: Trace | None) -> Trace | None:
    """Make `trace` current and return the previous one (kernels may be traced while tracing)."""
    previous = getattr(_state, "trace", None)
    _state.trace = trace
    return previous


# --- user source locations -----------------------------------------------------------------------

_LANGUAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_USER, _PACKAGE, _LANGUAGE = 0, 1, 2
_file_kinds: dict[str, int] = {}
_locations: dict = {}  # (code, lasti) -> SourceLocation
_positions: dict = {}  # code -> list of (line, end_line, column, end_column)
_UNKNOWN = SourceLocation("<unknown>", 0, 0)


def _file_kind(filename: str) -> int:
    path = os.path.abspath(filename) if not filename.startswith("<") else filename
    kind = _USER
    if path.startswith(_LANGUAGE_DIR):
        kind = _LANGUAGE
    elif path.startswith(_PACKAGE_DIR):
        kind = _PACKAGE
    _file_kinds[filename] = kind
    return kind


def user_location() -> SourceLocation:
    """The file:line:column of the innermost frame outside the enigma package.

    Helpers elsewhere in the package (a kernel defined inside enigma itself) are the
    fallback when the whole stack is Enigma's: then the innermost frame outside
    ``enigma.language`` is used.
    """
    frame = sys._getframe(1)
    fallback = None
    while frame is not None:
        filename = frame.f_code.co_filename
        kind = _file_kinds.get(filename)
        if kind is None:
            kind = _file_kind(filename)
        if kind == _USER:
            break
        if kind == _PACKAGE and fallback is None:
            fallback = frame
        frame = frame.f_back
    else:
        frame = fallback
        if frame is None:
            return _UNKNOWN
    key = (frame.f_code, frame.f_lasti)
    loc = _locations.get(key)
    if loc is None:
        loc = _locations[key] = _make_location(frame)
    return loc


def _make_location(frame) -> SourceLocation:
    code = frame.f_code
    column = 0
    positions = _positions.get(code)
    if positions is None and hasattr(code, "co_positions"):  # Python >= 3.11
        positions = _positions[code] = list(code.co_positions())
    if positions:
        index = frame.f_lasti // 2
        if 0 <= index < len(positions) and positions[index][2] is not None:
            column = positions[index][2]
    filename = code.co_filename
    if not filename.startswith("<"):
        filename = os.path.abspath(filename)
    return SourceLocation(filename, frame.f_lineno or code.co_firstlineno, column)
