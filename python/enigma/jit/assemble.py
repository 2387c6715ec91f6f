"""Turning the launches recorded from an @enigma.jit function into a `JitProgram`.

Each distinct (kernel, specialization) is compiled once, under a name unique
within the program: the kernel's own name the first time, `name_1`, `name_2`...
for further specializations (or for another kernel of the same name), in launch
order, so the same jit function on the same arguments always gives the same
names and MSL. Compiles go through the compile cache (memory and disk) like any
kernel's, and are remembered on the kernel per (specialization, name, options).

The program's buffers are the jit function's Tensor arguments plus every Tensor
a launch binds, one per `buffer_index` (one dtype each), in `buffer_index` order.
"""

from __future__ import annotations

from .. import ir
from ..compiler.compile import _kernel_source, compile_traced
from ..dtypes import dtype
from ..errors import SourceLocation
from .launch import RecordedLaunch
from .program import JitProgram, ProgramBuffer, ProgramLaunch


def assemble(
    name: str,
    recorded: list[RecordedLaunch],
    arg_tensors: list,
    options: dict,
    *,
    args_loc: SourceLocation | None = None,
    dump_ir: bool = False,
    dump_mlir: bool = False,
    source=None,
) -> JitProgram:
    """The program of `recorded` launches over the buffers of `arg_tensors` and the launches.

    `args_loc` is the `enigma.compile(...)` call, where conflicting arguments are reported.

    >>> assemble("vadd", recorder.launches, [a, b, c], {"vec_width": 0, ...})
    """
    buffers: dict[int, ProgramBuffer] = {}
    for tensor in arg_tensors:
        _bind(buffers, tensor, "the arguments disagree: ", args_loc, argument=True)
    names: dict = {}  # (kernel function, specialization key) -> unique name
    launches = []
    for r in recorded:
        compiled = _compiled(r, names, options, dump_ir, dump_mlir)
        arguments = []
        for param, (kind, value) in zip(compiled.params, r.bound.arguments, strict=True):
            if kind == "scalar":
                arguments.append(("scalar", value))
                continue
            where = f"in the launch of `{r.kernel.name}`, "
            buffer = _bind(buffers, value, where, r.loc, argument=False)
            access = param.get("access", "read_write")
            buffer.reads |= access in ("read", "read_write")
            buffer.writes |= access in ("write", "read_write")
            buffer.alignment = max(buffer.alignment, int(param.get("alignment", 0)))
            arguments.append(("buffer", value.buffer_index))
        launches.append(ProgramLaunch(compiled, r.grid, r.block, arguments, r.loc))
    ordered = [buffers[i] for i in sorted(buffers)]
    return JitProgram(name, launches, ordered, source)


def _bind(buffers: dict, tensor, where: str, loc, argument: bool) -> ProgramBuffer:
    index = tensor.buffer_index
    buffer = buffers.get(index)
    if buffer is None:
        buffer = buffers[index] = ProgramBuffer(index, tensor.name, dtype(tensor.dtype), loc)
    buffer.add(tensor, where, loc, argument)
    return buffer


def _compiled(r: RecordedLaunch, names: dict, options: dict, dump_ir: bool, dump_mlir: bool):
    spec_key = r.bound.specialization.key
    name = names.get((r.kernel, spec_key))
    if name is None:
        taken = set(names.values())
        name, k = r.kernel.name, 0
        while name in taken:
            k += 1
            name = f"{r.kernel.name}_{k}"
        names[(r.kernel, spec_key)] = name
    memo_key = ("jit", spec_key, name, *sorted(options.items()))
    hit = r.kernel.compiled_cache.get(memo_key)
    if hit is not None and not (dump_ir or dump_mlir):
        return hit
    traced = r.traced
    if traced.name != name:
        traced = ir.Kernel(name, traced.loc, traced.params, traced.body)
    compiled = compile_traced(
        traced,
        lambda: _kernel_source(r.kernel),
        dump_ir=dump_ir,
        dump_mlir=dump_mlir,
        keep_metal_source=options["keep_metal_source"],
        work_dir=options["work_dir"],
        emit_only=options["emit_only"],
    )
    r.kernel.compiled_cache[memo_key] = compiled
    return compiled
