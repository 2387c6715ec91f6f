"""The Metal toolchain step (macOS): MSL -> `xcrun metal` -> .air -> `xcrun metallib` -> .metallib.

`compile()` calls `build_metallib` when a metallib is wanted (`emit_only=False`,
or `None` where `metal_toolchain_available()`). The two tools come from full
Xcode: the Command Line Tools alone have no `metal`, and from Xcode 26 on the
Metal toolchain is a separate component. Without them, `MetalRuntime` still
runs kernels by compiling the MSL in-process (`MTLDevice.makeLibrary(source:)`
inside libEnigmaRuntime), so this step is what produces `.metallib` files, not
a condition for running on the GPU.

Each build runs in a private temporary directory (removed afterwards, also on
failure); only a complete metallib is cached (metallib_cache.py) and copied to
`work_dir`. Compiler errors come back at the user's Python line
(metal_diagnostics.py).
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import EnigmaError
from . import metallib_cache
from .metal_diagnostics import compiler_error, trace_files

# The flags, and why:
#   -std=metal3.2               the MSL the emitter writes: bfloat (3.1), and the
#                               atomic_thread_fence(..., thread_scope_*) that gives
#                               atomics their acquire/release orders (3.2)
#   -mmacosx-version-min=15.0   the first macOS with MSL 3.2, rather than the SDK's
#                               own version, so the metallib loads on macOS 15 too
#   -fno-fast-math              Enigma's math is precise (docs/kernel-language.md):
#                               isnan, infinities and fmin's NaN rule must hold
#   -ffp-contract=off           no fused a*b+c unless the MSL says fma, as on the
#                               cpu device, so both devices round alike
METAL_FLAGS = (
    "-std=metal3.2",
    "-mmacosx-version-min=15.0",
    "-fno-fast-math",
    "-ffp-contract=off",
)

# What Xcode 26's `metal` says when its separately downloaded toolchain is absent.
_MISSING_COMPONENT = "missing Metal Toolchain"
# What a crashing clang-based compiler prints before it exits.
_CRASH_MARKERS = ("PLEASE submit a bug report", "failed due to signal", "Stack dump:")

_INSTALL_HINT = (
    "install full Xcode (App Store) and select it with `sudo xcode-select -s"
    " /Applications/Xcode.app/Contents/Developer`; on Xcode 26 and later also run"
    " `xcodebuild -downloadComponent MetalToolchain`. Without it, compile with"
    " emit_only=True: enigma.MetalRuntime compiles the MSL in-process through"
    " libEnigmaRuntime (the Command Line Tools suffice), and device='cpu' runs it anywhere"
)


@dataclass(frozen=True)
class MetalToolchain:
    """The tools `xcrun` resolved: paths of `xcrun`, `metal` and `metallib`."""

    xcrun: str
    metal: str
    metallib: str


# Probed once per PATH / developer directory: a compile must not pay a subprocess.
_probed: dict[tuple[str, str], MetalToolchain | str] = {}


def find_toolchain() -> MetalToolchain | str:
    """The Metal toolchain, or a sentence saying why it is missing.

    >>> tc = find_toolchain()  # on Linux: "`xcrun` was not found (this is not a Mac)"
    """
    key = (os.environ.get("PATH", ""), os.environ.get("DEVELOPER_DIR", ""))
    found = _probed.get(key)
    if found is None:
        found = _probed[key] = _probe()
    return found


def _probe() -> MetalToolchain | str:
    xcrun = shutil.which("xcrun")
    if xcrun is None:
        where = "install Xcode" if sys.platform == "darwin" else "this is not a Mac"
        return f"`xcrun` was not found ({where})"
    paths = []
    for tool in ("metal", "metallib"):
        found = _run([xcrun, "-sdk", "macosx", "--find", tool])
        if found is None or found.returncode != 0 or not found.stdout.strip():
            said = _first_line(found.stderr if found is not None else "")
            return (
                f"`xcrun` cannot find the `{tool}` tool{f' ({said})' if said else ''}:"
                " the Command Line Tools alone do not include it"
            )
        paths.append(found.stdout.strip())
    return MetalToolchain(xcrun, *paths)


def metal_toolchain_available() -> bool:
    """True where `xcrun` finds the `metal` and `metallib` tools (macOS with Xcode).

    >>> metal_toolchain_available()  # False on Linux
    False
    """
    return isinstance(find_toolchain(), MetalToolchain)


def missing_toolchain_error(reason: str) -> EnigmaError:
    """The error for a metallib asked for where the Metal toolchain is missing."""
    return EnigmaError(
        f"building a .metallib needs the Metal toolchain: {reason}", hint=_INSTALL_HINT
    )


def build_metallib(
    msl: str,
    name: str,
    *,
    work_dir: str | None = None,
    kept_source: str | None = None,
    trace_json: str = "",
) -> tuple[str | None, bytes]:
    """Compile `msl` (kernel `name`) to a metallib; returns (its path, its bytes).

    The path is `<work_dir>/<name>.metallib` when `work_dir` is given, else the
    cache entry (None if the cache is not writable). `kept_source` is where the
    caller kept the MSL (for error messages); `trace_json` the traced IR, whose
    locations turn compiler errors into Python lines.

    >>> path, data = build_metallib(ck.metal_source, ck.kernel_name, work_dir="out")
    """
    toolchain = find_toolchain()
    if isinstance(toolchain, str):
        raise missing_toolchain_error(toolchain)
    key = metallib_cache.metallib_key(msl, METAL_FLAGS, _identity(toolchain))
    data = metallib_cache.lookup(key)
    if data is not None:
        entry = metallib_cache.entry_path(key)
        entry = entry if entry.is_file() else None
    else:
        stale = Path(work_dir, f"{name}.metallib") if work_dir else None
        if stale is not None and stale.is_file():
            stale.unlink()  # a failure below must not leave an old library claiming to be this one
        data = _compile(toolchain, msl, name, kept_source, trace_json)
        entry = metallib_cache.store(key, data)
    if work_dir:
        return str(_place(data, Path(work_dir), name)), data
    return (str(entry) if entry is not None else None), data


@functools.cache
def _identity(toolchain: MetalToolchain) -> str:
    """`metal --version`: part of the cache key, so a new Xcode rebuilds every metallib."""
    run = _run([toolchain.xcrun, "-sdk", "macosx", "metal", "--version"])
    if run is None or _MISSING_COMPONENT in run.stderr:
        raise missing_toolchain_error(_component_reason(run))
    return f"{toolchain.metal}\n{run.stdout}"


def _compile(
    toolchain: MetalToolchain, msl: str, name: str, kept_source: str | None, trace_json: str
) -> bytes:
    with tempfile.TemporaryDirectory(prefix="enigma-metal-") as scratch:
        source = Path(scratch, f"{name}.metal")
        air = Path(scratch, f"{name}.air")
        library = Path(scratch, f"{name}.metallib")
        source.write_text(msl, encoding="utf-8")
        sdk = [toolchain.xcrun, "-sdk", "macosx"]
        compiled = _run([*sdk, "metal", *METAL_FLAGS, "-c", str(source), "-o", str(air)])
        _check(compiled, "metal", name, air)
        if compiled.returncode != 0:
            raise compiler_error(
                name,
                compiled.stderr,
                msl,
                trace_files(trace_json),
                metal_file=str(source),
                kept_source=kept_source,
            )
        linked = _run([*sdk, "metallib", str(air), "-o", str(library)])
        _check(linked, "metallib", name, library)
        if linked.returncode != 0:
            raise EnigmaError(
                f"`xcrun metallib` failed on kernel `{name}` (exit status {linked.returncode}):\n"
                + _tail(linked.stderr, scratch),
                hint="check that the Xcode selected by xcode-select is complete (xcrun"
                " --find metallib); report it if it is",
            )
        return library.read_bytes()


def _check(run: subprocess.CompletedProcess | None, tool: str, name: str, output: Path) -> None:
    """Raise for what is not the compiler's verdict on the MSL: a missing tool, a crash,
    a success that wrote nothing. A plain failure (exit status > 0) is left to the caller."""
    if run is None or _MISSING_COMPONENT in run.stderr:
        raise missing_toolchain_error(_component_reason(run))
    said = run.stderr + run.stdout
    if run.returncode < 0 or any(marker in said for marker in _CRASH_MARKERS):
        how = (
            f"was killed by {signal.Signals(-run.returncode).name}"
            if run.returncode < 0
            else "crashed"
        )
        raise EnigmaError(
            f"the Metal compiler (`xcrun {tool}`) {how} on kernel `{name}`:\n"
            + _tail(said, str(output.parent)),
            hint="this is a bug in Apple's compiler triggered by Enigma's MSL: report it to"
            " Enigma with the MSL (keep_metal_source=True keeps it); device='cpu' runs the"
            " kernel meanwhile",
        )
    if run.returncode == 0 and not (output.is_file() and output.stat().st_size > 0):
        raise EnigmaError(
            f"`xcrun {tool}` reported success on kernel `{name}` but wrote no {output.suffix}",
            hint="check the Xcode installation (xcode-select -p); report it if it looks right",
        )


def _place(data: bytes, work_dir: Path, name: str) -> Path:
    """Write the metallib into `work_dir` whole (temp file + rename)."""
    target = work_dir / f"{name}.metallib"
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=work_dir, prefix=f".{name}-", suffix=".metallib")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as e:
        raise EnigmaError(
            f"cannot write the metallib of `{name}` to {work_dir}: {e.strerror}",
            hint="pass a writable work_dir",
        ) from None
    return target


def _run(cmd: list[str]) -> subprocess.CompletedProcess | None:
    """Run a tool; None when it cannot be started at all."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError:
        return None


def _component_reason(run: subprocess.CompletedProcess | None) -> str:
    if run is None:
        return "`xcrun` could not be run"
    return f"the Metal toolchain component is not installed ({_first_line(run.stderr)})"


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _tail(output: str, scratch: str, lines: int = 20) -> str:
    """The last lines of a tool's output, without the temporary directory's path."""
    shown = output.replace(scratch + os.sep, "").strip().splitlines()[-lines:]
    return "\n".join(f"    {line}" for line in shown or ["(no output)"])
