"""The compile cache: in memory and on disk, keyed on everything that affects the output.

The key is a sha256 over the traced IR (which already holds the kernel's
names, types, constants and source locations), the compile options and the
version of the C++ core. Entries are written atomically (temp file + rename),
so a failed or concurrent compile never leaves a file that a later run trusts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile

from .. import __version__
from ..cache_dir import cache_root

_memory: dict[str, dict] = {}


@functools.cache
def _core_fingerprint() -> str:
    """Identifies the built C++ core, so a rebuilt compiler never reuses old results."""
    from .. import _core

    st = os.stat(_core.__file__)
    return f"{__version__}:{st.st_size}:{st.st_mtime_ns}"


def compile_key(traced_json: str, options: dict) -> str:
    """sha256 of the traced IR, the options and the identity of the C++ core."""
    h = hashlib.sha256()
    h.update(_core_fingerprint().encode())
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
