"""Element types of Enigma kernels: the twelve Metal scalar types and vectors.

Each dtype is a singleton instance of its own class, so a parameter annotation
may name either (`a: enigma.f32` or `a: enigma.Float32`). The canonical
spelling everywhere below the tracer is the Metal name (`float`, `uint`, ...).
There is no 64-bit float in Metal; asking for one is an `EnigmaError`.
"""

from __future__ import annotations

import numpy as np

from .errors import EnigmaError


class DType:
    """A Metal scalar or vector type.

    >>> enigma.f32.name, enigma.float4.lanes
    ('float', 4)
    """

    name: str = ""  # Metal spelling
    short: str = ""  # Enigma short name (f32, u8, ...)
    kind: str = ""  # "float" | "int" | "uint" | "bool"
    bits: int = 0
    lanes: int = 1
    _scalar: DType | None = None

    def __repr__(self) -> str:
        return f"enigma.{self.short}"

    def __reduce__(self):
        return (dtype, (self.name,))

    @property
    def scalar(self) -> DType:
        """The element type (itself for scalars)."""
        return self._scalar or self

    @property
    def is_float(self) -> bool:
        return self.kind == "float"

    @property
    def is_int(self) -> bool:
        return self.kind in ("int", "uint")

    @property
    def is_signed(self) -> bool:
        return self.kind == "int"

    @property
    def is_unsigned(self) -> bool:
        return self.kind == "uint"

    @property
    def is_bool(self) -> bool:
        return self.kind == "bool"

    @property
    def itemsize(self) -> int:
        """Bytes of one element in a buffer (Metal sizes: bool is 1, vec3 is padded to 4 lanes)."""
        lanes = 4 if self.lanes == 3 else self.lanes
        return max(1, self.bits // 8) * lanes

    @property
    def numpy(self) -> np.dtype:
        """The numpy dtype that holds one lane (bfloat is carried as its uint16 bits)."""
        return np.dtype(_NUMPY[self.scalar.name])


_SCALARS = [
    # class name, short, Metal, kind, bits
    ("Float32", "f32", "float", "float", 32),
    ("Float16", "f16", "half", "float", 16),
    ("BFloat16", "bf16", "bfloat", "float", 16),
    ("Int8", "i8", "char", "int", 8),
    ("Int16", "i16", "short", "int", 16),
    ("Int32", "i32", "int", "int", 32),
    ("Int64", "i64", "long", "int", 64),
    ("UInt8", "u8", "uchar", "uint", 8),
    ("UInt16", "u16", "ushort", "uint", 16),
    ("UInt32", "u32", "uint", "uint", 32),
    ("UInt64", "u64", "ulong", "uint", 64),
    ("Bool", "b1", "bool", "bool", 8),
]
_NUMPY = {
    "float": "float32",
    "half": "float16",
    "bfloat": "uint16",
    "char": "int8",
    "short": "int16",
    "int": "int32",
    "long": "int64",
    "uchar": "uint8",
    "ushort": "uint16",
    "uint": "uint32",
    "ulong": "uint64",
    "bool": "bool",
}

_BY_NAME: dict[str, DType] = {}
_CLASSES: dict[str, type] = {}


def _make(
    cls_name: str, short: str, name: str, kind: str, bits: int, lanes: int = 1, scalar=None
) -> DType:
    attrs = {"name": name, "short": short, "kind": kind, "bits": bits, "lanes": lanes}
    cls = type(cls_name, (DType,), dict(attrs, _scalar=scalar, __module__=__name__))
    inst = cls()
    _BY_NAME[name] = inst
    _BY_NAME[short] = inst
    _CLASSES[cls_name] = cls
    return inst


for _cls, _short, _name, _kind, _bits in _SCALARS:
    globals()[_short] = _make(_cls, _short, _name, _kind, _bits)
    for _lanes in (2, 3, 4):
        _vname = f"{_name}{_lanes}"
        globals()[_vname] = _make(
            f"{_cls}x{_lanes}", f"{_short}x{_lanes}", _vname, _kind, _bits, _lanes, _BY_NAME[_name]
        )
globals().update(_CLASSES)

SCALAR_DTYPES: tuple[DType, ...] = tuple(_BY_NAME[s[2]] for s in _SCALARS)

_FLOAT64_NAMES = {"double", "f64", "float64", "Float64"}


def dtype(spec, *, what: str = "dtype") -> DType:
    """Resolve a dtype given as a singleton, its class, a Metal/short name or a numpy dtype.

    >>> dtype("float") is enigma.f32
    True
    """
    if isinstance(spec, DType):
        return spec
    if isinstance(spec, type) and issubclass(spec, DType) and spec is not DType:
        return _BY_NAME[spec.name]
    if spec is float or spec is np.float64:
        spec = "double"
    if isinstance(spec, (np.dtype, type)) and not isinstance(spec, str):
        try:
            spec = np.dtype(spec).name
        except TypeError:
            spec = getattr(spec, "__name__", repr(spec))
    if isinstance(spec, str):
        if spec in _FLOAT64_NAMES:
            raise EnigmaError(
                f"{what} `{spec}` is a 64-bit float, which Metal does not have",
                hint="use enigma.f32 (or f16/bf16)",
            )
        found = _BY_NAME.get(spec) or _BY_NAME.get(_NUMPY_TO_METAL.get(spec, ""))
        if found is not None:
            return found
    raise EnigmaError(
        f"{what} {spec!r} is not an Enigma type",
        hint="use one of "
        + ", ".join(f"enigma.{d.short}" for d in SCALAR_DTYPES)
        + " or a vector type such as enigma.float4",
    )


_NUMPY_TO_METAL = {v: k for k, v in _NUMPY.items() if k != "bfloat"}


def vector(elem: DType, lanes: int) -> DType:
    """The vector type of `lanes` (2-4) elements of `elem`, or `elem` itself when lanes == 1."""
    if lanes == 1:
        return elem.scalar
    if lanes not in (2, 3, 4):
        raise EnigmaError(f"vectors have 2, 3 or 4 lanes, not {lanes}")
    return _BY_NAME[f"{elem.scalar.name}{lanes}"]


class Scalar:
    """Marks a kernel parameter passed by value (a Metal `constant T&`).

    >>> @enigma.kernel
    ... def saxpy(x: enigma.f32, y: enigma.f32, alpha: enigma.Scalar(enigma.f32)): ...
    """

    def __init__(self, dt):
        self.dtype = dtype(dt, what="Scalar type")

    def __repr__(self) -> str:
        return f"enigma.Scalar({self.dtype!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Scalar) and other.dtype is self.dtype

    def __hash__(self) -> int:
        return hash(("Scalar", self.dtype.name))


def float_to_bfloat16_bits(values) -> np.ndarray:
    """Round float32 values to bfloat16 (nearest-even) and return their uint16 bits."""
    f = np.ascontiguousarray(values, dtype=np.float32)
    u = f.view(np.uint32).astype(np.uint64)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    nan = np.isnan(f)
    out = rounded.astype(np.uint16)
    out[nan] = ((u[nan] >> 16) | 0x40).astype(np.uint16)
    return out


def bfloat16_bits_to_float(bits) -> np.ndarray:
    """Widen uint16 bfloat16 bits to float32 values."""
    b = np.ascontiguousarray(bits, dtype=np.uint16)
    return (b.astype(np.uint32) << 16).view(np.float32)
