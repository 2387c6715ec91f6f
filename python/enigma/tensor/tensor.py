"""`Tensor`: a layout over memory. Element `coord` of a tensor is ``memory[base_offset +
layout(coord)]``.

A Tensor lives twice. On the host (the arguments of ``enigma.compile(jit_fn, *tensors)``
and the values an ``@enigma.jit`` function computes with) it is plain data: a buffer
index, a dtype, a static layout and a static base offset; views made from it are new
host Tensors and `spec_key()` says everything a trace depends on. Inside a kernel
trace, `bind(buffer)` (done at launch for each Tensor argument) or `make_tensor(buffer,
layout)` attaches memory: a device buffer, a threadgroup array, or per-thread registers
(`make_fragment`, fragment.py). Then ``t[coord]`` loads an element, ``t[coord] = v``
stores one, and slicing with `None` keeps modes: ``t[None, 3]`` is column 3's view.
The layout's shape and stride stay static; coordinates may be traced, and their
contribution joins the traced part of the base offset (offset.py), computed once where
the view is made.

The default layout of a `shape` is CuTe's: compact column-major (``Layout(shape)``).
Pass ``layout=enigma.Layout(shape, stride)`` for any other order, e.g. row-major, or a
swizzled layout ``enigma.make_composed_layout(enigma.Swizzle(b, m, s), 0, layout)``
(swizzled.py: the swizzle applies to the whole offset inside it; slices keep it so).

>>> a = enigma.Tensor("a", 0, enigma.f32, shape=(64, 32))   # host: 64x32, column-major
>>> col = a[None, 3]                                        # a view: 64:1 at offset 192
"""

from __future__ import annotations

import numbers

from .. import dtypes as dt
from ..errors import EnigmaError
from ..language.core import traced
from ..language.memory import Buffer
from ..language.registers import RegisterTensor
from ..language.tracing import current_or_none, user_location
from ..layout import int_tuple as it
from ..layout.basis import E
from ..layout.layout import Layout, slice_layout
from ..layout.swizzle import ComposedLayout
from . import swizzled as swz
from .described import LayoutDescribed
from .offset import Offset

ADDRESS_SPACES = ("device", "threadgroup", "thread")


