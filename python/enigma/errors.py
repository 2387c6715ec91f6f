"""Errors raised by Enigma, rendered in the user's terms.

Every user mistake surfaces as an `EnigmaError` (or a subclass) whose message
says what went wrong, where (the user's ``file:line`` with the source line and
a caret) and how to fix it. Compiler diagnostics coming back from the C++ core
are turned into `CompilerError`, rendered the same way.
"""

from __future__ import annotations

import linecache
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLocation:
    """A position in the user's Python source: file, 1-based line, 0-based column."""

    file: str
    line: int
    column: int = 0

    def short(self) -> str:
        return f"{os.path.basename(self.file)}:{self.line}"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def render(self) -> str:
        """``file:line`` followed by the source line and a caret under the column."""
        text = linecache.getline(self.file, self.line).rstrip("\n")
        if not text.strip():
            return f"  at {self}"
        stripped = text.lstrip()
        indent = len(text) - len(stripped)
        caret = " " * max(0, self.column - indent)
        return f"  at {self}\n    {stripped}\n    {caret}^"


class EnigmaError(Exception):
    """A mistake in how Enigma was used, with where it happened and how to fix it.

    >>> raise EnigmaError("buffer `a` is f64", hint="use enigma.f32")  # doctest: +SKIP
    """

    def __init__(self, message: str, loc: SourceLocation | None = None, hint: str | None = None):
        self.message = message
        self.loc = loc
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [self.message]
        if self.loc is not None:
            parts.append(self.loc.render())
        if self.hint:
            parts.append(f"  fix: {self.hint}")
        return "\n".join(parts)


class TraceError(EnigmaError):
    """A kernel body did something the tracer cannot turn into IR."""


class CompilerError(EnigmaError):
    """The C++ core rejected the kernel (verifier or pass failure)."""

    def __init__(self, diagnostics: list[dict], kernel: str = ""):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.get("severity") == "error"] or diagnostics
        first = errors[0] if errors else {"message": "unknown compiler failure"}
        loc = None
        if first.get("file") and first.get("line"):
            loc = SourceLocation(first["file"], int(first["line"]), int(first.get("column", 0)))
        where = f" in kernel `{kernel}`" if kernel else ""
        notes = [f"  note: {d['message']}" for d in errors[1:4]]
        message = f"compiling{where} failed: {first['message']}"
        if notes:
            message += "\n" + "\n".join(notes)
        super().__init__(
            message,
            loc,
            hint="this is the compiler's check of the traced kernel; change the marked line"
            " (and report a bug if the kernel is valid)",
        )


class LaunchError(EnigmaError):
    """A kernel launch was given arguments that do not match the kernel."""
