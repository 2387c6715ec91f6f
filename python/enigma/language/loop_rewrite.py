"""Rewrite the `for ... in enigma.range(...)` loops of a kernel's source into `run_loop` calls.

A traced loop body runs once, yet the Python variables it updates must become
the loop's carried values and, after the loop, be rebound to its results.
CPython offers no portable way to rebind a running function's locals from
outside (frame.f_locals writes are lost before 3.13's PEP 667), and tracing a
body twice to see what changed would run the user's Python side effects twice.
So, at the first trace, the kernel's source is parsed once and each loop whose
iterable is a call of `enigma.range` is turned into

    def _enigma_body_<line>_<n>(i, acc, t):        # the body, unchanged
        ...
        return (acc, t)
    (i, acc, t) = _enigma_rt.run_loop(en.range(...), _enigma_body_<line>_<n>, "i",
                                      ("acc", "t"), (lambda: acc, lambda: t))

where `acc, t` are the names the body binds (range_loop.run_loop decides at
trace time which were bound before the loop and so are carried). The callee is
recognised by resolving its name in the kernel's globals and closure, so
`import enigma as en`, `from enigma import range as erange` and a captured
alias all work; a name the kernel binds locally is not trusted. The new
function is compiled with the original file name and line numbers, and built
with the original globals and closure cells, so errors and tracebacks point at
the user's lines and captured values resolve as before. Functions defined
inside the kernel are rewritten too; helpers defined elsewhere are not (their
enigma.range loops report how to use `enigma.for_range` there). A function none
of whose names can reach enigma.range that way (most kernels: checked on its code
objects, _may_name_range) is used as it is, without reading or parsing its source.
"""

from __future__ import annotations
import __future__

import ast
import builtins
import dis
import inspect
import os
import types
import weakref

from ..errors import SourceLocation, TraceError
from . import range_loop

_RUNTIME = "_enigma_rt"  # the name of range_loop inside the rewritten code
_PREFIX = "_enigma_"
_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag
_rewritten: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # fn -> new fn or None


def rewrite_range_loops(fn: types.FunctionType) -> types.FunctionType:
    """`fn` with its enigma.range loops rewritten (`fn` itself when it has none or when its
    source cannot be read); cached per function."""
    if fn not in _rewritten:
        _rewritten[fn] = _rewrite(fn)
    return _rewritten[fn] or fn


def _rewrite(fn: types.FunctionType) -> types.FunctionType | None:
    code = fn.__code__
    cells = dict(zip(code.co_freevars, fn.__closure__ or (), strict=True))
    if not _may_name_range(fn, cells):
        return None  # no enigma.range loop possible: skip reading and parsing the source
    try:
        lines, first = inspect.getsourcelines(fn)
    except (OSError, TypeError):
        return None
    source = "".join(lines)
    # An indented def (a kernel inside a function) parses under `if 1:`, keeping columns.
    indented = source[:1] in " \t"
    try:
        tree = ast.parse("if 1:\n" + source if indented else source, code.co_filename)
    except SyntaxError:
        return None
    ast.increment_lineno(tree, first - 1 - int(indented))
    fdef = (tree.body[0].body if indented else tree.body)[0]
    if not isinstance(fdef, ast.FunctionDef) or fdef.name != code.co_name:
        return None  # a lambda, or a source that does not match the code

    rewriter = _LoopRewriter(fn, cells)
    fdef = rewriter.visit(fdef)
    if not rewriter.count:
        return None
    fdef.decorator_list = []

    # Compile inside a factory whose parameters are the original free variables, so that
    # the new code's free variables line up with the original closure cells.
    factory = _function("_enigma_factory", [*code.co_freevars, _RUNTIME], [fdef])
    factory.body.append(ast.Return(ast.Name(fdef.name, ast.Load())))
    module = ast.Module([ast.copy_location(factory, fdef)], [])
    ast.fix_missing_locations(module)
    compiled = compile(
        module, code.co_filename, "exec", flags=code.co_flags & _FUTURE_FLAGS, dont_inherit=True
    )
    factory_code = _nested_code(compiled, "_enigma_factory")
    new_code = _nested_code(factory_code, code.co_name)
    cells[_RUNTIME] = types.CellType(range_loop)
    closure = tuple(cells[name] for name in new_code.co_freevars)
    new = types.FunctionType(new_code, fn.__globals__, fn.__name__, fn.__defaults__, closure)
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__qualname__ = fn.__qualname__
    return new


