"""Threadgroup matrices (R x C float accumulators of a threadgroup) on the cpu device vs numpy.

A GEMM kernel gives each threadgroup of 2R + 128 threads one R x C tile of C = A @ B: its row and
column origin come from the threadgroup's position, the multiply-accumulate reads A's rows
and B's columns at offsets with strides, and partial tiles at the edges pass a_rows / b_cols
and a smaller store extent. Inputs are f16 or bf16 with K not a multiple of 16; results
are stored to f32 or bf16. The cpu device sums the exact products of each
multiply-accumulate in float32 in K order from 0, then adds the accumulator, so a float32
model of that is bit-exact here (on tensor cores: within the float32 summation bound,
float_sums.py). Other kernels carry the accumulator through an enigma.range loop
over K chunks with two multiply-accumulates per chunk and store it into a wider output
whose margins must stay untouched. The kernels are module-level, so
test_cuda_emit.py compiles their CUDA with NVRTC too.
"""

import numpy as np
import pytest
from float_sums import assert_float32_sum
from tagged_errors import assert_trace_error, line_of

import enigma
from enigma.dtypes import bfloat16_bits_to_float, float_to_bfloat16_bits
from enigma.errors import EnigmaError

RNG = np.random.default_rng(7)
U32 = enigma.Scalar(enigma.u32)


def _gemm_kernel(dtype, rows, cols, out):
    def tgm_gemm(a: dtype, b: dtype, c: out, m: U32, n: U32, k: U32):
        tiles_per_row = (n + cols - 1) // cols
        tile = enigma.threadgroup_position_in_grid()
        row0 = tile // tiles_per_row * rows
        col0 = tile % tiles_per_row * cols
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=rows, cols=cols)
        acc = enigma.threadgroup_multiply_accumulate(
            a, b, acc, k=k, a_stride=k, b_stride=n, a_offset=row0 * k, b_offset=col0,
            a_rows=m - row0, b_cols=n - col0,
        )  # fmt: skip
        enigma.threadgroup_matrix_store(acc, c, n, offset=row0 * n + col0, rows=m - row0,
                                        cols=n - col0)  # fmt: skip

    # One name per variant (test_cuda_emit.py labels the kernels it compiles by name).
    tgm_gemm.__name__ = f"tgm_gemm_{dtype.short}_{rows}x{cols}_{out.short}"
    return enigma.kernel(tgm_gemm)


# (input, R, C, output) -> kernel; test_cuda_emit.py collects them from this dict.
GEMM_KERNELS = {
    (dtype.name, rows, cols, out.name): _gemm_kernel(dtype, rows, cols, out)
    for dtype, rows, cols, out in [
        (enigma.bf16, 64, 64, enigma.f32),
        (enigma.f16, 64, 64, enigma.bf16),
        (enigma.bf16, 128, 256, enigma.f32),
        (enigma.f16, 128, 256, enigma.f32),
    ]
}


def _chunked_kernel(half_chunk: int, n: int, ld: int):
    """One 64 x 128 tile (a 40 x k by k x n product), K in chunks of 2 * half_chunk (two
    multiply-accumulates each), accumulated onto a fill of 0.5 and stored with rows `ld`
    elements apart."""

    def tgm_chunked(a: enigma.bf16, b: enigma.bf16, c: enigma.f32, k: U32):
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.5, rows=64, cols=128)
        for k0 in enigma.range(0, k, 2 * half_chunk):
            for half in enigma.range_constexpr(2):
                kk = k0 + half * half_chunk
                acc = enigma.threadgroup_multiply_accumulate(
                    a, b, acc, k=half_chunk, a_stride=k, b_stride=n, a_offset=kk,
                    b_offset=kk * n, a_rows=40, b_cols=n,
                )  # fmt: skip
        enigma.threadgroup_matrix_store(acc, c, ld, rows=40, cols=n)

    tgm_chunked.__name__ = f"tgm_chunked_{half_chunk}_{n}"
    return enigma.kernel(tgm_chunked)


# (half chunk, n, ld). On the cuda device (sm_90a), rows of 40- and 200-byte strides take
# the element-copy path; 64-byte chunks of 256-byte rows take TMA, four products per
# kernel, each setting up its barriers and tensor maps again.
CHUNKED = {
    (20, 100, 104): _chunked_kernel(20, 100, 104),
    (32, 128, 136): _chunked_kernel(32, 128, 136),
}


def _inputs(dtype, shape):
    """The array the kernel gets and its float64 values (as the element type rounds them)."""
    x = RNG.uniform(-1, 1, shape)
    if dtype is enigma.bf16:
        bits = float_to_bfloat16_bits(x.astype(np.float32))
        return bits.ravel(), bfloat16_bits_to_float(bits).astype(np.float64)
    x = x.astype(np.float16)
    return x.ravel(), x.astype(np.float64)


def _running_sum(start, a64, b64, k0, k1):
    """start + (the float32 running sum from 0 of the exact products over k0..k1-1)."""
    s = np.zeros((a64.shape[0], b64.shape[1]), np.float32)
    for kk in range(k0, k1):
        s = s + np.outer(a64[:, kk], b64[kk, :]).astype(np.float32)
    return (start + s).astype(np.float32)