class Tensor(LayoutDescribed):
    """A view of memory through a layout (see the module docstring).

    Attributes: `name`, `buffer_index` (the program buffer of a host Tensor, None for
    threadgroup and register memory), `dtype`, `layout` (a Layout, or a swizzled
    ComposedLayout), `base_offset` (an int, or an `Offset` with a traced part inside a
    kernel), `address_space` ("device", "threadgroup" or "thread"), `shape`, `stride`,
    `size`, `memory` (None on the host; the bound `Buffer` or `RegisterTensor` in a
    kernel), `pre` (a swizzled view's traced offset inside the swizzle, swizzled.py) and
    `padded` (True for a view from a divide that rounded the tensor up to whole tiles:
    its last tiles reach past the tensor, and the kernel masks them, docs/jit.md).
    """

    __slots__ = ("name", "buffer_index", "dtype", "layout", "offset", "address_space", "memory",
                 "pre", "padded")  # fmt: skip
    __array_ufunc__ = None

    def __init__(self, name, buffer_index, dtype, layout=None, base_offset=0,
                 address_space="device", shape=None):  # fmt: skip
        self.name = str(name)
        self.dtype = _dtype(dtype)
        self.buffer_index = buffer_index
        self.layout = _layout(layout, shape)
        if isinstance(base_offset, Offset):
            self.offset = base_offset
        elif isinstance(base_offset, numbers.Integral) and not isinstance(base_offset, bool):
            if base_offset < 0:
                raise _error(
                    f"Tensor `{name}` has a negative base offset {base_offset}",
                    "the base offset counts elements from the start of the buffer",
                )
            self.offset = Offset(int(base_offset))
        else:
            raise _error(
                f"the base offset of Tensor `{name}` must be a Python int, not {base_offset!r}",
                "a traced offset comes from slicing a bound tensor: t[None, i]",
            )
        if address_space not in ADDRESS_SPACES:
            raise _error(
                f"Tensor `{name}` has address space {address_space!r}",
                "use " + ", ".join(f'"{s}"' for s in ADDRESS_SPACES),
            )
        self.address_space = address_space
        self.memory = None
        self.pre = Offset(0)
        self.padded = False

    # --- description ----------------------------------------------------------------------------

    @property
    def base_offset(self):
        """The element offset of coordinate 0: an int, or an `Offset` when partly traced."""
        return self.offset.static if self.offset.is_static else self.offset

    def __repr__(self) -> str:
        where = "" if self.memory is None else f" bound to {self.memory!r}"
        offset = self.offset.static if self.offset.is_static else repr(self.offset)
        return (
            f"Tensor({self.name!r}, {self.dtype.name}, {self.layout}, offset {offset},"
            f" {self.address_space}{where})"
        )

    def spec_key(self) -> tuple:
        """What a kernel traced for this tensor depends on (hashable): dtype, layout, static
        base offset, address space and buffer index.

        >>> enigma.Tensor("a", 0, enigma.f32, shape=8).spec_key()
        ('Tensor', 'float', 'Layout', 8, 1, 0, 'device', 0)
        """
        if not self.offset.is_static:
            raise _error(
                f"Tensor `{self.name}` has a traced base offset and cannot key a compile cache",
                "only host Tensors (arguments of enigma.compile and their views) are launched",
            )
        layout = (type(self.layout).__name__, self.layout.shape, self.layout.stride)
        if swz.is_swizzled(self.layout):  # the swizzle and the offset inside it too
            sw = self.layout.inner
            layout += ((sw.bits, sw.base, sw.shift), self.layout.offset)
        return ("Tensor", self.dtype.name, *layout, self.offset.static, self.address_space,
                self.buffer_index)  # fmt: skip

    def view(self, layout, offset: Offset, pre: Offset | None = None) -> Tensor:
        """A tensor on the same memory with another layout and base offset (and, for a
        swizzled layout, traced pre-swizzle offset `pre`; by default this tensor's)."""
        if isinstance(layout, ComposedLayout):
            swz.check_composed(layout, _error)
        elif not isinstance(layout, Layout):
            raise _error(
                f"the view of Tensor `{self.name}` would have layout {layout!r}; tensor views"
                " take Layouts or swizzled ComposedLayouts",
                "build the view's layout with the layout algebra",
            )
        t = Tensor.__new__(Tensor)
        t.name, t.buffer_index, t.dtype = self.name, self.buffer_index, self.dtype
        t.layout, t.offset, t.address_space = layout, offset, self.address_space
        t.memory, t.padded = self.memory, self.padded
        t.pre = self.pre if pre is None else pre
        return t

    # --- binding memory in a kernel -------------------------------------------------------------

    def bind(self, buffer) -> Tensor:
        """This tensor's view of `buffer` (a kernel's buffer parameter or a threadgroup_alloc),
        whose elements it then loads and stores. Called at launch for each Tensor argument.

        >>> ta = a_host_tensor.bind(a)   # inside a kernel whose parameter `a` got the Tensor
        """
        if not isinstance(buffer, Buffer):
            raise _error(
                f"Tensor `{self.name}` binds a buffer (a kernel parameter or a threadgroup_alloc),"
                f" not {buffer!r}"
            )
        if buffer.dtype is not self.dtype:
            raise _error(
                f"Tensor `{self.name}` holds {self.dtype.name} but buffer `{buffer.name}` holds"
                f" {buffer.dtype.name}",
                f"give the kernel parameter the dtype enigma.{self.dtype.name}",
            )
        space = "device" if buffer.space == "device" else "threadgroup"
        t = self.view(self.layout, self.offset)
        t.memory, t.address_space = buffer, space
        if buffer.size is not None:
            _check_fits(t, buffer.size)
        return t

    # --- elements and slices --------------------------------------------------------------------

    def __getitem__(self, coord):
        """`t[c]`: the element at a full coordinate (or an index); with `None` leaves, the view
        of the modes they keep (CuTe slicing): ``t[None, j]``, ``t[(None, None), bidx]``."""
        coord = _normalize(coord, self.layout.shape, self.name)
        if _has_none(coord):
            return self._slice(coord)
        return self._access().load_element(self.offset_of(coord))

    def __setitem__(self, coord, value) -> None:
        """`t[c] = v`: store one element, converted by MSL's assignment rules."""
        coord = _normalize(coord, self.layout.shape, self.name)
        if _has_none(coord):
            raise _error(
                f"cannot assign to the slice {coord!r} of Tensor `{self.name}`",
                "assign elements one by one, or store a whole fragment: view.store(fragment)",
            )
        self._access().store_element(self.offset_of(coord), value)

    def offset_of(self, coord) -> Offset:
        """The memory offset of the element at `coord` (None leaves count as 0), computed
        from the view's base: for a swizzled view, through the swizzle (swizzled.py)."""
        part = self._coord_offset(coord)
        if swz.is_swizzled(self.layout):
            return swz.element_offset(self, swz.pre_offset(self).plus(part))
        return self.offset.plus(part)

    def element_offset(self, k: int) -> Offset:
        """The memory offset of element `k` (index order) of the view."""
        return self.offset_of(it.idx2crd(k, self.layout.shape))

    def _coord_offset(self, coord) -> Offset:
        """layout(coord) without the swizzle: static leaves add to the static part, traced ones
        to the traced part, each leaf's term being its own."""
        static = it.crd2idx(_replace_leaves(coord, lambda c: traced(c) is None), *self._ss())
        dynamic = it.crd2idx(_replace_leaves(coord, lambda c: traced(c) is not None), *self._ss())
        part = Offset(static)
        if not isinstance(dynamic, numbers.Integral):  # 0 when no leaf is traced
            part = part.plus(Offset.of(dynamic, f"a coordinate of Tensor `{self.name}`"))
        return part

    def _slice(self, coord) -> Tensor:
        """The view of the modes `coord` keeps. A swizzled view keeps the fixed modes' offset
        inside its swizzle: statically in the composed layout, traced in `pre`."""
        part = self._coord_offset(coord)
        if not swz.is_swizzled(self.layout):
            return self.view(slice_layout(coord, self.layout), self.offset.plus(part))
        lay = self.layout
        outer = slice_layout(coord, lay.outer)
        pre = self.pre.plus(Offset(0, part.traced, part.divisor))
        return self.view(ComposedLayout(lay.inner, lay.offset + part.static, outer), self.offset,
                         pre)  # fmt: skip

    def _ss(self):
        return self.layout.shape, self.layout.stride

    def _access(self):
        """The element accessor of the bound memory (fragment.py), or an error on the host."""
        if self.memory is None:
            inside = current_or_none() is not None
            raise _error(
                f"Tensor `{self.name}` is not bound to memory, so its elements cannot be read"
                " or written" + (" here" if inside else " on the host"),
                "pass it to a kernel's buffer parameter (kernel(t).launch(...)), or wrap a"
                " buffer in a kernel: enigma.make_tensor(buf, layout)",
            )
        from .fragment import ElementAccess

        return ElementAccess(self)

    def load(self):
        """Read the whole view into a per-thread fragment of the same shape (vector loads
        where the elements are contiguous and aligned). See fragment.py."""
        from .fragment import load_fragment

        return load_fragment(self)

    def store(self, value) -> None:
        """Write a fragment of the same size (or one value into every element) into the
        view (vector stores where contiguous and aligned). See fragment.py."""
        from .fragment import store_fragment

        store_fragment(self, value)

    def __enigma_value__(self):
        raise _error(
            f"Tensor `{self.name}` is a view of memory, not a value",
            "read an element (t[i, j]) or a fragment (t.load())",
        )


