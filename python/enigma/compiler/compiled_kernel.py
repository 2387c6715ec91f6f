"""`CompiledKernel`: what `enigma.compile` returns (SPEC §4).

It holds the artifacts of one compile (MSL, MLIR, metallib when built, the
CUDA C++ on first access of `cuda_source`), the kernel's parameter table as
the C++ core computed it, and runs the kernel on a device when called.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import EnigmaError


class CompiledKernel:
    """A compiled kernel: its MSL and metadata, callable to run on a device.

    >>> ck = enigma.compile(vector_add)
    >>> ck(a, b, c, grid=(n, 1, 1), threads=(256, 1, 1), device="cpu")  # writes c in place
    """

    def __init__(
        self,
        result: dict,
        *,
        kernel_source=None,
        enigma_ir=None,
        cuda_source=None,
        metallib_path: str | None = None,
        metallib_bytes: bytes | None = None,
        metal_source_path: str | None = None,
        grid=None,
        block=None,
    ):
        self.kernel_name: str = result["kernel_name"]
        self.metal_source: str = result["msl"]
        self.mlir_source: str = result["mlir"]
        # Rendered on first access: a warm compile should not pay for them.
        self._kernel_source = kernel_source
        self._enigma_ir = enigma_ir
        # The CUDA C++ is emitted on first access (a Metal user never pays for it).
        self._cuda_source = cuda_source
        self.params: list[dict] = list(result["params"])
        self.builtins: list[str] = list(result["builtins"])
        self.uses_barriers: bool = bool(result["uses_barriers"])
        # SIMD-group reductions, shuffles or matrices (the cuda device checks launch shapes).
        self.uses_simdgroups: bool = bool(result.get("uses_simdgroups", False))
        # Threads per threadgroup a launch must have, (n, 1, 1): 2R + 128 for R-row
        # threadgroup matrices; 0 when any shape goes.
        self.required_threads: int = int(result.get("required_threads", 0))
        self.threadgroup_memory_bytes: int = int(result["threadgroup_memory_bytes"])
        # Function constants the kernel reads, {index, name, dtype}, by index; their
        # values are given at launch: constants={index: value}.
        self.function_constants: list[dict] = list(result.get("function_constants", []))
        self.diagnostics: list[dict] = list(result.get("diagnostics", []))
        self.metallib_path = metallib_path
        self.metallib_bytes = metallib_bytes
        self.metal_source_path = metal_source_path
        self.grid = grid
        self.block = block

    @property
    def kernel_source(self) -> str:
        """The Python source of the kernel function ("" when unavailable)."""
        if callable(self._kernel_source):
            self._kernel_source = self._kernel_source()
        return self._kernel_source or ""

    @property
    def enigma_ir(self) -> str:
        """The traced Enigma IR listing (what `dump_ir=True` prints)."""
        if callable(self._enigma_ir):
            self._enigma_ir = self._enigma_ir()
        return self._enigma_ir or ""

    @property
    def cuda_source(self) -> str:
        """The kernel as CUDA C++ for NVRTC (docs/cuda.md), emitted on first access.

        >>> print(enigma.compile(vector_add).cuda_source)  # doctest: +SKIP
        """
        if callable(self._cuda_source):
            self._cuda_source = self._cuda_source()
        if self._cuda_source is None:
            raise EnigmaError(
                f"`{self.kernel_name}` was compiled without its traced IR, so it has no CUDA",
                hint="compile the kernel with enigma.compile(kernel) to get its cuda_source",
            )
        return self._cuda_source

    @property
    def param_names(self) -> list[str]:
        return [p["name"] for p in self.params]

    @property
    def num_params(self) -> int:
        return len(self.params)

    @property
    def scalar_params(self) -> list[str]:
        """Names of the by-value (`Scalar`) parameters."""
        return [p["name"] for p in self.params if p["kind"] == "scalar"]

    @property
    def has_metallib(self) -> bool:
        return self.metallib_bytes is not None

    def export_metal(self, path: str | os.PathLike | None = None) -> str:
        """Write the MSL to `path` (default `./<kernel_name>.metal`) and return the path."""
        target = Path(path) if path is not None else Path(f"{self.kernel_name}.metal")
        if target.is_dir():
            target = target / f"{self.kernel_name}.metal"
        try:
            target.write_text(self.metal_source, encoding="utf-8")
        except OSError as e:
            raise EnigmaError(
                f"cannot write the MSL of `{self.kernel_name}` to {target}: {e.strerror}",
                hint="pass a writable path to export_metal()",
            ) from None
        return str(target)

    def __call__(self, *arrays, grid=None, threads=None, device=None, constants=None):
        """Run the kernel: arrays in parameter order, outputs written in place."""
        from ..runtime import launch

        grid = grid if grid is not None else self.grid
        threads = threads if threads is not None else self.block
        if grid is None or threads is None:
            raise EnigmaError(
                f"running `{self.kernel_name}` needs a grid and a threadgroup size",
                hint="call it as kernel(*arrays, grid=(n, 1, 1), threads=(256, 1, 1))",
            )
        return launch(self, arrays, grid=grid, threads=threads, device=device, constants=constants)

    def __repr__(self) -> str:
        sig = ", ".join(f"{p['name']}: {p['dtype']}" for p in self.params)
        return f"<CompiledKernel {self.kernel_name}({sig})>"
