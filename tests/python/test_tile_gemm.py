"""enigma.gemm on the cpu device against numpy: the simdgroup-matrix path (row- and
column-major operands, unrolled and looped K, transposed store) and the scalar path
(per-thread fragments over device and threadgroup tiles), and its errors.
"""

import numpy as np
from tagged_errors import assert_trace_error

import enigma
from enigma import Layout, f16, f32
from enigma.tile import simdgroup_accumulator, store_accumulator

RNG = np.random.default_rng(3)


def mats(*shapes):
    return [RNG.standard_normal(s).astype(np.float32) for s in shapes]


@enigma.kernel
def simdgroup_gemms(a1: f32, b1: f32, c1: f32, a2: f32, b2: f32, c2: f32):
    # 1: A 16x32 row-major, B a 32x24 row-major array seen as 24x32 (N x K): strides (1, 24)
    acc = simdgroup_accumulator(16, 24)
    enigma.gemm(acc, enigma.make_tensor(a1, Layout((16, 32), (32, 1))),
                enigma.make_tensor(b1, Layout((24, 32), (1, 24))))  # fmt: skip
    store_accumulator(acc, enigma.make_tensor(c1, Layout((16, 24), (24, 1))))
    # 2: A 8x80 stored column-major (transposed), B 16x80 K-contiguous, C column-major;
    # K = 80 is 10 steps: a kernel loop carrying the accumulators
    acc2 = simdgroup_accumulator(8, 16)
    enigma.gemm(acc2, enigma.make_tensor(a2, Layout((8, 80), (1, 8))),
                enigma.make_tensor(b2, Layout((16, 80), (80, 1))))  # fmt: skip
    store_accumulator(acc2, enigma.make_tensor(c2, Layout((8, 16), (1, 8))))


def test_simdgroup_gemm_layouts():
    a1, b1, a2t, b2 = mats((16, 32), (32, 24), (80, 8), (16, 80))
    c1, c2 = np.zeros((16, 24), np.float32), np.zeros((16, 8), np.float32)
    ck = enigma.compile(simdgroup_gemms)
    ck(a1, b1, c1, a2t, b2, c2, grid=(32, 1, 1), threads=(32, 1, 1), device="cpu")
    np.testing.assert_allclose(c1, a1.astype(np.float64) @ b1, rtol=1e-5, atol=1e-4)
    # c2 holds C (8 x 16) column-major, i.e. C^T row-major; A^T was stored row-major
    np.testing.assert_allclose(c2.T, a2t.T.astype(np.float64) @ b2.T, rtol=1e-5, atol=1e-4)
    assert "simdgroup_multiply_accumulate" in ck.metal_source
    assert ", true)" in ck.metal_source  # transposed loads and stores


@enigma.kernel
def scalar_gemms(a: f32, b: f32, c: f32, a2: f16, b2: f16, c2: f32):
    # 1: each of 8 threads computes a 2x2 block of C (8 x 4) = A (8 x 6) @ B (6 x 4);
    # B is staged in threadgroup memory, A is read from device memory.
    tid = enigma.thread_index_in_threadgroup()
    tb = enigma.threadgroup_alloc(f32, 24)
    with enigma.if_(tid < 24):
        tb[tid] = b[tid]
    enigma.barrier()
    i, j = tid // 2, tid % 2
    ta = enigma.make_tensor(a, Layout((8, 6), (6, 1)))
    sb = enigma.make_tensor(tb, Layout((4, 6), (1, 4)))  # B^T: N x K
    tc = enigma.make_tensor(c, Layout((8, 4), (4, 1)))
    frag = enigma.make_fragment((2, 2), f32)
    rows = enigma.local_tile(ta, (2, 6), (i, 0))
    cols = enigma.local_tile(sb, (2, 6), (j, 0))
    with enigma.if_(tid < 8):
        enigma.gemm(frag, rows, cols)
        enigma.copy(frag, enigma.local_tile(tc, (2, 2), (i, j)))
    # 2: half inputs into a float fragment, K = 80 (a kernel loop over k)
    frag2 = enigma.make_fragment((2, 2), f32)
    ta2 = enigma.make_tensor(a2, Layout((2, 80), (80, 1)))
    tb2 = enigma.make_tensor(b2, Layout((2, 80), (1, 2)))
    with enigma.if_(tid == 0):
        enigma.gemm(frag2, ta2, tb2)
        enigma.copy(frag2, enigma.make_tensor(c2, Layout((2, 2), (2, 1))))


def test_scalar_gemm():
    a, b = mats((8, 6), (6, 4))
    a2 = RNG.standard_normal((2, 80)).astype(np.float16)
    b2 = RNG.standard_normal((80, 2)).astype(np.float16)
    c, c2 = np.zeros((8, 4), np.float32), np.zeros((2, 2), np.float32)
    enigma.compile(scalar_gemms)(a, b, c, a2, b2, c2, grid=(32, 1, 1), threads=(32, 1, 1),
                                 device="cpu")  # fmt: skip
    np.testing.assert_allclose(c, a.astype(np.float64) @ b, rtol=1e-5, atol=1e-5)
    ref2 = a2.astype(np.float64) @ b2.astype(np.float64)
    np.testing.assert_allclose(c2, ref2, rtol=1e-4, atol=1e-4)


def test_gemm_errors():
    def not_multiple(a: f32, b: f32):
        acc = simdgroup_accumulator(8, 8)
        ta = enigma.make_tensor(a, Layout((8, 12), (12, 1)))
        tb = enigma.make_tensor(b, Layout((8, 12), (12, 1)))
        enigma.gemm(acc, ta, tb)  # <multiple>

    assert_trace_error(not_multiple, "multiple", "multiples of 8, but K is 12")

    def bad_m(a: f32):
        simdgroup_accumulator(12, 8)  # <acc>

    assert_trace_error(bad_m, "acc", "multiples of 8, but m is 12")

    def strided(a: f32, b: f32):
        acc = simdgroup_accumulator(8, 8)
        ta = enigma.make_tensor(a, Layout((8, 8), (16, 2)))
        tb = enigma.make_tensor(b, Layout((8, 8), (8, 1)))
        enigma.gemm(acc, ta, tb)  # <stride>

    assert_trace_error(strided, "stride", "A has strides (16, 2)", "unit stride in one mode")

    def mixed(a: f16, b: f16):
        acc = simdgroup_accumulator(8, 8)
        ta = enigma.make_tensor(a, Layout((8, 8), (8, 1)))
        enigma.gemm(acc, ta, ta)  # <dtype>

    assert_trace_error(mixed, "dtype", "must have one element type")

    def count(a: f32):
        acc = simdgroup_accumulator(8, 8)
        ta = enigma.make_tensor(a, Layout((16, 8), (8, 1)))
        enigma.gemm(acc, ta, ta)  # <count>

    assert_trace_error(count, "count", "holds 1 8x8 matrices, but an 16 x 16 tile needs 4")

    def k_mismatch(a: f32):
        frag = enigma.make_fragment((2, 2), f32)
        enigma.gemm(frag, enigma.make_tensor(a, (2, 4)), enigma.make_tensor(a, (2, 3)))  # <k>

    assert_trace_error(k_mismatch, "k", "must be M x N, M x K and N x K")

    def not_acc(a: f32):
        enigma.gemm(a, enigma.make_tensor(a, (2, 4)), enigma.make_tensor(a, (2, 4)))  # <what>

    assert_trace_error(not_acc, "what", "accumulates into a per-thread fragment")
