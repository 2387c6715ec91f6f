"""The `metal` device: kernels on an Apple GPU through swift/EnigmaRuntime.

The Swift runtime (a later issue) is what runs MSL on a GPU; until it exists,
and on any machine without Metal, constructing a `MetalRuntime` is an
`EnigmaError` that points at the `cpu` device, which runs the very same MSL.
"""

from __future__ import annotations

import sys

from ..errors import EnigmaError
from .base import Runtime


def is_available() -> bool:
    """Whether this process can run kernels on a Metal GPU."""
    return False


class MetalRuntime(Runtime):
    """Runs kernels on the Metal GPU of a Mac.

    >>> rt = enigma.MetalRuntime()  # on Linux: EnigmaError naming enigma.runtime("cpu")
    """

    device = "metal"

    def __init__(self):
        where = (
            "this machine is not a Mac"
            if sys.platform != "darwin"
            else ("the Swift Metal runtime is not part of this build yet")
        )
        raise EnigmaError(
            f"the metal device is not available: {where}",
            hint='run the same kernels on the CPU with enigma.runtime("cpu"), '
            'or pass device="cpu" when calling a compiled kernel',
        )

    def prepare(
        self,
        compiled,
        inputs,
        output_size=None,
        grid=None,
        threads=None,
        *,
        scalars=None,
        output_sizes=None,
        constants=None,
    ):
        raise NotImplementedError  # unreachable: __init__ refuses

    def launch(self, compiled, arrays, grid, threads, constants=None):
        raise NotImplementedError  # unreachable: __init__ refuses

    def prepare_bound(self, kernel, bound, grid, threads, specialization=()):
        raise NotImplementedError  # unreachable: __init__ refuses