def _launch(rows, tiles):
    threads = 2 * rows + 128
    return {"grid": (tiles * threads, 1, 1), "threads": (threads, 1, 1), "device": "cpu"}


@pytest.mark.parametrize(("key", "shape"), [
    (("bfloat", 64, 64, "float"), (100, 150, 40)),
    (("half", 64, 64, "bfloat"), (64, 70, 24)),
    (("bfloat", 64, 64, "float"), (96, 136, 40)),  # rows 16-byte aligned: TMA on sm_90a
    (("half", 64, 64, "bfloat"), (64, 72, 16)),
    (("bfloat", 128, 256, "float"), (100, 200, 40)),
    (("half", 128, 256, "float"), (128, 256, 8)),
], ids=lambda x: "x".join(map(str, x)))  # fmt: skip
def test_gemm_tiles_with_partial_edges(key, shape):
    name, rows, cols, out = key
    m, n, k = shape
    dtype = enigma.dtypes.dtype(name)
    a, a64 = _inputs(dtype, (m, k))
    b, b64 = _inputs(dtype, (k, n))
    compiled = enigma.compile(GEMM_KERNELS[key])
    assert compiled.required_threads == 2 * rows + 128 and compiled.uses_barriers
    assert f"enigma_threadgroup_matrix<float, {rows}, {cols}>" in compiled.cuda_source
    sentinel = -7.0
    if out == "bfloat":
        c = np.full(m * n, float_to_bfloat16_bits(np.float32(sentinel)), np.uint16)
    else:
        c = np.full(m * n, sentinel, np.float32)
    tiles = -(-m // rows) * -(-n // cols)
    compiled(a, b, c, m, n, k, **_launch(rows, tiles))
    running = _running_sum(0.0, a64, b64, 0, k)
    abs_sum = np.abs(a64) @ np.abs(b64)
    if out == "bfloat":
        got = bfloat16_bits_to_float(c).reshape(m, n)
        rounded = bfloat16_bits_to_float(float_to_bfloat16_bits(running))
    else:
        got, rounded = c.reshape(m, n), running
    assert_float32_sum(got, rounded, running, abs_sum, k, out)


@pytest.mark.parametrize("key", CHUNKED, ids=lambda key: "chunk{}_n{}_ld{}".format(*key))
def test_accumulator_carried_through_a_range_loop_over_k_chunks(key):
    half_chunk, n, ld = key
    k = 4 * half_chunk  # two loop iterations, four multiply-accumulates
    a, a64 = _inputs(enigma.bf16, (40, k))
    b, b64 = _inputs(enigma.bf16, (k, n))
    sentinel = -7.0
    c = np.full(48 * ld, sentinel, np.float32)  # the store's extent is 40 x n of it
    compiled = enigma.compile(CHUNKED[key])
    assert compiled.required_threads == 256
    compiled(a, b, c, k, **_launch(64, 1))
    running = np.full((40, n), 0.5, np.float32)
    for k0 in range(0, k, half_chunk):
        running = _running_sum(running, a64, b64, k0, k0 + half_chunk)
    abs_sum = 0.5 + np.abs(a64) @ np.abs(b64)
    got = c.reshape(48, ld)
    assert_float32_sum(got[:40, :n], running, running, abs_sum, k + 1, "float")
    assert (got[40:] == sentinel).all() and (got[:40, n:] == sentinel).all()


def test_launch_needs_whole_threadgroups_of_2r_plus_128_threads():
    compiled = enigma.compile(GEMM_KERNELS[("bfloat", 128, 256, "float")])
    a = np.zeros(128 * 16, np.uint16)
    b = np.zeros(16 * 256, np.uint16)
    c = np.zeros(128 * 256, np.float32)
    args = (a, b, c, 128, 256, 16)
    with pytest.raises(EnigmaError, match=r"need exactly \(384, 1, 1\) threads") as e:
        compiled(*args, grid=(384, 1, 1), threads=(256, 1, 1), device="cpu")
    assert "threads=(384, 1, 1)" in str(e.value)
    with pytest.raises(EnigmaError, match=r"need exactly \(384, 1, 1\)"):
        compiled(*args, grid=(384, 2, 1), threads=(384, 2, 1), device="cpu")
    with pytest.raises(EnigmaError, match="grid x is not a multiple of 384"):
        compiled(*args, grid=(500, 1, 1), threads=(384, 1, 1), device="cpu")
    prepared = enigma.runtime("cpu").prepare(
        compiled, [a, b], c.nbytes, grid=(384, 1, 1), threads=(384, 1, 1),
        scalars={"m": 128, "n": 256, "k": 16},
    )  # fmt: skip
    with pytest.raises(EnigmaError, match=r"need exactly \(384, 1, 1\)"):
        prepared.dispatch(grid=(384, 1, 1), threads=(256, 1, 1))


def test_errors():
    def float_inputs(x: enigma.f32):
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
        enigma.threadgroup_multiply_accumulate(x, x, acc, k=16, a_stride=16, b_stride=64)  # <f32>

    assert_trace_error(float_inputs, "f32", "holds `f32`", "tensor-core inputs are half or bfloat")

    def tg_buffer(x: enigma.bf16):
        t = enigma.threadgroup_alloc(enigma.bf16, 1024)
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
        enigma.threadgroup_multiply_accumulate(t, x, acc, k=16, a_stride=16, b_stride=64)  # <tg>

    assert_trace_error(tg_buffer, "tg", "a must be a device buffer", "threadgroup array")

    def mixed_inputs(x: enigma.bf16, h: enigma.f16):
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
        enigma.threadgroup_multiply_accumulate(x, h, acc, k=16, a_stride=16, b_stride=64)  # <mix>

    assert_trace_error(mixed_inputs, "mix", "holds `bf16` and b (`h`) `f16`", "one type")

    def no_strides(x: enigma.bf16):
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
        enigma.threadgroup_multiply_accumulate(x, x, acc, k=16)  # <strides>

    assert_trace_error(no_strides, "strides", "needs a_stride=, b_stride=", "b_stride=N")

    def shape():
        enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=32, cols=64)  # <shape>

    assert_trace_error(shape, "shape", "64 or 128 rows and 64, 128, 256 columns, not 32 x 64")

    def half_matrix():
        enigma.make_filled_threadgroup_matrix(enigma.f16, 0.0, rows=64, cols=64)  # <half>

    assert_trace_error(half_matrix, "half", "threadgroup matrices hold f32", "not `half`")

    def float_offset(x: enigma.bf16):
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
        off = 1.5
        enigma.threadgroup_multiply_accumulate(x, x, acc, k=16, a_stride=16, b_stride=off)  # <off>

    assert_trace_error(float_offset, "off", "b_stride must be a non-negative integer, not 1.5")

    def int_store(x: enigma.i32):
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
        enigma.threadgroup_matrix_store(acc, x, 64)  # <int>

    assert_trace_error(int_store, "int", "the destination (`x`) holds `i32`", "f32 or f16 or bf16")

    def simdgroup_acc(x: enigma.bf16):
        acc = enigma.make_filled_simdgroup_matrix(enigma.f32, 0.0)
        enigma.threadgroup_multiply_accumulate(x, x, acc, k=16, a_stride=16, b_stride=64)  # <sg>

    assert_trace_error(simdgroup_acc, "sg", "needs a threadgroup matrix, not SimdgroupMatrix")

    def operator():
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
        acc + acc  # <op>

    assert_trace_error(operator, "op", "a threadgroup matrix has no operators")

    def carry_shape(x: enigma.bf16):
        acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
        wide = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=128)
        with enigma.for_range(0, 4, init=[acc]) as (i, carry):
            carry[0] = wide  # <carry>

    assert_trace_error(carry_shape, "carry", "carries a `threadgroup_float64x64`",
                       "threadgroup_multiply_accumulate(a, b, acc, k=...)")  # fmt: skip


