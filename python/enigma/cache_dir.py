"""Where Enigma keeps its on-disk caches (compile results, cpu-device objects).

A module of its own so that the runtime can find the cache without importing
the compiler (and with it the C++ extension).
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """`$ENIGMA_CACHE_DIR`, else `$XDG_CACHE_HOME/enigma`, else `~/.cache/enigma`."""
    root = os.environ.get("ENIGMA_CACHE_DIR")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "enigma"
