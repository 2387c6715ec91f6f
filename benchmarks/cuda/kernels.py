"""The Enigma kernels that benchmarks/cuda/ measures, written for the purpose.

Every kernel is a plain `@enigma.kernel` (no `@enigma.jit` host function), so
the benchmarks call it directly on torch CUDA tensors. Shapes that the code
specialises on (a row's length, the GEMM tile) are Python ints closed over by a
factory (`make_rmsnorm(cols, dtype)`), as examples/decode_attention.py does.
The `-vec` variants load and store 4-lane vectors (float4, bfloat4), which
is how a kernel gets 8- and 16-byte accesses.

Row kernels (RMSNorm, softmax) keep their row slice in registers: each thread
loads `cols / threads` values once (coalesced: value k of thread t is column
t + k * threads), reduces them with `simd_*` plus one threadgroup round, and
writes from registers, so the row crosses DRAM once each way.
"""

from __future__ import annotations

import os
import sys

import enigma
from enigma import Scalar, f32, u32

_EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")
if _EXAMPLES not in sys.path:
    sys.path.insert(0, _EXAMPLES)

from softmax import block_reduce  # noqa: E402  (the examples' threadgroup reduction)

SIMD = 32


def _dtype(name: str):
    return {"f32": enigma.f32, "bf16": enigma.bf16, "f16": enigma.f16}[name]


@enigma.kernel
def vector_add(a: f32, b: f32, c: f32):
    """c = a + b, one element per thread (grid = n)."""
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


VECTOR_ADD_ILP = 4  # elements per thread of vector_add_ilp


@enigma.kernel
def vector_add_ilp(a: f32, b: f32, c: f32, quarter: Scalar(u32)):
    """c = a + b, VECTOR_ADD_ILP elements per thread, `quarter` apart (grid = n / 4):
    every load of a warp stays coalesced and each thread has 4 loads in flight."""
    i = enigma.thread_position_in_grid
    values = enigma.register_tensor((VECTOR_ADD_ILP,), f32, 0.0)
    for k in enigma.range_constexpr(VECTOR_ADD_ILP):
        values[k] = a[i + k * quarter] + b[i + k * quarter]
    for k in enigma.range_constexpr(VECTOR_ADD_ILP):
        c[i + k * quarter] = values[k]


@enigma.kernel
def vector_add_float4(a: enigma.float4, b: enigma.float4, c: enigma.float4):
    """c = a + b on float4 elements (grid = n / 4): one 16-byte access per operand."""
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


def _row_start(row_length: int):
    """(this thread's index in its row's threadgroup, the index of its first element):
    threadgroup r owns row r, whose elements start at r * row_length."""
    tid = enigma.thread_index_in_threadgroup()
    return tid, enigma.threadgroup_position_in_grid("x") * row_length + tid


