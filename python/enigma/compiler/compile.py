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

    `vec_width` (0 = auto, 1, 2 or 4) is the widest vector the `Tensor` fragment loads and
    stores of `@enigma.jit` kernels may use (issue 4). Kernels without Tensor fragments
    load exactly the types they name (`a: enigma.float4` loads float4s), so for them it
    changes nothing; it is validated now so that code passing it keeps working.

    >>> ck = enigma.compile(vector_add, dump_ir=True)
    >>> print(ck.metal_source)
    """
    if not hasattr(fn, "trace"):
        raise EnigmaError(
            f"enigma.compile() expects an @enigma.kernel function, got {fn!r}",
            hint="decorate the function with @enigma.kernel",
        )
    if jit_args:
        raise EnigmaError(
            f"kernel `{fn.name}` takes no compile-time arguments; tensors are passed to"
            " @enigma.jit host functions",
            hint="call enigma.compile(kernel) and pass arrays when running it",
        )
    if vec_width not in (0, 1, 2, 4):
        raise EnigmaError(
            f"vec_width must be 0 (auto), 1, 2 or 4, not {vec_width!r}",
            hint="pass vec_width=4 for the widest Tensor loads, or leave it at 0",
        )
    memo_key = (vec_width, emit_only, keep_metal_source, work_dir)
    hit = fn.compiled_cache.get(memo_key)
    if hit is not None and not (dump_ir or dump_mlir):
        return hit
    traced = fn.trace()
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
    if want_metallib:
        metallib_path, metallib_bytes, source_path = build_metallib(
            result["msl"], result["kernel_name"], work_dir, keep_metal_source
        )
    elif keep_metal_source or work_dir:
        source_path = _write_source(result, work_dir)
    compiled = CompiledKernel(
        result,
        kernel_source=lambda: _kernel_source(fn),
        enigma_ir=traced.format_ir,
        metallib_path=metallib_path,
        metallib_bytes=metallib_bytes,
        metal_source_path=source_path,
    )
    fn.compiled_cache[memo_key] = compiled
    return compiled


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
