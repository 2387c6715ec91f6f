"""How the tile helpers read their operands: Tensor views, fragments and MatrixViews.

`matrix_view` turns a rank-2 operand into the `MatrixView` (buffer, offset, static
strides) that the simdgroup-matrix GEMM loads from; `tensor_view` makes the Tensor
view of a threadgroup stage; `element_index` is the buffer index of one element of a
view (its base offset, computed once where the view was made, plus a static
constant). `scalar_gemm` is the per-thread GEMM over Tensor views and a fragment.
"""

from __future__ import annotations

from ..errors import TraceError
from ..language.control_flow import for_range
from ..language.memory import Buffer
from ..language.ops import metal_cast
from ..language.range_loop import range_constexpr
from ..language.registers import RegisterTensor
from ..layout import int_tuple as it
from ..layout.layout import Layout
from ..tensor.offset import Offset
from ..tensor.tensor import Tensor, make_tensor
from .matrix import MatrixView, matrix_of

# Up to this many multiply-adds the K loop of the scalar GEMM is unrolled; beyond, it is a
# kernel loop (fragment elements live in registers, which keep their values across it).
_UNROLL_SCALAR_FMAS = 256


def matrix_view(fn: str, what: str, x, loc) -> MatrixView:
    """`x` (a MatrixView or a rank-2 Tensor view of a buffer) as a MatrixView."""
    if isinstance(x, MatrixView):
        return x
    if isinstance(x, Tensor) and isinstance(x.memory, Buffer) and not isinstance(x.layout, Layout):
        raise TraceError(
            f"{fn}: {what} has the swizzled layout {x.layout}; simdgroup matrices load"
            " plain strided tiles",
            loc,
            hint="give the tile a plain Layout, or use the scalar gemm path",
        )
    if isinstance(x, Tensor) and isinstance(x.memory, Buffer):
        return matrix_of(fn, what, x.shape, x.stride, x.memory, x.offset.index(), loc)
    raise TraceError(
        f"{fn}: {what} must be a rank-2 Tensor view of a device or threadgroup buffer, not {x!r}",
        loc,
        hint="view the buffer as a tile, e.g. enigma.make_tensor(buf, enigma.Layout((m, k),"
        " (k, 1)))",
    )


def tile_layout(fn: str, x, loc) -> Layout:
    """A tile's layout: a Layout, or a shape made compact column-major (CuTe's default)."""
    if isinstance(x, Layout):
        return x
    try:
        return Layout(x)
    except Exception:  # the algebra's own error names the bad entry; say what fn expects
        raise TraceError(
            f"{fn}: a tile is described by an enigma.Layout or a shape, not {x!r}",
            loc,
            hint="e.g. enigma.Layout((32, 16), (16, 1)) for a row-major 32 x 16 tile",
        ) from None


def tensor_view(buffer: Buffer, layout: Layout, offset) -> Tensor:
    """The Tensor view of `buffer` through `layout` starting at element `offset` (a Python
    int or a traced integer, whose power-of-two divisor is tracked for alignment)."""
    t = make_tensor(buffer, layout)
    base = Offset(offset) if isinstance(offset, int) else Offset.of(offset)
    return t.view(layout, base)


def bound_tensor(fn: str, what: str, x, loc) -> Tensor:
    """`x` as a Tensor bound to memory (a buffer view or a register fragment)."""
    if not isinstance(x, Tensor) or x.memory is None:
        raise TraceError(
            f"{fn}: {what} must be a Tensor view of memory inside the kernel, not {x!r}",
            loc,
            hint="make it with enigma.make_tensor(buf, layout), a slice of a Tensor argument,"
            " or enigma.make_fragment(shape, dtype)",
        )
    return x


def element_index(t: Tensor, k: int):
    """The memory index of element `k` (index order) of the bound view `t` (through its
    swizzle, for a swizzled view)."""
    return t.element_offset(k).index()


def _rank2(fn: str, what: str, t: Tensor, loc) -> tuple[int, int]:
    shape = t.shape
    if isinstance(shape, int) or len(shape) != 2:
        raise TraceError(
            f"{fn}: {what} must have rank 2, not shape {shape!r}", loc,
            hint="slice or tile it down to a 2-D view",
        )  # fmt: skip
    return it.product(shape[0]), it.product(shape[1])


def scalar_gemm(frag, a, b, loc):
    """`frag[m, n] += sum_k a[m, k] * b[n, k]` for a per-thread fragment `frag`."""
    fn = "gemm"
    if not isinstance(frag, Tensor) or not isinstance(frag.memory, RegisterTensor):
        raise TraceError(
            f"gemm accumulates into a per-thread fragment (scalar path) or a simdgroup"
            f" accumulator (simdgroup path), not {frag!r}",
            loc,
            hint="make one with enigma.make_fragment((m, n), enigma.f32) or"
            " enigma.tile.simdgroup_accumulator(m, n)",
        )
    a = bound_tensor(fn, "A", a, loc)
    b = bound_tensor(fn, "B", b, loc)
    m, n = _rank2(fn, "the fragment", frag, loc)
    am, k = _rank2(fn, "A", a, loc)
    bn, bk = _rank2(fn, "B", b, loc)
    if (am, bn, bk) != (m, n, k):
        raise TraceError(
            f"gemm: the fragment is {m} x {n}, A is {am} x {k} and B is {bn} x {bk}; they must"
            " be M x N, M x K and N x K",
            loc,
            hint="B follows CuTe's convention (N x K); view a K x N array with strides (1, N)",
        )

    # The fragment's elements are registers at static coordinates; A and B may be indexed
    # with the traced k of a kernel loop (their views add it to their base offsets).
    # Products are computed in the fragment's type (half inputs, float accumulation).
    def operand(t: Tensor, r, kk):
        x = t[r, kk]
        return x if t.dtype is frag.dtype else metal_cast(x, frag.dtype)

    def step(kk):
        av = [operand(a, i, kk) for i in range_constexpr(m)]
        bv = [operand(b, j, kk) for j in range_constexpr(n)]
        for i in range_constexpr(m):
            for j in range_constexpr(n):
                frag[i, j] = frag[i, j] + av[i] * bv[j]

    if m * n * k <= _UNROLL_SCALAR_FMAS:
        for kk in range_constexpr(k):
            step(kk)
    else:
        with for_range(0, k) as kk:
            step(kk)
    return frag
