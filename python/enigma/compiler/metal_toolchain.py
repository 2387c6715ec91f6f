"""The Metal toolchain step (macOS): MSL -> `xcrun metal` -> .air -> `xcrun metallib`.

Used by `compile()` when a metallib is wanted. Issue 5 extends it (in-process
compilation through the runtime, error mapping to Python lines).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import EnigmaError

# Enigma's math is precise (NaN and infinity honoured, as on the cpu device): Metal's
# default fast math would not keep isnan or fmin's NaN rule (the MSL also spells
# precise:: where Metal has fast and precise variants).
METAL_FLAGS = ("-fno-fast-math",)


def metal_toolchain_available() -> bool:
    """True on macOS when `xcrun` can find the `metal` compiler."""
    if sys.platform != "darwin" or shutil.which("xcrun") is None:
        return False
    found = subprocess.run(
        ["xcrun", "-sdk", "macosx", "--find", "metal"], capture_output=True, check=False
    )
    return found.returncode == 0


def build_metallib(msl: str, name: str, work_dir: str | None, keep_source: bool):
    """Compile `msl` to a metallib; returns (metallib path or None, bytes, source path or None)."""
    if not metal_toolchain_available():
        raise EnigmaError(
            "building a .metallib needs the Metal toolchain (macOS with Xcode), not found here",
            hint="install Xcode (xcode-select --install gives only part of it), or pass"
            " emit_only=True to get the MSL and run it with device='cpu'",
        )
    scratch = None if work_dir else tempfile.TemporaryDirectory(prefix="enigma-metal-")
    out_dir = Path(work_dir or scratch.name)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        source = out_dir / f"{name}.metal"
        air = out_dir / f"{name}.air"
        lib = out_dir / f"{name}.metallib"
        source.write_text(msl, encoding="utf-8")
        for cmd in (
            ["xcrun", "-sdk", "macosx", "metal", *METAL_FLAGS, "-c", str(source), "-o", str(air)],
            ["xcrun", "-sdk", "macosx", "metallib", str(air), "-o", str(lib)],
        ):
            run = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if run.returncode != 0:
                raise EnigmaError(
                    f"the Metal compiler rejected kernel `{name}`:\n{run.stderr.strip()}",
                    hint="this is a bug in Enigma's MSL if the kernel traced cleanly; report it",
                )
        data = lib.read_bytes()
        air.unlink(missing_ok=True)
        if not keep_source and work_dir:
            source.unlink(missing_ok=True)
        kept = str(source) if keep_source and work_dir else None
        return (str(lib) if work_dir else None), data, kept
    finally:
        if scratch is not None:
            scratch.cleanup()