def _may_name_range(fn: types.FunctionType, cells: dict) -> bool:
    """Whether a loop of `fn` can call enigma.range as _LoopRewriter recognises it (a global
    or closure name, then attributes through modules); False is exact, so the source need not
    be parsed. Every name of the code and its nested code is tried as the root, and every
    name as an attribute (then, if that finds enigma.range, again without the names that the
    bytecode only loads as globals, such as a Python `range`). Module dicts are read directly:
    a module __getattr__ or a module subclass answers True (its attributes are unknown)."""
    codes, names = [fn.__code__], set()
    for code in codes:
        names.update(code.co_names, code.co_freevars)
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    if not _reaches_range(fn, cells, names, names):
        return False
    attributes = set()
    for code in codes:
        instructions = list(dis.get_instructions(code))
        global_only = {i.argval for i in instructions if i.opname == "LOAD_GLOBAL"}
        global_only -= {
            i.argval
            for i in instructions
            if i.opname != "LOAD_GLOBAL" and isinstance(i.argval, str)
        }
        attributes.update(set(code.co_names) - global_only)
    return _reaches_range(fn, cells, names, attributes)


def _reaches_range(fn: types.FunctionType, cells: dict, roots: set, attributes: set) -> bool:
    """Whether a name in `roots`, followed by names in `attributes` through modules, is
    enigma.range."""
    frontier, seen = [_resolve(fn, cells, name) for name in roots], set()
    while frontier:
        obj = frontier.pop()
        if obj is range_loop.range:
            return True
        if not isinstance(obj, types.ModuleType) or id(obj) in seen:
            continue
        seen.add(id(obj))
        namespace = vars(obj)
        if type(obj) is not types.ModuleType or "__getattr__" in namespace:
            return True
        frontier += [namespace[name] for name in attributes if name in namespace]
    return False


def _resolve(fn: types.FunctionType, cells: dict, name: str):
    """What a free name of `fn` refers to: its closure cell, else its global, else a builtin."""
    cell = cells.get(name)
    if cell is not None:
        try:
            return cell.cell_contents
        except ValueError:  # a closure variable not assigned yet
            return None
    if name in fn.__globals__:
        return fn.__globals__[name]
    return getattr(builtins, name, None)


def _nested_code(code: types.CodeType, name: str) -> types.CodeType:
    return next(c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == name)


def _arguments(params: list[str]) -> ast.arguments:
    return ast.arguments(
        posonlyargs=[],
        args=[ast.arg(p) for p in params],
        vararg=None,
        kwonlyargs=[],
        kw_defaults=[],
        kwarg=None,
        defaults=[],
    )


def _function(name: str, params: list[str], body: list[ast.stmt]) -> ast.FunctionDef:
    extra = {"type_params": []} if "type_params" in ast.FunctionDef._fields else {}
    return ast.FunctionDef(name, _arguments(params), body, [], None, None, **extra)


def _parameters(args: ast.arguments) -> set[str]:
    every = args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


class _BoundNames(ast.NodeVisitor):
    """The names a block of statements binds in its own scope, in order of appearance
    (nested functions and classes bind only their own name; comprehensions bind only
    their `:=` targets)."""

    def __init__(self):
        self.names: dict[str, None] = {}

    def visit_Name(self, node: ast.Name):
        if isinstance(node.ctx, ast.Store):
            self.names[node.id] = None

    def _definition(self, node):
        self.names[node.name] = None
        for child in node.decorator_list:
            self.visit(child)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _definition

    def visit_Lambda(self, node):
        pass

    def _comprehension(self, node):
        for child in ast.walk(node):
            if isinstance(child, ast.NamedExpr):
                self.visit(child.target)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def _import(self, node):
        for alias in node.names:
            self.names[(alias.asname or alias.name).split(".")[0]] = None

    visit_Import = visit_ImportFrom = _import

    def visit_ExceptHandler(self, node):
        if node.name:
            self.names[node.name] = None
        self.generic_visit(node)


def bound_names(stmts: list[ast.stmt]) -> list[str]:
    visitor = _BoundNames()
    for stmt in stmts:
        visitor.visit(stmt)
    return list(visitor.names)


