"""`enigma.compile`: trace a kernel, run the C++ core, build the device artifacts.

Stages (each can be dumped): trace -> Enigma IR (`dump_ir`) -> C++ core:
MLIR + passes (`dump_mlir`) -> MSL (`keep_metal_source`, `export_metal`) ->
metallib on macOS. Results are cached in memory and on disk (cache.py).
"""

from __future__ import annotations

import inspect
from pathlib import Path

from ..errors import EnigmaError
from . import cache
from .compiled_kernel import CompiledKernel
from .metal_toolchain import build_metallib, metal_toolchain_available


def _core():
    try:
        from .. import _core
    except ImportError as e:  # pragma: no cover - only when the build is missing
        raise EnigmaError(
            f"Enigma's C++ core (enigma._core) is not built: {e}",
            hint="run `make build` (or `pip install --no-build-isolation -e .`) in the repository",
        ) from None
    return _core


def _kernel_source(fn) -> str:
    try:
        return inspect.getsource(getattr(fn, "fn", fn))
    except (OSError, TypeError):
        return ""


def compile(
    fn,
    *jit_args,
    vec_width: int = 0,
    dump_ir: bool = False,
    dump_mlir: bool = False,
    keep_metal_source: bool = False,
    work_dir: str | None = None,
    emit_only: bool | None = None,
) -> CompiledKernel:
    """Compile an `@enigma.kernel` to MSL (and a metallib where the Metal toolchain exists).

    `fn` may also be an `@enigma.jit` function: it runs on the host with `jit_args`
    (Tensors, numpy arrays, host values) and the kernels it launches make the result
    (docs/jit.md).

    `vec_width` (0 = auto, 1, 2 or 4) is the widest vector the `Tensor` fragment loads and
    stores may use (docs/tensors.md). Kernels without Tensor fragments load exactly the
    types they name (`a: enigma.float4` loads float4s), so for them it changes nothing.

    >>> ck = enigma.compile(vector_add, dump_ir=True)
    >>> print(ck.metal_source)
    """
    from ..jit.jit_function import JitFunction

    if isinstance(fn, JitFunction):
        _check_vec_width(vec_width)
        options = dict(vec_width=vec_width, keep_metal_source=keep_metal_source)
        options.update(work_dir=work_dir, emit_only=emit_only)
        return fn.compile_program(jit_args, options, dump_ir=dump_ir, dump_mlir=dump_mlir)
    if not hasattr(fn, "trace"):
        raise EnigmaError(
            f"enigma.compile() expects an @enigma.kernel or @enigma.jit function, got {fn!r}",
            hint="decorate the function with @enigma.kernel (or @enigma.jit for a host"
            " function that launches kernels)",
        )
    if jit_args:
        raise EnigmaError(
            f"kernel `{fn.name}` takes no compile-time arguments; tensors are passed to"
            " @enigma.jit host functions",
            hint="call enigma.compile(kernel) and pass arrays when running it",
        )
    _check_vec_width(vec_width)
    memo_key = (vec_width, emit_only, keep_metal_source, work_dir)
    hit = fn.compiled_cache.get(memo_key)
    if hit is not None and not (dump_ir or dump_mlir):
        return hit
    compiled = compile_traced(
        fn.trace(vec_width=vec_width),
        lambda: _kernel_source(fn),
        dump_ir=dump_ir,
        dump_mlir=dump_mlir,
        keep_metal_source=keep_metal_source,
        work_dir=work_dir,
        emit_only=emit_only,
    )
    fn.compiled_cache[memo_key] = compiled
    return compiled


def _check_vec_width(vec_width) -> None:
    if vec_width not in (0, 1, 2, 4):
        raise EnigmaError(
            f"vec_width must be 0 (auto), 1, 2 or 4, not {vec_width!r}",
            hint="pass vec_width=4 for the widest Tensor loads, or leave it at 0",
        )


def compile_traced(
    traced,
    kernel_source,
    *,
    dump_ir: bool = False,
    dump_mlir: bool = False,
    keep_metal_source: bool = False,
    work_dir: str | None = None,
    emit_only: bool | None = None,
) -> CompiledKernel:
    """Compile a traced `ir.Kernel` (served from the compile cache when seen before).

    `kernel_source` is the Python source, or a function returning it on first access.

    >>> ck = compile_traced(vector_add.trace(), "")
    """
    if dump_ir:
        print(traced.format_ir())
    traced_json = traced.to_json()
    options = {"emit_locations": True}
    key = cache.compile_key(traced_json, options)
    result = cache.lookup(key)
    if result is None:
        result = _core().compile_kernel(traced_json, emit_locations=True)
        cache.store(key, result)
    if dump_mlir:
        print(result["mlir"])

    want_metallib = metal_toolchain_available() if emit_only is None else not emit_only
    metallib_path = metallib_bytes = source_path = None
    # The MSL is kept before the toolchain runs, so it is there to read if that fails.
    if keep_metal_source or (work_dir and not want_metallib):
        source_path = _write_source(result, work_dir)
    if want_metallib:
        metallib_path, metallib_bytes = build_metallib(
            result["msl"],
            result["kernel_name"],
            work_dir=work_dir,
            kept_source=source_path,
            trace_json=traced_json,
        )
    return CompiledKernel(
        result,
        kernel_source=kernel_source,
        enigma_ir=traced.format_ir,
        cuda_source=lambda: compile_cuda_source(traced_json),
        metallib_path=metallib_path,
        metallib_bytes=metallib_bytes,
        metal_source_path=source_path,
    )


def compile_cuda_source(traced_json: str) -> str:
    """The CUDA C++ of a traced kernel (docs/cuda.md), through the same compile cache.

    >>> print(compile_cuda_source(vector_add.trace().to_json()))  # doctest: +SKIP
    """
    options = {"emit_locations": True, "target": "cuda"}
    key = cache.compile_key(traced_json, options)
    result = cache.lookup(key)
    if result is None:
        result = _core().compile_kernel(traced_json, emit_locations=True, target="cuda")
        cache.store(key, result)
    return result["cuda"]


def _write_source(result: dict, work_dir: str | None) -> str:
    directory = Path(work_dir) if work_dir else cache.cache_root() / "msl"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{result['kernel_name']}.metal"
        path.write_text(result["msl"], encoding="utf-8")
    except OSError as e:
        raise EnigmaError(
            f"cannot write the MSL to {directory}: {e.strerror}",
            hint="pass a writable work_dir",
        ) from None
    return str(path)
