"""`JitProgram`: the `CompiledKernel` an @enigma.jit function compiles to.

It is the ordered list of the function's launches over one set of buffers.
Each launch holds a compiled kernel (one per distinct specialization, named
uniquely within the program: `scale`, then `scale_1` for a second
specialization), its `grid` (threadgroups) and `block` (threads per
threadgroup) as the launch said, and its arguments: a program buffer
(a Tensor's `buffer_index`) or a Scalar value for each kernel parameter.

The program's parameters are its buffers in `buffer_index` order; running it
(`program(a, b, c, device="cpu")`, `runtime.execute(program, ...)`) binds one
array per buffer and runs the launches in order on them (runtime/program.py).
Each buffer records its extent, the elements its Tensors' layouts can touch
(`base_offset + cosize(layout)`), which the runtime checks before launching.
"""

from __future__ import annotations

from ..compiler.compiled_kernel import CompiledKernel
from ..dtypes import dtype
from ..errors import EnigmaError, SourceLocation


class ProgramLaunch:
    """One launch of a program: `kernel` over `grid` threadgroups of `block` threads.

    ``arguments`` follow ``kernel.params``: ``("buffer", buffer_index)`` or
    ``("scalar", value)``. ``threads`` is the total per dimension (grid * block).
    """

    __slots__ = ("kernel", "grid", "block", "arguments", "loc")

    def __init__(self, kernel: CompiledKernel, grid, block, arguments: list, loc: SourceLocation):
        self.kernel = kernel
        self.grid = grid
        self.block = block
        self.arguments = arguments
        self.loc = loc

    @property
    def threads(self) -> tuple[int, int, int]:
        return tuple(g * b for g, b in zip(self.grid, self.block, strict=True))

    def __repr__(self) -> str:
        return f"<launch {self.kernel.kernel_name} grid={self.grid} block={self.block}>"


class ProgramBuffer:
    """A buffer of a program: the Tensors bound to one `buffer_index`.

    ``declared`` is the extent of the jit function's own Tensor arguments for this
    buffer (0 when none): a view launched later must stay inside it.
    """

    __slots__ = ("buffer_index", "name", "dtype", "reads", "writes", "extent", "declared",
                 "alignment", "loc")  # fmt: skip

    def __init__(self, buffer_index: int, name: str, dtype, loc: SourceLocation | None):
        self.buffer_index = buffer_index
        self.name = name
        self.dtype = dtype
        self.reads = self.writes = False
        self.extent = self.declared = 0  # elements its Tensors can touch
        self.alignment = 0
        self.loc = loc

    def add(self, tensor, where: str, loc: SourceLocation | None, argument: bool) -> None:
        """Bind one more Tensor (a jit `argument`, or one a launch passes) to this buffer."""
        t = dtype(tensor.dtype)
        if t is not self.dtype:
            raise EnigmaError(
                f"{where}Tensor `{tensor.name}` ({t.name}) has buffer_index {self.buffer_index},"
                f" which Tensor `{self.name}` ({self.dtype.name}) already names"
                + (f" (bound at {self.loc.short()})" if self.loc else ""),
                loc,
                hint="a buffer_index names one buffer of one dtype: give the Tensors"
                " different buffer_index values, or the same dtype",
            )
        extent = tensor_extent(tensor)
        if argument:
            self.declared = max(self.declared, extent)
        elif self.declared and extent > self.declared and getattr(tensor, "padded", False):
            # A divide rounded the tensor up to whole tiles (CuTe semantics): the elements
            # past the argument are the kernel's to mask, and the array need only hold the
            # argument's own elements (docs/jit.md, "Partial tiles").
            extent = self.declared
        elif self.declared and extent > self.declared:
            raise EnigmaError(
                f"{where}Tensor `{tensor.name}` ({tensor.layout} at offset {tensor.base_offset})"
                f" reaches element {extent - 1}, past the {self.declared} elements of the"
                f" Tensor argument `{self.name}` it views",
                loc,
                hint="keep views inside the tensor; partial tiles come from dividing it"
                " (tensor_zipped_divide, local_tile), and the kernel masks them with an"
                ' identity tensor (docs/jit.md, "Partial tiles")',
            )
        self.extent = max(self.extent, extent)

    def param(self) -> dict:
        access = "write" if self.writes else "read"
        if self.reads and self.writes:
            access = "read_write"
        return {
            "name": self.name,
            "kind": "buffer",
            "dtype": self.dtype.name,
            "buffer_index": self.buffer_index,
            "access": access,
            "alignment": self.alignment,
        }


