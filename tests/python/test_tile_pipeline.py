"""enigma.pipeline on the cpu device: a 3-stage producer/consumer loop over K tiles
(prologue, guarded prefetch, rotation), a 2-stage loop fed by SIMD-group async copies,
and its errors.
"""

import numpy as np
from tagged_errors import assert_trace_error

import enigma
from enigma import Layout, f32

RNG = np.random.default_rng(9)
TILES = 5


@enigma.kernel
def weighted_column_sums(a: f32, out: f32):
    tid = enigma.thread_index_in_threadgroup()
    ta = enigma.make_tensor(a, Layout((8, 32, TILES), (32, 1, 256)))  # tile t: ta[.., .., t]
    pipe = enigma.pipeline(f32, Layout((8, 32), (32, 1)), stages=3)
    for s in enigma.range_constexpr(2):  # prologue: tiles 0 and 1 into stages 0 and 1
        enigma.copy(ta[None, tid, s], pipe.stage(s)[None, tid])
    pipe.sync()
    with pipe.loop(0, TILES, init=[0.0]) as (t, acc):
        with enigma.if_(t + 2 < TILES):  # producer: tile t + 2 into the write stage
            enigma.copy(ta[None, tid, t + 2], pipe.producer[None, tid])
        tile = pipe.consumer  # consumer: tile t
        weight = enigma.metal_cast(t + 1, f32)
        for r in enigma.range_constexpr(8):
            acc[0] = acc[0] + tile[r, tid] * weight
        pipe.advance()
    out[tid] = acc[0]


def test_pipeline_order_and_rotation():
    a = RNG.standard_normal((TILES, 8, 32)).astype(np.float32)
    out = np.zeros(32, np.float32)
    ck = enigma.compile(weighted_column_sums)
    ck(a, out, grid=(32, 1, 1), threads=(32, 1, 1), device="cpu")
    weights = np.arange(1, TILES + 1, dtype=np.float64)[:, None]
    np.testing.assert_allclose(out, (a.sum(axis=1) * weights).sum(axis=0), rtol=1e-5, atol=1e-5)
    assert ck.metal_source.count("threadgroup_barrier") == 2  # prologue sync + advance


@enigma.kernel
def async_column_sums(a: f32, out: f32):
    # 64 threads (2 SIMD-groups) sum tile rows staged by async copies, 2 stages; the
    # prefetch is unconditional (the last one a spare copy of the last tile).
    tid = enigma.thread_index_in_threadgroup()
    ta = enigma.make_tensor(a, Layout((8, 32, TILES), (32, 1, 256)))
    pipe = enigma.pipeline(f32, Layout((8, 32), (32, 1)), stages=2)
    pipe.async_copy(ta[None, None, 0], pipe.stage(0))
    pipe.sync()
    with pipe.loop(0, TILES, init=[0.0]) as (t, acc):
        pipe.async_copy(ta[None, None, enigma.imin(t + 1, TILES - 1)], pipe.producer)
        weight = enigma.metal_cast(t + 1, f32)
        for r in enigma.range_constexpr(4):
            acc[0] = acc[0] + pipe.consumer[4 * (tid // 32) + r, tid % 32] * weight
        pipe.advance()
    out[tid] = acc[0]


def test_pipeline_async_copy():
    a = RNG.standard_normal((TILES, 8, 32)).astype(np.float32)
    out = np.zeros(64, np.float32)
    ck = enigma.compile(async_column_sums)
    ck(a, out, grid=(64, 1, 1), threads=(64, 1, 1), device="cpu")
    weights = np.arange(1, TILES + 1, dtype=np.float64)[:, None, None]
    halves = (a * weights).sum(axis=0).reshape(2, 4, 32).sum(axis=1).reshape(64)
    np.testing.assert_allclose(out, halves, rtol=1e-5, atol=1e-5)
    assert ck.metal_source.count("__metal_wait_simdgroup_events(1, &") == 2


def test_pipeline_errors():
    def one_stage(a: f32):
        enigma.pipeline(f32, (8, 8), stages=1)  # <stages>

    assert_trace_error(one_stage, "stages", "at least 2 stages")

    def no_advance(a: f32):
        pipe = enigma.pipeline(f32, (8, 8))
        with pipe.loop(0, 4):  # <advance>
            a[0] = pipe.consumer[0, 0]

    assert_trace_error(no_advance, "advance", "never calls advance()")

    def bad_stage(a: f32):
        pipe = enigma.pipeline(f32, (8, 8), stages=2)
        pipe.stage(2)  # <stage>

    assert_trace_error(bad_stage, "stage", "stage 2 does not exist in a 2-stage pipeline")

    def no_tiles(a: f32):
        enigma.pipeline(f32)  # <tiles>

    assert_trace_error(no_tiles, "tiles", "at least one tile")

    def guarded_async(a: f32):
        pipe = enigma.pipeline(f32, Layout((8, 8), (8, 1)))
        ta = enigma.make_tensor(a, Layout((8, 8), (8, 1)))
        with enigma.if_(enigma.thread_index_in_threadgroup() < 4):
            pipe.async_copy(ta, pipe.stage(0))
        pipe.sync()  # <guarded>

    assert_trace_error(guarded_async, "guarded", "inside a block that has ended")

    def crossed(a: f32):
        pipe = enigma.pipeline(f32, Layout((8, 8), (1, 8)))
        pipe.async_copy(enigma.make_tensor(a, Layout((8, 8), (8, 1))), pipe.stage(0))  # <cross>

    assert_trace_error(crossed, "cross", "unit stride along the same mode")
