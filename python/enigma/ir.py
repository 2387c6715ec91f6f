"""Enigma IR: the typed SSA ops the tracer records, and their two renderings.

A traced kernel is a `Kernel` holding parameters and a body of `Op`s; ops may
own `Region`s (loop and branch bodies) whose arguments are values too. Types
are Metal spellings (``float``, ``uint4``, ``threadgroup float[256]``) so the
data can cross into C++ unchanged. `Kernel.to_json()` is the exact document of
docs/architecture.md §1 that `enigma._core.compile_kernel` imports;
`Kernel.format_ir()` is the readable listing printed by ``dump_ir=True``.
Both are deterministic: the same kernel gives byte-identical text.
"""

from __future__ import annotations

import json
import math
import os

from .errors import SourceLocation

JSON_VERSION = 1


class Value:
    """An SSA value: a kernel-unique integer id and a Metal type name."""

    __slots__ = ("id", "type")

    def __init__(self, id: int, type: str):
        self.id = id
        self.type = type

    def __repr__(self) -> str:
        return f"%{self.id}: {self.type}"


class Region:
    """A block of ops with arguments (a loop body, a branch, a while's before/after)."""

    __slots__ = ("args", "ops")

    def __init__(self, args: list[Value] | None = None, ops: list[Op] | None = None):
        self.args = args if args is not None else []
        self.ops = ops if ops is not None else []


class Op:
    """One operation: name, operand values, result values, attributes, regions, location."""

    __slots__ = ("name", "operands", "results", "attrs", "regions", "loc")

    def __init__(
        self,
        name: str,
        operands: list[Value],
        results: list[Value],
        attrs: dict,
        regions: list[Region],
        loc: SourceLocation,
    ):
        self.name = name
        self.operands = operands
        self.results = results
        self.attrs = attrs
        self.regions = regions
        self.loc = loc

    def __repr__(self) -> str:
        return _format_op(self, 0)


class Param:
    """A kernel parameter: a device buffer (``kind="buffer"``) or a by-value scalar."""

    __slots__ = ("id", "name", "kind", "dtype")

    def __init__(self, id: int, name: str, kind: str, dtype: str):
        self.id = id
        self.name = name
        self.kind = kind
        self.dtype = dtype

    def __repr__(self) -> str:
        return f"Param({self.id}, {self.name!r}, {self.kind!r}, {self.dtype!r})"


class Kernel:
    """A traced kernel: name, definition location, parameters and the body's ops.

    >>> print(vector_add.trace().format_ir())  # doctest: +SKIP
    """

    __slots__ = ("name", "loc", "params", "body")

    def __init__(self, name: str, loc: SourceLocation, params: list[Param], body: list[Op]):
        self.name = name
        self.loc = loc
        self.params = params
        self.body = body

    def to_dict(self) -> dict:
        """The plain-data form of docs/architecture.md §1 (absent keys mean empty)."""
        return {
            "version": JSON_VERSION,
            "kernel": self.name,
            "loc": _loc(self.loc),
            "params": [
                {"id": p.id, "name": p.name, "kind": p.kind, "dtype": p.dtype} for p in self.params
            ],
            "body": [_op_dict(op) for op in self.body],
        }

    def to_json(self) -> str:
        """The JSON document `enigma._core.compile_kernel` imports (compact, deterministic)."""
        return json.dumps(self.to_dict(), separators=(",", ":"), allow_nan=False)

    def format_ir(self) -> str:
        """A readable listing, one op per line with the user's ``file:line``."""
        params = ", ".join(_format_param(p) for p in self.params)
        lines = [_with_loc(f"kernel @{self.name}({params}) {{", self.loc)]
        for op in self.body:
            lines.append(_format_op(op, 1))
        lines.append("}")
        return "\n".join(lines)


def _abspath(path: str, _cache: dict[str, str] = {}) -> str:  # noqa: B006 - memo
    found = _cache.get(path)
    if found is None:
        found = _cache[path] = os.path.abspath(path) if not path.startswith("<") else path
    return found


