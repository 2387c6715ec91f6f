"""`@enigma.jit`: host functions that do the layout algebra and launch kernels (SPEC §4).

`jit_function.py` runs the host function under `enigma.compile`, `launch.py`
records `kernel(...).launch(grid=, block=)`, `specialize.py` matches launch
arguments to kernel parameters (Tensor, Constexpr, Scalar), `assemble.py` and
`program.py` turn the launches into a `JitProgram`. docs/jit.md is the guide.
"""

from .jit_function import JitFunction, jit
from .launch import KernelCall
from .program import JitProgram, ProgramLaunch
from .specialize import Constexpr

__all__ = [
    "Constexpr",
    "JitFunction",
    "JitProgram",
    "KernelCall",
    "ProgramLaunch",
    "jit",
]