@enigma.kernel
def tgm_mixed_rows(c: enigma.f32):
    small = enigma.make_filled_threadgroup_matrix(enigma.f32, 1.0, rows=64, cols=64)
    big = enigma.make_filled_threadgroup_matrix(enigma.f32, 1.0, rows=128, cols=64)
    enigma.threadgroup_matrix_store(small, c, 64)
    enigma.threadgroup_matrix_store(big, c, 64)


def test_mixed_rows_in_one_kernel_is_a_compile_error():
    with pytest.raises(
        EnigmaError, match="128-row threadgroup matrix in a kernel whose first"
    ) as e:
        enigma.compile(tgm_mixed_rows)
    assert "test_threadgroup_matrix.py" in str(e.value)


@enigma.kernel
def tgm_divergent(a: enigma.bf16, c: enigma.f32):
    acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
    with enigma.if_(enigma.thread_index_in_threadgroup() < 128):
        n = 64
        product = enigma.threadgroup_multiply_accumulate
        acc = product(a, a, acc, k=n, a_stride=n, b_stride=n)  # <div>
        enigma.threadgroup_matrix_store(acc, c, 64)


@enigma.kernel
def tgm_thread_k(a: enigma.bf16, c: enigma.f32):
    acc = enigma.make_filled_threadgroup_matrix(enigma.f32, 0.0, rows=64, cols=64)
    k = enigma.thread_index_in_simdgroup() + 32
    acc = enigma.threadgroup_multiply_accumulate(a, a, acc, k=k, a_stride=64, b_stride=64)  # <k>
    enigma.threadgroup_matrix_store(acc, c, 64)


@pytest.mark.parametrize(("kernel", "tag", "message"), [
    (tgm_divergent, "div", "inside a branch that depends on the thread"),
    (tgm_thread_k, "k", "must be the same for every thread of the threadgroup"),
])  # fmt: skip
def test_products_that_threads_reach_apart_are_compile_errors(kernel, tag, message):
    with pytest.raises(EnigmaError, match=message) as e:
        enigma.compile(kernel)
    assert f"test_threadgroup_matrix.py:{line_of(__file__, tag)}" in str(e.value)