class _LoopRewriter(ast.NodeTransformer):
    """Turns each enigma.range loop into a body function and a run_loop call (innermost first)."""

    def __init__(self, fn, cells: dict):
        self.fn = fn
        self.cells = cells
        self.scopes: list[set[str]] = []  # names bound locally by each enclosing function
        self.count = 0
        filename = fn.__code__.co_filename
        self.filename = filename if filename.startswith("<") else os.path.abspath(filename)

    def _function_scope(self, node):
        self.scopes.append(_parameters(node.args) | set(bound_names(node.body)))
        self.generic_visit(node)
        self.scopes.pop()
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = _function_scope

    def visit_Lambda(self, node):
        self.scopes.append(_parameters(node.args))
        self.generic_visit(node)
        self.scopes.pop()
        return node

    def visit_For(self, node: ast.For):
        is_loop = self._calls_enigma_range(node.iter)
        self.generic_visit(node)
        return self._transform(node) if is_loop else node

    def _calls_enigma_range(self, expr: ast.expr) -> bool:
        """Whether `expr` is `NAME(.ATTR)*(...)` naming enigma.range through modules."""
        if not isinstance(expr, ast.Call):
            return False
        attrs, root = [], expr.func
        while isinstance(root, ast.Attribute):
            attrs.append(root.attr)
            root = root.value
        if not isinstance(root, ast.Name) or any(root.id in scope for scope in self.scopes):
            return False
        obj = _resolve(self.fn, self.cells, root.id)
        for attr in reversed(attrs):
            if not isinstance(obj, types.ModuleType):
                return False
            obj = getattr(obj, attr, None)
        return obj is range_loop.range

    def _error(self, node: ast.AST, message: str, hint: str) -> TraceError:
        loc = SourceLocation(self.filename, node.lineno, node.col_offset)
        return TraceError(message, loc, hint)

    def _transform(self, node: ast.For) -> list[ast.stmt]:
        if node.orelse:
            raise self._error(
                node,
                "`for ... else` is not supported on an enigma.range loop",
                "move the else block after the loop (the loop has no break to skip it)",
            )
        if not isinstance(node.target, ast.Name):
            raise self._error(
                node.target,
                "the index of an enigma.range loop must be a single name",
                "write `for i in enigma.range(...):`",
            )
        self.count += 1
        index = node.target.id
        body = [_Unsupported().visit(stmt) for stmt in node.body]
        names = [n for n in bound_names(body) if n != index and not n.startswith(_PREFIX)]

        def load(name):
            return ast.Name(name, ast.Load())

        body_name = f"{_PREFIX}body_{node.lineno}_{self.count}"
        body.append(ast.Return(ast.Tuple([load(n) for n in names], ast.Load())))
        fdef = _function(body_name, [index, *names], body)
        getters = [ast.Lambda(_arguments([]), load(n)) for n in names]
        call = ast.Call(
            ast.Attribute(load(_RUNTIME), "run_loop", ast.Load()),
            [
                node.iter,
                load(body_name),
                ast.Constant(index),
                ast.Tuple([ast.Constant(n) for n in names], ast.Load()),
                ast.Tuple(getters, ast.Load()),
            ],
            [],
        )
        # As after a Python loop, the index is rebound (here to a value that says it has none).
        targets = ast.Tuple([ast.Name(n, ast.Store()) for n in [index, *names]], ast.Store())
        stmt = ast.Assign([targets], call)
        return [_at_keyword(fdef, node), _at_keyword(stmt, node)]


def _at_keyword(tree: ast.AST, node: ast.stmt) -> ast.AST:
    """Places the generated nodes of `tree` on the keyword that starts `node` (one line: a
    method call takes its line from the end of its callee, which must not be the loop's end)."""
    for child in ast.walk(tree):
        if "lineno" in child._attributes and getattr(child, "lineno", None) is None:
            child.lineno = child.end_lineno = node.lineno
            child.col_offset = node.col_offset
            child.end_col_offset = node.col_offset + 3
    return tree


class _Unsupported(ast.NodeTransformer):
    """Replaces `break`, `continue` and `return` of a loop body by a call that raises
    range_loop's error at that line when traced (those of nested Python loops and
    functions keep their meaning)."""

    def __init__(self):
        self.nested_loops = 0

    def _fail(self, node: ast.stmt, what: str) -> ast.stmt:
        call = ast.Call(
            ast.Attribute(ast.Name(_RUNTIME, ast.Load()), "unsupported", ast.Load()),
            [ast.Constant(what)],
            [],
        )
        return _at_keyword(ast.Expr(call), node)

    def visit_Break(self, node):
        return node if self.nested_loops else self._fail(node, "break")

    def visit_Continue(self, node):
        return node if self.nested_loops else self._fail(node, "continue")

    def visit_Return(self, node):
        return self._fail(node, "return")

    def _loop(self, node):
        self.nested_loops += 1
        node.body = [self.visit(stmt) for stmt in node.body]
        self.nested_loops -= 1
        node.orelse = [self.visit(stmt) for stmt in node.orelse]  # `else:` belongs outside
        return node

    visit_For = visit_AsyncFor = visit_While = _loop

    def _scope(self, node):
        return node  # a nested function's statements are its own

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _scope
