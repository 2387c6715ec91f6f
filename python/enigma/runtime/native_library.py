"""Finding the native libraries the runtimes load (libenigma_cpu, libEnigmaRuntime).

Each is looked up the same way: an environment variable naming the file, else
`lib/` of the installed package. The package's `__path__` is searched, not this
file's directory: in an editable install the Python sources stay in the source
tree while built files live in site-packages, and `__path__` lists both.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import EnigmaError


def shared_library_name(stem: str) -> str:
    """The file name of the shared library `stem` on this platform.

    >>> shared_library_name("libenigma_cpu")  # 'libenigma_cpu.dylib' on macOS
    'libenigma_cpu.so'
    """
    return f"{stem}.dylib" if sys.platform == "darwin" else f"{stem}.so"


def find_package_library(file_name: str, env_var: str, what: str, how_to_get: str) -> Path:
    """`$env_var` if set (it must name a file), else `lib/<file_name>` of the package.

    `what` names the library in the error when it is missing; `how_to_get` is its hint.

    >>> find_package_library("libenigma_cpu.so", "ENIGMA_CPU_RUNTIME", "the cpu runtime", "...")
    PosixPath('.../enigma/lib/libenigma_cpu.so')
    """
    override = os.environ.get(env_var)
    if override:
        path = Path(override)
        if not path.is_file():
            raise EnigmaError(
                f"{env_var}={override} is not a file",
                hint=f"point it at a built {file_name}, or unset it",
            )
        return path
    package = sys.modules[__name__.partition(".")[0]]
    candidates = [Path(p, "lib", file_name) for p in package.__path__]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise EnigmaError(
            f"{what} ({file_name}) is missing (looked for {', '.join(map(str, candidates))})",
            hint=how_to_get,
        )
    return found