def make_tensor(memory, layout) -> Tensor:
    """A tensor over a buffer parameter or threadgroup array, inside a kernel. `layout` is a
    `Layout` or a shape (compact column-major).

    >>> tile = enigma.make_tensor(enigma.threadgroup_alloc(enigma.f32, 256), (16, 16))
    >>> ta = enigma.make_tensor(a, enigma.Layout((m, n), (n, 1)))   # a row-major matrix
    """
    if isinstance(memory, RegisterTensor):
        raise _error(
            "make_tensor wraps a buffer, not a register tensor",
            "make a register tensor with a layout directly: enigma.make_fragment(layout, dtype)",
        )
    if not isinstance(memory, Buffer):
        raise _error(
            f"make_tensor needs a kernel buffer parameter or a threadgroup_alloc, not {memory!r}",
            "pass the buffer itself: enigma.make_tensor(a, layout)",
        )
    space = "device" if memory.space == "device" else "threadgroup"
    t = Tensor(memory.name, None, memory.dtype, _layout_arg(layout), 0, space)
    return t.bind(memory)


def _dtype(spec) -> dt.DType:
    try:
        t = dt.dtype(spec, what="Tensor dtype")
    except EnigmaError as e:
        raise _error(e.message, e.hint) from None
    if t.lanes != 1:
        raise _error(
            f"Tensor elements are scalars, not `{t.name}`",
            "describe the lanes as a layout mode of a scalar tensor",
        )
    return t


