"""Loading libEnigmaRuntime (swift/EnigmaRuntime) and declaring its C ABI for ctypes.

The library is found at `$ENIGMA_METAL_RUNTIME` (a path, for working from a
source tree) or inside the installed package (`enigma/lib/libEnigmaRuntime.dylib`
on macOS, `.so` elsewhere), which the package build puts there where a Swift
toolchain exists. The ABI is swift/EnigmaRuntime/include/enigma_runtime.h; the
declarations below mirror it one function at a time, and a library whose
`enigma_rt_abi_version()` differs is refused rather than called with the wrong
layouts. Every failing call leaves a message in the calling thread's
`enigma_rt_last_error()`, which `failure` turns into an `EnigmaError` naming the
kernel and the fix.

ctypes releases the GIL around each call, so a dispatch that waits for the GPU
does not stop other Python threads.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
from pathlib import Path

from ...errors import EnigmaError
from ..native_library import find_package_library, shared_library_name

ABI_VERSION = 1

#: `EnigmaRtConstant.dtype` codes of the ABI, by Metal type name.
DTYPE_CODES = {
    "float": 0,
    "half": 1,
    "bfloat": 2,
    "char": 3,
    "short": 4,
    "int": 5,
    "long": 6,
    "uchar": 7,
    "ushort": 8,
    "uint": 9,
    "ulong": 10,
    "bool": 11,
}


class EnigmaRtConstant(ctypes.Structure):
    """One function constant's value: its index, dtype code and bits (low bytes)."""

    _fields_ = [("index", ctypes.c_uint32), ("dtype", ctypes.c_uint32), ("bits", ctypes.c_uint64)]


class EnigmaRtArgument(ctypes.Structure):
    """Argument i binds [[buffer(i)]]: a device buffer, or `length` inline bytes (a Scalar)."""

    _fields_ = [
        ("buffer", ctypes.c_void_p),
        ("bytes", ctypes.c_void_p),
        ("length", ctypes.c_size_t),
    ]


Dims = ctypes.c_uint32 * 3

_V, _P, _S, _STR = None, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p
# name: (argument types, result type), in the order of enigma_runtime.h.
_SIGNATURES = {
    "enigma_rt_abi_version": ([], ctypes.c_uint32),
    "enigma_rt_last_error": ([], _STR),
    "enigma_rt_device_create": ([_STR, _STR], _P),
    "enigma_rt_device_release": ([_P], _V),
    "enigma_rt_device_capabilities": ([_P, _P, _S], ctypes.c_int64),
    "enigma_rt_library_from_bytes": ([_P, _STR, _S], _P),
    "enigma_rt_library_from_file": ([_P, _STR], _P),
    "enigma_rt_library_from_source": ([_P, _STR], _P),
    "enigma_rt_library_release": ([_P], _V),
    "enigma_rt_pipeline_create": (
        [_P, _STR, ctypes.POINTER(EnigmaRtConstant), ctypes.c_uint32],
        _P,
    ),
    "enigma_rt_pipeline_info": ([_P, _P, _S], ctypes.c_int64),
    "enigma_rt_pipeline_release": ([_P], _V),
    "enigma_rt_buffer_create": ([_P, _S], _P),
    "enigma_rt_buffer_wrap": ([_P, _P, _S], _P),
    "enigma_rt_buffer_upload": ([_P, _S, _P, _S], ctypes.c_int32),
    "enigma_rt_buffer_download": ([_P, _S, _P, _S], ctypes.c_int32),
    "enigma_rt_buffer_length": ([_P], _S),
    "enigma_rt_buffer_release": ([_P], _V),
    "enigma_rt_dispatch": (
        [
            _P,
            ctypes.POINTER(EnigmaRtArgument),
            ctypes.c_uint32,
            Dims,
            Dims,
            ctypes.POINTER(ctypes.c_double),
        ],
        ctypes.c_int32,
    ),
}

_HOW_TO_GET = (
    "build it where a Swift toolchain exists (`make build` builds swift/EnigmaRuntime and"
    " installs it into the package), on macOS install a wheel that includes it, or set"
    " ENIGMA_METAL_RUNTIME to a built libEnigmaRuntime"
)


def library_file_name() -> str:
    return shared_library_name("libEnigmaRuntime")


def library_path() -> Path:
    """Where libEnigmaRuntime is: $ENIGMA_METAL_RUNTIME, else `lib/` of the installed package.

    >>> library_path().name
    'libEnigmaRuntime.so'
    """
    return find_package_library(
        library_file_name(), "ENIGMA_METAL_RUNTIME", "the Metal runtime library", _HOW_TO_GET
    )


@functools.cache
def runtime_library() -> ctypes.CDLL:
    """libEnigmaRuntime with its functions declared, loaded once per process."""
    path = library_path()
    try:
        lib = ctypes.CDLL(str(path), mode=os.RTLD_NOW | os.RTLD_LOCAL)
    except OSError as e:
        raise EnigmaError(f"cannot load the Metal runtime {path}: {e}", hint=_HOW_TO_GET) from None
    for name, (argtypes, restype) in _SIGNATURES.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            raise EnigmaError(
                f"the Metal runtime {path} does not export {name}: it was built from other"
                " sources than this Python package",
                hint="rebuild it from this checkout (make build) or unset ENIGMA_METAL_RUNTIME",
            ) from None
        function.argtypes, function.restype = argtypes, restype
    version = lib.enigma_rt_abi_version()
    if version != ABI_VERSION:
        raise EnigmaError(
            f"the Metal runtime {path} speaks C ABI version {version}, this package version"
            f" {ABI_VERSION}",
            hint="rebuild libEnigmaRuntime from this checkout (make build)",
        )
    return lib


def last_error() -> str:
    message = runtime_library().enigma_rt_last_error()
    return message.decode(errors="replace") if message else ""


def failure(what: str, hint: str, error=EnigmaError) -> EnigmaError:
    """The error of a failed call: `what` failed, the library's reason, and the fix."""
    reason = last_error() or "no reason given by libEnigmaRuntime"
    return error(f"{what}: {reason}", hint=hint)


def read_json(function, handle: int, what: str, hint: str) -> dict:
    """The JSON object a `(handle, out, capacity) -> needed length` call writes."""
    capacity = 1024
    for _ in range(2):  # a second call with the length the first said it needs
        out = ctypes.create_string_buffer(capacity)
        needed = function(handle, out, capacity)
        if needed < 0:
            raise failure(what, hint)
        if needed < capacity:
            try:
                return json.loads(out.value.decode())
            except ValueError as e:
                raise EnigmaError(
                    f"{what}: the runtime wrote invalid JSON ({e})", hint=hint
                ) from None
        capacity = needed + 1
    raise EnigmaError(f"{what}: the runtime's answer kept growing", hint=hint)
