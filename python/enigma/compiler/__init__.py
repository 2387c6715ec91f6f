"""The compile driver: traced kernel -> C++ core -> CompiledKernel (SPEC §1)."""

from .compile import compile
from .compiled_kernel import CompiledKernel

__all__ = ["CompiledKernel", "compile"]