def _layout_arg(layout):
    return layout if isinstance(layout, (Layout, ComposedLayout)) else _layout(None, layout)


def _layout(layout, shape) -> Layout:
    if layout is None:
        if shape is None:
            raise _error("a Tensor needs a layout or a shape", "pass shape=(m, n) or layout=...")
        return Layout(shape)  # compact column-major, as CuTe
    if not isinstance(layout, (Layout, ComposedLayout)):
        raise _error(
            f"a Tensor's layout must be an enigma.Layout, not {layout!r}",
            "build one: enigma.Layout(shape, stride)",
        )
    if isinstance(layout, ComposedLayout):
        swz.check_composed(layout, _error)
    elif any(isinstance(d, E) for d in it.flatten(layout.stride)):
        raise _error(
            f"layout {layout} maps to coordinates, not memory offsets (an identity layout)",
            "give a Tensor a layout with integer strides",
        )
    if shape is not None and Layout(shape).shape != layout.shape:
        raise _error(
            f"Tensor shape {shape!r} differs from its layout's shape {layout.shape}",
            "pass only the layout (its shape is the tensor's)",
        )
    return layout


def _normalize(coord, shape, name: str):
    """`coord` checked against `shape`: its profile (a single index is allowed for any mode),
    leaf types, and static leaves within their mode's bounds."""
    if isinstance(coord, list):
        coord = tuple(coord)
    if isinstance(coord, tuple) and len(coord) == 1 and not isinstance(shape, tuple):
        coord = coord[0]
    _check(coord, shape, name, (coord, shape))
    return coord


def _check(c, s, name: str, whole) -> None:
    """`whole` is (the full coordinate, the tensor's shape), for the messages."""
    if isinstance(c, tuple):
        if not isinstance(s, tuple) or len(c) != len(s):
            modes = len(s) if isinstance(s, tuple) else 1
            raise _error(
                f"coordinate {whole[0]!r} does not match Tensor `{name}` of shape {whole[1]!r}:"
                f" {len(c)} entries for {modes} mode(s) {s!r}",
                "give one entry per mode (None keeps a mode), or a single index",
            )
        for ci, si in zip(c, s, strict=True):
            _check(ci, si, name, whole)
        return
    if c is None or traced(c) is not None:
        return
    if isinstance(c, slice):
        raise _error(
            f"Tensor `{name}` is sliced with None, not ':'",
            f"write t[None, j] for t[:, j] (coordinate {whole[0]!r})",
        )
    if isinstance(c, bool) or not isinstance(c, numbers.Integral):
        raise _error(
            f"coordinate {whole[0]!r} of Tensor `{name}` has the entry {c!r}",
            "entries are Python ints, traced integers or None",
        )
    n = it.product(s)
    if not 0 <= c < n:
        raise _error(
            f"coordinate {whole[0]!r} is out of bounds of Tensor `{name}` of shape"
            f" {whole[1]!r}: {c} is not in 0..{n - 1}",
            "each entry runs from 0 to the size of its mode - 1",
        )


def _has_none(c) -> bool:
    if isinstance(c, tuple):
        return any(_has_none(v) for v in c)
    return c is None


def _replace_leaves(c, keep):
    """`c` with None and the leaves `keep` rejects replaced by 0."""
    if isinstance(c, tuple):
        return tuple(_replace_leaves(v, keep) for v in c)
    return c if c is not None and keep(c) else 0


def _check_fits(t: Tensor, size: int) -> None:
    """A view of a fixed-size array (threadgroup) must stay inside it when static."""
    if not t.offset.is_static or not t.pre.is_static:
        return
    end = t.offset.static + swz.extent(t.layout)
    if end > size:
        raise _error(
            f"Tensor `{t.name}` with layout {t.layout} at offset {t.offset.static} reaches"
            f" element {end - 1}, past the {size} elements of its array",
            f"allocate at least {end} elements, or use a smaller layout",
        )


def _error(message: str, hint: str | None = None) -> EnigmaError:
    return EnigmaError(message, user_location(), hint=hint)
