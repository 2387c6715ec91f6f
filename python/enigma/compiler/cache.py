"""The compile cache: in memory and on disk, keyed on everything that affects the output.

The key is a sha256 over the traced IR (which already holds the kernel's
names, types, constants and source locations), the compile options and the
version of the C++ core. Entries are written atomically (temp file + rename),
so a failed or concurrent compile never leaves a file that a later run trusts.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .. import __version__

_memory: dict[str, dict] = {}


def cache_root() -> Path:
    """The on-disk cache directory (`$ENIGMA_CACHE_DIR`, default `~/.cache/enigma`)."""
    root = os.environ.get("ENIGMA_CACHE_DIR")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "enigma"


def compile_key(traced_json: str, options: dict) -> str:
    """sha256 of the traced IR, the options and the compiler version."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(json.dumps(options, sort_keys=True).encode())
    h.update(traced_json.encode())
    return h.hexdigest()


def lookup(key: str) -> dict | None:
    """The cached compile result for `key`, from memory or disk, or None."""
    hit = _memory.get(key)
    if hit is not None:
        return hit
    path = cache_root() / "compile" / f"{key}.json"
    try:
        with open(path, encoding="utf-8") as f:
            hit = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(hit, dict) or hit.get("key") != key:
        return None
    _memory[key] = hit
    return hit


def store(key: str, result: dict) -> None:
    """Remember `result` in memory and on disk (best effort: a read-only disk is not an error)."""
    entry = dict(result, key=key)
    _memory[key] = entry
    directory = cache_root() / "compile"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entry, f)
        os.replace(tmp, directory / f"{key}.json")
    except OSError:
        pass
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def clear_memory() -> None:
    """Forget the in-memory entries (tests use it to exercise the disk cache)."""
    _memory.clear()