def _loc(loc: SourceLocation) -> list:
    return [_abspath(loc.file), loc.line, loc.column]


def _json_number(value):
    """Constants are JSON numbers; non-finite floats (not JSON) travel as "inf"/"-inf"/"nan"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _op_dict(op: Op) -> dict:
    d: dict = {"op": op.name}
    if op.operands:
        d["operands"] = [v.id for v in op.operands]
    if op.results:
        d["results"] = [{"id": v.id, "type": v.type} for v in op.results]
    if op.attrs:
        attrs = op.attrs
        if "value" in attrs:
            attrs = dict(attrs, value=_json_number(attrs["value"]))
        d["attrs"] = attrs
    if op.regions:
        d["regions"] = [_region_dict(r) for r in op.regions]
    d["loc"] = _loc(op.loc)
    return d


def _region_dict(region: Region) -> dict:
    d: dict = {}
    if region.args:
        d["args"] = [{"id": v.id, "type": v.type} for v in region.args]
    d["ops"] = [_op_dict(op) for op in region.ops]
    return d


# --- readable listing -------------------------------------------------------------------------

_LOC_COLUMN = 56  # where the `# file:line` comments start, so they line up


def _with_loc(text: str, loc: SourceLocation) -> str:
    return f"{text.ljust(_LOC_COLUMN)}  # {loc.short()}"


def _format_param(p: Param) -> str:
    space = "device " if p.kind == "buffer" else ""
    star = "*" if p.kind == "buffer" else ""
    return f"%{p.id}: {space}{p.dtype}{star} {p.name}"


def _ids(values: list[Value]) -> str:
    return ", ".join(f"%{v.id}" for v in values)


def _types(values: list[Value]) -> str:
    return ", ".join(v.type for v in values)


def _op_text(op: Op) -> str:
    """The op without results or regions, e.g. ``add %3, %4 : float``."""
    name, a, ops = op.name, op.attrs, op.operands
    res = f" : {_types(op.results)}" if op.results else ""
    if name in ("binary", "unary", "compare"):
        return f"{a['kind']} {_ids(ops)} : {ops[0].type}"
    if name == "constant":
        return f"constant {_format_constant(a['value'])}{res}"
    if name == "cast":
        return f"cast %{ops[0].id} : {ops[0].type} -> {op.results[0].type}"
    if name == "math":
        return f"{a['fn']} {_ids(ops)}{res}"
    if name == "builtin":
        dim = f".{a['dim']}" if "dim" in a else ""
        return f"builtin {a['name']}{dim}{res}"
    if name == "load":
        return f"load %{ops[0].id}[%{ops[1].id}]{res}"
    if name == "store":
        return f"store %{ops[2].id}, %{ops[0].id}[%{ops[1].id}]"
    if name == "for":
        text = f"for %{ops[0].id} to %{ops[1].id} step %{ops[2].id}"
        return text + (f" iter({_ids(ops[3:])})" if len(ops) > 3 else "") + res
    attrs = " ".join(f"{k}={v}" for k, v in a.items())
    parts = [name] + ([_ids(ops)] if ops else []) + ([attrs] if attrs else [])
    return " ".join(parts) + res


def _format_constant(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _format_op(op: Op, depth: int) -> str:
    indent = "  " * depth
    head = f"{_ids(op.results)} = " if op.results else ""
    text = f"{indent}{head}{_op_text(op)}"
    if not op.regions:
        return _with_loc(text, op.loc)
    lines = [_with_loc(text + " {", op.loc)]
    for i, region in enumerate(op.regions):
        if i:
            lines.append(f"{indent}}} {{")
        if region.args:
            args = ", ".join(f"%{v.id}: {v.type}" for v in region.args)
            lines.append(f"{indent}^({args}):")
        lines.extend(_format_op(inner, depth + 1) for inner in region.ops)
    lines.append(f"{indent}}}")
    return "\n".join(lines)
