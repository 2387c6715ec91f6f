"""The metallib cache: `.metallib` bytes in memory and on disk, so `xcrun` runs once per kernel.

The key is a sha256 over the MSL (which the compile cache already derives from
everything that affects the kernel), the Metal compiler flags and the identity
of the Metal toolchain (`metal --version`), so a new Xcode never reuses an old
library. An entry is `<cache>/metallib/<key>.metallib`, written to a temporary
file and renamed into place only after both toolchain steps succeeded: a
failed, interrupted or concurrent build never leaves a file a later run trusts.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ..cache_dir import cache_root

_memory: dict[str, bytes] = {}


def metallib_key(msl: str, flags: tuple[str, ...], toolchain_identity: str) -> str:
    """sha256 of the MSL, the flags and the toolchain's identity.

    >>> len(metallib_key("kernel void k() {}", ("-std=metal3.2",), "Apple metal version 32023"))
    64
    """
    h = hashlib.sha256()
    for part in ("metallib-v1", toolchain_identity, "\0".join(flags), msl):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def entry_path(key: str) -> Path:
    """Where the disk entry of `key` lives (whether or not it exists)."""
    return cache_root() / "metallib" / f"{key}.metallib"


def lookup(key: str) -> bytes | None:
    """The cached metallib for `key`, from memory or disk, or None."""
    hit = _memory.get(key)
    if hit is not None:
        return hit
    try:
        hit = entry_path(key).read_bytes()
    except OSError:
        return None
    if not hit:
        return None
    _memory[key] = hit
    return hit


def store(key: str, data: bytes) -> Path | None:
    """Remember `data`; returns the disk entry, or None when the disk is not writable."""
    _memory[key] = data
    target = entry_path(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".metallib")
    except OSError:
        return None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
        return target
    except OSError:
        return None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def clear_memory() -> None:
    """Forget the in-memory entries (tests use it to exercise the disk cache)."""
    _memory.clear()
