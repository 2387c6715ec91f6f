"""`MatrixView`: a rank-2 tile of a buffer as the tile helpers see it, strides known at trace time.

The GEMM and copy helpers need, for each operand, the buffer, the element offset of
the tile's origin (a Python int or a traced integer) and, per mode, one extent and
one stride (static Python ints): element (r, c) is ``buf[offset + r * row_stride +
c * col_stride]``. `as_matrix` derives this from a Tensor view whose two modes each
coalesce to a single extent:stride (CuTe layouts such as ``(8, 2):(1, 8)`` merge into
``16:1``), and says why when a layout cannot be described so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import TraceError
from ..language.core import IRValue
from ..language.memory import Buffer


@dataclass(frozen=True)
class MatrixView:
    """Element (r, c) of the tile is ``buffer[offset + r * row_stride + c * col_stride]``."""

    buffer: Buffer
    offset: IRValue | int
    rows: int
    cols: int
    row_stride: int
    col_stride: int

    @property
    def dtype(self):
        return self.buffer.dtype

    def element(self, r, c):
        """The element offset of (r, c); `r` and `c` may be traced (Python ints fold)."""
        return _add(_add(self.offset, _scaled(r, self.row_stride)), _scaled(c, self.col_stride))

    def transposed(self) -> MatrixView:
        """The same elements seen as (c, r)."""
        return MatrixView(self.buffer, self.offset, self.cols, self.rows, self.col_stride,
                          self.row_stride)  # fmt: skip


def _scaled(x, k: int):
    if isinstance(x, int):
        return x * k
    return x if k == 1 else x * k


def _add(a, b):
    if isinstance(a, int) and a == 0:
        return b
    if isinstance(b, int) and b == 0:
        return a
    return a + b


def _single_mode(shape, stride):
    """A mode's (extent, stride) after merging contiguous sub-modes, or None when it has
    several strides (a hierarchical mode that is not one arithmetic progression)."""
    if isinstance(shape, int):
        return shape, (stride if shape != 1 else 0)
    pairs = [_single_mode(s, d) for s, d in zip(shape, stride, strict=True)]
    if any(p is None for p in pairs):
        return None
    pairs = [p for p in pairs if p[0] != 1]
    if not pairs:
        return 1, 0
    extent, step = pairs[0]
    for s, d in pairs[1:]:
        if d != extent * step:
            return None
        extent *= s
    return extent, step


def matrix_of(fn: str, what: str, layout_shape, layout_stride, buffer, offset, loc) -> MatrixView:
    """The MatrixView of a rank-2 layout over `buffer` starting at `offset`."""
    if not isinstance(buffer, Buffer):
        raise TraceError(f"{fn}: {what} is not a view of a device or threadgroup buffer", loc)
    if isinstance(layout_shape, int) or len(layout_shape) != 2:
        raise TraceError(
            f"{fn}: {what} must be a rank-2 tile (rows, cols), not shape {layout_shape!r}",
            loc,
            hint="slice or tile it down to a 2-D view first (local_tile, tensor[(None, None, k)])",
        )
    modes = [_single_mode(s, d) for s, d in zip(layout_shape, layout_stride, strict=True)]
    for k, mode in enumerate(modes):
        if mode is None:
            raise TraceError(
                f"{fn}: mode {k} of {what} (shape {layout_shape!r}, stride {layout_stride!r})"
                " does not have one stride",
                loc,
                hint="give each mode of the tile a single stride, e.g. a row- or column-major"
                " layout",
            )
    (rows, rs), (cols, cs) = modes
    return MatrixView(buffer, offset, rows, cols, rs, cs)