def row_threads(cols: int) -> int:
    """Threads per row: 16 values per thread where the row allows, 32..1024 threads."""
    threads = max(SIMD, min(1024, cols // 16))
    if cols % threads:
        raise ValueError(f"cols={cols} must be a multiple of {threads}")
    return threads


def make_rmsnorm(cols: int, dtype: str = "f32"):
    """RMSNorm of rows of `cols` values: y = x / sqrt(mean(x^2) + eps) * w (x, w, y of
    `dtype`, f32 arithmetic); one threadgroup of row_threads(cols) per row."""
    threads = row_threads(cols)
    per_thread, simdgroups, elem = cols // threads, threads // SIMD, _dtype(dtype)

    @enigma.kernel
    def rmsnorm(x: elem, w: elem, y: elem, eps: Scalar(f32)):
        tid, base = _row_start(cols)
        partials = enigma.threadgroup_alloc(f32, simdgroups)
        values = enigma.register_tensor((per_thread,), f32, 0.0)
        squares = 0.0
        for k in enigma.range_constexpr(per_thread):
            values[k] = enigma.metal_cast(x[base + k * threads], f32)
            squares = squares + values[k] * values[k]
        total = block_reduce(squares, enigma.simd_sum, lambda p, q: p + q, partials, simdgroups)
        scale = enigma.rsqrt(total / cols + eps)
        for k in enigma.range_constexpr(per_thread):
            weight = enigma.metal_cast(w[tid + k * threads], f32)
            y[base + k * threads] = enigma.metal_cast(values[k] * scale * weight, elem)

    return rmsnorm


def make_softmax(cols: int):
    """Softmax of f32 rows of `cols` values, one threadgroup of row_threads(cols) per row."""
    threads = row_threads(cols)
    per_thread, simdgroups = cols // threads, threads // SIMD

    @enigma.kernel
    def softmax(x: f32, y: f32):
        _, base = _row_start(cols)
        max_partials = enigma.threadgroup_alloc(f32, simdgroups)
        sum_partials = enigma.threadgroup_alloc(f32, simdgroups)
        values = enigma.register_tensor((per_thread,), f32, 0.0)
        m = -float("inf")
        for k in enigma.range_constexpr(per_thread):
            values[k] = x[base + k * threads]
            m = enigma.fmax(m, values[k])
        m = block_reduce(m, enigma.simd_max, enigma.fmax, max_partials, simdgroups)
        total = 0.0
        for k in enigma.range_constexpr(per_thread):
            values[k] = enigma.exp(values[k] - m)
            total = total + values[k]
        total = block_reduce(total, enigma.simd_sum, lambda p, q: p + q, sum_partials, simdgroups)
        inv = 1.0 / total
        for k in enigma.range_constexpr(per_thread):
            y[base + k * threads] = values[k] * inv

    return softmax


VEC = 4  # lanes of the vector elements the -vec row kernels load and store


def _vector(dtype: str):
    return {"f32": enigma.float4, "bf16": enigma.bfloat4, "f16": enigma.half4}[dtype]


def vec_row_threads(cols: int, per_thread: int = 4) -> int:
    """Threads per row of the -vec kernels: `per_thread` vectors per thread, 32..1024."""
    threads = max(SIMD, min(1024, cols // (VEC * per_thread)))
    if cols % (VEC * threads) or cols // (VEC * threads) != per_thread:
        raise ValueError(f"cols={cols} is not {per_thread} vectors of {VEC} per thread")
    return threads


def make_rmsnorm_vec(cols: int, dtype: str = "f32", per_thread: int = 4):
    """make_rmsnorm with each access a 4-lane vector (float4: 16 bytes, bfloat4: 8 bytes),
    `per_thread` of them per thread: vector k of thread t is vector t + k * threads of
    the row, so a warp's access stays contiguous; the buffers are of vectors, cols / 4
    per row (torch tensors of the scalar dtype are taken as they are)."""
    threads = vec_row_threads(cols, per_thread)
    vectors, simdgroups, elem = cols // VEC, threads // SIMD, _vector(dtype)

    @enigma.kernel
    def rmsnorm_vec(x: elem, w: elem, y: elem, eps: Scalar(f32)):
        tid, base = _row_start(vectors)
        partials = enigma.threadgroup_alloc(f32, simdgroups)
        values, squares = [], 0.0
        for k in range(per_thread):
            values.append(enigma.metal_cast(x[base + k * threads], enigma.float4))
            squares = squares + enigma.dot(values[k], values[k])
        total = block_reduce(squares, enigma.simd_sum, lambda p, q: p + q, partials, simdgroups)
        scale = enigma.rsqrt(total / cols + eps)
        for k in range(per_thread):
            weight = enigma.metal_cast(w[tid + k * threads], enigma.float4)
            y[base + k * threads] = enigma.metal_cast(values[k] * scale * weight, elem)

    return rmsnorm_vec


def make_softmax_vec(cols: int, per_thread: int = 4):
    """make_softmax on float4 vectors (as make_rmsnorm_vec)."""
    threads = vec_row_threads(cols, per_thread)
    vectors, simdgroups = cols // VEC, threads // SIMD

    @enigma.kernel
    def softmax_vec(x: enigma.float4, y: enigma.float4):
        _, base = _row_start(vectors)
        max_partials = enigma.threadgroup_alloc(f32, simdgroups)
        sum_partials = enigma.threadgroup_alloc(f32, simdgroups)
        values, m = [], -float("inf")
        for k in range(per_thread):
            values.append(x[base + k * threads])
            v = values[k]
            m = enigma.fmax(m, enigma.fmax(enigma.fmax(v.x, v.y), enigma.fmax(v.z, v.w)))
        m = block_reduce(m, enigma.simd_max, enigma.fmax, max_partials, simdgroups)
        total = 0.0
        for k in range(per_thread):
            values[k] = enigma.exp(values[k] - m)
            v = values[k]
            total = total + ((v.x + v.y) + (v.z + v.w))
        total = block_reduce(total, enigma.simd_sum, lambda p, q: p + q, sum_partials, simdgroups)
        inv = 1.0 / total
        for k in range(per_thread):
            y[base + k * threads] = values[k] * inv

    return softmax_vec


GEMM_TILE = 64  # BM = BN: the output tile of one threadgroup
GEMM_BK = 16  # the K slice staged in threadgroup memory per step
GEMM_SIDE = 16  # 16 x 16 threads, each computing a 4 x 4 block of the tile
GEMM_THREADS = GEMM_SIDE * GEMM_SIDE
GEMM_PER = GEMM_TILE // GEMM_SIDE


def make_gemm(m: int, n: int, k: int, dtype: str = "f32"):
    """C = A @ B for row-major A (m x k), B (k x n), C (m x n) of `dtype`, f32 accumulation.

    A classic tiled GEMM in plain scalar code (kernels_gemm.py is the fast f32 one,
    kernels_mma.py the tensor-core one): a threadgroup of 16 x 16 threads owns a
    64 x 64 tile of C, stages 64 x 16 of A and 16 x 64 of B in threadgroup memory per
    step, and each thread accumulates 4 x 4 outputs (rows ty + 16 i, columns
    tx + 16 j) in registers. Grid: (n / 64 * 16,
    m / 64 * 16) threads, threads (16, 16)."""
    if m % GEMM_TILE or n % GEMM_TILE or k % GEMM_BK:
        raise ValueError(f"gemm needs m, n multiples of {GEMM_TILE} and k of {GEMM_BK}")
    elem = _dtype(dtype)
    loads = GEMM_TILE * GEMM_BK // GEMM_THREADS  # elements of A (and of B) per thread per step

    @enigma.kernel
    def gemm(a: elem, b: elem, c: elem):
        tx = enigma.thread_position_in_threadgroup("x")
        ty = enigma.thread_position_in_threadgroup("y")
        tid = ty * GEMM_SIDE + tx
        row0 = enigma.threadgroup_position_in_grid("y") * GEMM_TILE
        col0 = enigma.threadgroup_position_in_grid("x") * GEMM_TILE
        a_tile = enigma.threadgroup_alloc(f32, GEMM_TILE * GEMM_BK)  # [row][kk]
        b_tile = enigma.threadgroup_alloc(f32, GEMM_BK * GEMM_TILE)  # [kk][col]
        acc = enigma.register_tensor((GEMM_PER, GEMM_PER), f32, 0.0)
        a_row, b_row = (
            enigma.register_tensor((GEMM_PER,), f32),
            enigma.register_tensor((GEMM_PER,), f32),
        )
        for k0 in enigma.range(0, k, GEMM_BK):
            for s in enigma.range_constexpr(loads):
                e = tid + s * GEMM_THREADS
                ar, ak = e // GEMM_BK, e % GEMM_BK  # A: 16 consecutive k of a row
                a_tile[e] = enigma.metal_cast(a[(row0 + ar) * k + k0 + ak], f32)
                bk, bc = e // GEMM_TILE, e % GEMM_TILE  # B: 64 consecutive columns
                b_tile[e] = enigma.metal_cast(b[(k0 + bk) * n + col0 + bc], f32)
            enigma.barrier()
            for kk in enigma.range_constexpr(GEMM_BK):
                for i in enigma.range_constexpr(GEMM_PER):
                    a_row[i] = a_tile[(ty + i * GEMM_SIDE) * GEMM_BK + kk]
                    b_row[i] = b_tile[kk * GEMM_TILE + tx + i * GEMM_SIDE]
                for i in enigma.range_constexpr(GEMM_PER):
                    for j in enigma.range_constexpr(GEMM_PER):
                        acc[i, j] = enigma.fma(a_row[i], b_row[j], acc[i, j])
            enigma.barrier()
        for i in enigma.range_constexpr(GEMM_PER):
            for j in enigma.range_constexpr(GEMM_PER):
                out = (row0 + ty + i * GEMM_SIDE) * n + col0 + tx + j * GEMM_SIDE
                c[out] = enigma.metal_cast(acc[i, j], elem)

    return gemm


def gemm_launch(m: int, n: int) -> tuple[tuple, tuple]:
    """(grid in threads, threads) of make_gemm's kernel for an m x n output."""
    return (n // GEMM_TILE * GEMM_SIDE, m // GEMM_TILE * GEMM_SIDE, 1), (GEMM_SIDE, GEMM_SIDE, 1)


def decode_attention(head_dim: int):
    """examples/decode_attention.py's kernel (one threadgroup of 128 threads per head)."""
    from decode_attention import THREADS, make_kernel

    return make_kernel(head_dim), THREADS


def variants(quick: bool = False) -> dict[str, object]:
    """Every kernel the benchmarks run, by label (sizes as in the full run unless quick)."""
    rms = [(1024, "f32"), (2048, "bf16")] if quick else [(4096, "f32"), (8192, "bf16")]
    gemm = 1024 if quick else 4096
    kernels = {
        "vector_add": vector_add,
        "vector_add_ilp": vector_add_ilp,
        "vector_add_float4": vector_add_float4,
        "softmax": make_softmax(1024 if quick else 4096),
        "decode_attention": decode_attention(128)[0],
    }
    from kernels_attention import make_decode_attention  # it imports this module

    for chunk in (128, 256):
        partial, combine = make_decode_attention(128, chunk)
        kernels[f"attention_partial_c{chunk}"] = partial
    kernels["attention_combine"] = combine
    kernels["softmax_vec"] = make_softmax_vec(1024 if quick else 4096)
    for cols, dtype in rms:
        kernels[f"rmsnorm_{cols}_{dtype}"] = make_rmsnorm(cols, dtype)
        kernels[f"rmsnorm_vec_{cols}_{dtype}"] = make_rmsnorm_vec(cols, dtype)
    for dtype in ("f32", "bf16"):
        kernels[f"gemm_{gemm}_{dtype}"] = make_gemm(gemm, gemm, gemm, dtype)
    from kernels_gemm import make_gemm_f32  # the 128 x 128 SIMT GEMM

    kernels[f"gemm_simt_{gemm}_f32"] = make_gemm_f32(gemm, gemm, gemm)
    from kernels_mma import make_gemm_simdgroup  # tensor cores through simdgroup matrices

    kernels[f"gemm_simdgroup_{gemm}_bf16"] = make_gemm_simdgroup(gemm, gemm, gemm, "bf16")
    return kernels
