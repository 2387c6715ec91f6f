"""NVRTC, in-process: the CUDA C++ that the CUDA emitter writes -> PTX or cubin.

NVRTC comes from the `nvidia-cuda-nvrtc-cu12` wheel and the fp16/bf16 headers
the emitted prelude includes from `nvidia-cuda-runtime-cu12`; both are plain
files, so this works on machines without a GPU or driver (CI compiles every
test kernel's CUDA with it, docs/cuda.md). The library is called through
ctypes, as the cpu device calls libenigma_cpu.

The flags, and why:
  -std=c++17                 the prelude's `if constexpr`
  --device-int128            the prelude's saturating functions compute in 128 bits
  --gpu-architecture=<arch>  sm_XX gives a cubin (and its PTX), compute_XX PTX only
  -I<runtime include>        cuda_fp16.h / cuda_bf16.h
  no --use_fast_math         Enigma's math is precise: IEEE sqrt/div, denormals kept
  --fmad=false               no fused a*b+c unless the kernel says fma, as on Metal
                             and the cpu device (-ffp-contract=off there)

Results are cached on disk under the Enigma cache, keyed on the source, the
options and the NVRTC library file (path, size, mtime), so a warm test run does not recompile.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..cache_dir import cache_root
from ..errors import EnigmaError

_INSTALL_HINT = (
    "install NVRTC and the CUDA headers: pip install nvidia-cuda-nvrtc-cu12"
    " nvidia-cuda-runtime-cu12 (requirements-dev.txt pins them)"
)
_SUCCESS = 0


@dataclass(frozen=True)
class CudaBinary:
    """One NVRTC compile: PTX, the cubin (None for a compute_XX target) and the log."""

    ptx: bytes
    cubin: bytes | None
    log: str


def _package_dir(name: str) -> Path | None:
    try:
        module = __import__(f"nvidia.{name}", fromlist=["_"])
    except ImportError:
        return None
    paths = list(getattr(module, "__path__", []))
    return Path(paths[0]) if paths else None


def _system_cuda_dirs() -> list[Path]:
    """A system CUDA toolkit's roots ($CUDA_HOME, $CUDA_PATH, /usr/local/cuda), where the
    pip wheels are absent (the lent GPU machine has nvcc's toolkit, not the wheels)."""
    roots = [os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH"), "/usr/local/cuda"]
    return [Path(r) for r in roots if r and Path(r).is_dir()]


@functools.cache
def _library_path() -> Path:
    """The libnvrtc that _library() loads (found without loading it)."""
    candidates = []
    # CUDA 12 wheels: nvidia/cuda_nvrtc/lib; CUDA 13 wheels: nvidia/cu13/lib.
    for root in (_package_dir("cuda_nvrtc"), _package_dir("cu13")):
        candidates += sorted((root / "lib").glob("libnvrtc.so*")) if root else []
    for system in _system_cuda_dirs():
        candidates += sorted((system / "lib64").glob("libnvrtc.so*"))
    if not candidates:
        raise EnigmaError("NVRTC (libnvrtc) is not installed", hint=_INSTALL_HINT)
    return candidates[0]


@functools.cache
def _library_fingerprint() -> str:
    """Identifies the NVRTC build for the cache key without loading it (a cache hit then
    costs no dlopen): the resolved library file's path, size and modification time."""
    path = _library_path().resolve()
    st = path.stat()
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


@functools.cache
def _library() -> ctypes.CDLL:
    lib = ctypes.CDLL(str(_library_path()))
    p, i, c = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
    lib.nvrtcGetErrorString.restype = c
    lib.nvrtcGetErrorString.argtypes = [i]
    lib.nvrtcVersion.argtypes = [ctypes.POINTER(i), ctypes.POINTER(i)]
    lib.nvrtcCreateProgram.argtypes = [ctypes.POINTER(p), c, c, i, p, p]
    lib.nvrtcCompileProgram.argtypes = [p, i, ctypes.POINTER(c)]
    lib.nvrtcDestroyProgram.argtypes = [ctypes.POINTER(p)]
    for what in ("ProgramLog", "PTX", "CUBIN"):
        getattr(lib, f"nvrtcGet{what}Size").argtypes = [p, ctypes.POINTER(ctypes.c_size_t)]
        getattr(lib, f"nvrtcGet{what}").argtypes = [p, c]
    return lib


@functools.cache
def include_dir() -> Path:
    """The CUDA headers of the nvidia-cuda-runtime wheel (cuda_fp16.h, ...)."""
    roots = [_package_dir("cuda_runtime"), _package_dir("cu13"), *_system_cuda_dirs()]
    for root in roots:
        if root is not None and (root / "include" / "cuda_fp16.h").is_file():
            return root / "include"
    raise EnigmaError("the CUDA headers (cuda_fp16.h) are not installed", hint=_INSTALL_HINT)


def available() -> bool:
    """Whether NVRTC and the CUDA headers are installed (no GPU needed)."""
    try:
        _library()
        include_dir()
    except EnigmaError:
        return False
    return True


@functools.cache
def version() -> tuple[int, int]:
    """NVRTC's (major, minor) version."""
    major, minor = ctypes.c_int(), ctypes.c_int()
    _library().nvrtcVersion(ctypes.byref(major), ctypes.byref(minor))
    return major.value, minor.value


def _check(status: int, what: str) -> None:
    if status != _SUCCESS:
        message = _library().nvrtcGetErrorString(status).decode()
        raise EnigmaError(f"NVRTC failed to {what}: {message}", hint=_INSTALL_HINT)


def _read(program: ctypes.c_void_p, what: str) -> bytes:
    lib = _library()
    size = ctypes.c_size_t()
    _check(getattr(lib, f"nvrtcGet{what}Size")(program, ctypes.byref(size)), f"size {what}")
    buffer = ctypes.create_string_buffer(size.value)
    _check(getattr(lib, f"nvrtcGet{what}")(program, buffer), f"read {what}")
    return buffer.raw[: size.value]


def options(arch: str, defines: dict[str, str] | None = None) -> list[str]:
    """The NVRTC options for `arch` ("sm_90" or "compute_90") and -D `defines`."""
    flags = ["-std=c++17", f"--gpu-architecture={arch}", f"-I{include_dir()}", "--fmad=false"]
    flags.append("--device-int128")
    flags += [f"-D{name}={value}" for name, value in sorted((defines or {}).items())]
    return flags


def compile_cuda(
    source: str, *, name: str = "kernel.cu", arch: str = "sm_90", defines=None
) -> CudaBinary:
    """Compile CUDA C++ with NVRTC; errors raise EnigmaError with NVRTC's log.

    >>> binary = compile_cuda(compiled.cuda_source, arch="sm_90")  # doctest: +SKIP
    >>> binary.cubin[:4]  # an ELF image                            # doctest: +SKIP
    """
    flags = options(arch, defines)
    key = _cache_key(source, flags)
    cached = _cache_load(key)
    if cached is not None:
        return cached
    lib = _library()
    program = ctypes.c_void_p()
    _check(
        lib.nvrtcCreateProgram(
            ctypes.byref(program), source.encode(), name.encode(), 0, None, None
        ),
        "create a program",
    )
    try:
        encoded = [flag.encode() for flag in flags]
        array = (ctypes.c_char_p * len(encoded))(*encoded)
        status = lib.nvrtcCompileProgram(program, len(encoded), array)
        log = _read(program, "ProgramLog").rstrip(b"\0").decode(errors="replace").strip()
        if status != _SUCCESS:
            raise EnigmaError(
                f"NVRTC could not compile the CUDA of `{name}` for {arch}:\n{log}",
                hint="this is an Enigma bug if the kernel compiles for Metal; report it"
                " with the CUDA source (CompiledKernel.cuda_source)",
            )
        ptx = _read(program, "PTX")
        cubin = _read(program, "CUBIN") if arch.startswith("sm_") else None
    finally:
        lib.nvrtcDestroyProgram(ctypes.byref(program))
    binary = CudaBinary(ptx=ptx, cubin=cubin, log=log)
    _cache_store(key, binary)
    return binary


def _cache_key(source: str, flags: list[str]) -> str:
    h = hashlib.sha256()
    h.update(json.dumps([_library_fingerprint(), flags]).encode())
    h.update(source.encode())
    return h.hexdigest()


def _cache_dir() -> Path:
    return cache_root() / "nvrtc"


def _cache_load(key: str) -> CudaBinary | None:
    path = _cache_dir() / f"{key}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        ptx = (_cache_dir() / f"{key}.ptx").read_bytes()
        cubin_path = _cache_dir() / f"{key}.cubin"
        cubin = cubin_path.read_bytes() if entry["cubin"] else None
    except (OSError, ValueError, KeyError):
        return None
    return CudaBinary(ptx=ptx, cubin=cubin, log=entry["log"])


def _cache_store(key: str, binary: CudaBinary) -> None:
    """Writes the entry's files atomically, the .json last (it marks them complete)."""
    directory = _cache_dir()
    files = {f"{key}.ptx": binary.ptx}
    if binary.cubin is not None:
        files[f"{key}.cubin"] = binary.cubin
    meta = {"log": binary.log, "cubin": binary.cubin is not None}
    files[f"{key}.json"] = json.dumps(meta).encode()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for file_name, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, directory / file_name)
    except OSError:
        pass  # the cache is an optimization: a read-only cache dir only costs time