def tensor_extent(tensor) -> int:
    """Elements of its buffer a Tensor can touch: base_offset + cosize(layout) (through the
    swizzle for a swizzled layout)."""
    from ..tensor.swizzled import extent  # late: the tensor package builds on the language

    return int(tensor.base_offset) + int(extent(tensor.layout))


class JitProgram(CompiledKernel):
    """What `enigma.compile(jit_fn, *args)` returns: the launches of the jit function.

    With one launch, `kernel_name`, `grid` and `block` are the launch's; with several,
    `kernel_name` is the jit function's and `grid`/`block` are None (each of
    `launches` has its own). `metal_source` holds every kernel.

    >>> prog = enigma.compile(scale_then_add, x, y)
    >>> [l.kernel.kernel_name for l in prog.launches], prog.param_names
    (['scale', 'add'], ['x', 'y'])
    >>> prog(x, y, device="cpu")
    """

    def __init__(self, name: str, launches: list[ProgramLaunch], buffers: list, source=None):
        kernels = distinct_kernels(launches)
        one = len(launches) == 1
        result = {
            "kernel_name": launches[0].kernel.kernel_name if one else name,
            "msl": _joined(kernels, "metal_source", "//"),
            "mlir": _joined(kernels, "mlir_source", "//"),
            "params": [b.param() for b in buffers],
            "builtins": [],
            "uses_barriers": any(k.uses_barriers for k in kernels),
            "uses_simdgroups": any(k.uses_simdgroups for k in kernels),
            "threadgroup_memory_bytes": max(k.threadgroup_memory_bytes for k in kernels),
            "function_constants": _constants(kernels),
            "diagnostics": [d for k in kernels for d in k.diagnostics],
        }
        first = launches[0].kernel
        super().__init__(
            result,
            kernel_source=source,
            enigma_ir=lambda: "\n\n".join(k.enigma_ir for k in kernels),
            metallib_path=first.metallib_path if one else None,
            metallib_bytes=first.metallib_bytes if one else None,
            metal_source_path=first.metal_source_path if one else None,
            grid=launches[0].grid if one else None,
            block=launches[0].block if one else None,
        )
        self.launches = launches
        self.buffers = buffers
        self.extents = [b.extent for b in buffers]

    @property
    def has_metallib(self) -> bool:
        return all(launch.kernel.has_metallib for launch in self.launches)

    def __call__(self, *arrays, grid=None, threads=None, device=None, constants=None):
        """Run every launch in order: one array per program buffer, outputs in place."""
        from ..runtime import launch

        return launch(self, arrays, grid=grid, threads=threads, device=device, constants=constants)

    def __repr__(self) -> str:
        sig = ", ".join(f"{p['name']}: {p['dtype']}" for p in self.params)
        names = ", ".join(launch.kernel.kernel_name for launch in self.launches)
        return f"<JitProgram {self.kernel_name}({sig}): {len(self.launches)} launch(es) {names}>"


def distinct_kernels(launches: list[ProgramLaunch]) -> list[CompiledKernel]:
    """The compiled kernels of `launches`, each once, in first-launch order."""
    seen: dict[int, CompiledKernel] = {}
    for launch in launches:
        seen.setdefault(id(launch.kernel), launch.kernel)
    return list(seen.values())


def _joined(kernels: list[CompiledKernel], attr: str, comment: str) -> str:
    if len(kernels) == 1:
        return getattr(kernels[0], attr)
    parts = [f"{comment} ---- kernel `{k.kernel_name}`\n{getattr(k, attr)}" for k in kernels]
    return "\n".join(parts)


def _constants(kernels: list[CompiledKernel]) -> list[dict]:
    by_index: dict[int, dict] = {}
    for k in kernels:
        for c in k.function_constants:
            by_index.setdefault(c["index"], c)
    return [by_index[i] for i in sorted(by_index)]
