"""Tensors in kernels on the cpu device: element access, traced slicing, and fragment
loads/stores, with the vector path checked in the MSL (real `float4` loads for contiguous,
aligned fragments; none for strided or misaligned ones) and the results against numpy.
"""

import numpy as np
import pytest
from tagged_errors import assert_trace_error

import enigma
from enigma import Layout, f16, f32, i32
from enigma.errors import EnigmaError, LaunchError
from enigma.tensor import vector_width_limit

N = 64  # threads
RNG = np.random.default_rng(7)


def run(kernel, *arrays, threads=N):
    compiled = enigma.compile(kernel)
    compiled(*arrays, grid=(threads, 1, 1), threads=(min(threads, 32), 1, 1), device="cpu")
    return compiled.metal_source


@enigma.kernel
def add_contiguous(a: f32, b: f32, c: f32):
    """Each thread adds 4 consecutive floats: float4 loads and stores."""
    tid = enigma.thread_position_in_grid
    ta, tb, tc = (enigma.make_tensor(x, Layout((4, N))) for x in (a, b, c))
    x, y = ta[None, tid].load(), tb[None, tid].load()
    z = enigma.make_fragment(4, f32)
    for k in enigma.range_constexpr(4):
        z[k] = x[k] + y[k]
    tc[None, tid].store(z)


def test_contiguous_fragment_uses_float4():
    a, b = RNG.standard_normal(4 * N, dtype=np.float32), RNG.standard_normal(4 * N, np.float32)
    c = np.zeros_like(a)
    msl = run(add_contiguous, a, b, c)
    assert msl.count("*(device const float4*)(") == 2, msl
    assert msl.count("*(device float4*)(") == 1, msl
    np.testing.assert_allclose(c, a + b, rtol=1e-6)


@enigma.kernel
def strided_and_misaligned(a: f32, c: f32, d: f32):
    """Thread t's 4 values are strided by N (rows of a column-major (N, 4)); and a view at
    base offset 1 (contiguous but misaligned); and one at stride 5 per thread (traced
    offset 5 t: contiguous runs, alignment unprovable)."""
    tid = enigma.thread_position_in_grid
    rows = enigma.make_tensor(a, Layout((N, 4)))[tid, None].load()
    enigma.make_tensor(c, Layout((N, 4)))[tid, None].store(rows)
    shifted = enigma.Tensor("a", 0, f32, Layout((4, N)), base_offset=1).bind(a)
    odd = enigma.make_tensor(d, Layout((4, N), (1, 5)))
    odd[None, tid].store(shifted[None, tid].load())


def test_strided_and_misaligned_fragments_stay_scalar():
    a = RNG.standard_normal(4 * N + 1, dtype=np.float32)
    c, d = np.zeros(4 * N, np.float32), np.full(5 * N, -1.0, np.float32)
    msl = run(strided_and_misaligned, a, c, d)
    # Offsets 1 + 4t .. 4 + 4t: no float4; only the pair at the even offset 2 + 4t is a
    # provably aligned float2.
    assert "float4" not in msl, msl
    assert msl.count("*(device const float2*)(a + v") == 1 and "float2*)(d" not in msl, msl
    np.testing.assert_array_equal(c, a[: 4 * N])
    want = np.full(5 * N, -1.0, np.float32)
    for t in range(N):
        want[5 * t : 5 * t + 4] = a[1 + 4 * t : 5 + 4 * t]
    np.testing.assert_array_equal(d, want)


@enigma.kernel
def tiles_and_halves(a: f16, c: f16, out: f32):
    """A 2-D block tile (local_tile with traced block coordinates), partitioned over the
    threads of a threadgroup, loaded as half vectors; element reads and writes."""
    bx = enigma.threadgroup_position_in_grid("x")
    tid = enigma.thread_position_in_threadgroup("x")
    ta = enigma.make_tensor(a, Layout((8, 4 * N), (4 * N, 1)))  # row-major 8 x 256
    tc = enigma.make_tensor(c, Layout((8, 4 * N), (4 * N, 1)))
    blk_a = enigma.local_tile(ta, (8, 32), (0, bx))  # 8 x 32 tile of block bx
    blk_c = enigma.local_tile(tc, (8, 32), (0, bx))
    thr = Layout((8, 4), (4, 1))  # 32 threads, 8 rows x 4 column groups
    frag = enigma.local_partition(blk_a, thr, tid)  # (1, 8): columns tid%4 + 4 k, strided
    enigma.local_partition(blk_c, thr, tid).store(frag.load())
    # Row tid // 4, 4 consecutive columns: a contiguous, aligned run of halves.
    row = enigma.local_tile(blk_a, (1, 4), (tid // 4, tid % 4))
    tout = enigma.make_tensor(out, Layout((4, 8 * N)))
    flat = bx * 32 + tid
    vals = row.load()
    for k in enigma.range_constexpr(4):
        tout[k, flat] = vals[0, k]


def test_tiles_partitions_and_half_vectors():
    a = RNG.standard_normal((8, 4 * N)).astype(np.float16)
    c = np.zeros_like(a)
    out = np.zeros((8 * N, 4), np.float32)
    with vector_width_limit(2):
        tiles_and_halves.clear_cache()
        tiles_and_halves.trace()
    compiled = enigma.compile(tiles_and_halves)
    compiled(a, c, out, grid=(32 * 8, 1, 1), threads=(32, 1, 1), device="cpu")
    tiles_and_halves.clear_cache()
    msl = compiled.metal_source
    assert "*(device const half2*)(" in msl and "half4" not in msl, msl
    np.testing.assert_array_equal(c, a)
    for bx in range(8):
        for tid in range(32):
            r, g = tid // 4, tid % 4
            want = a[r, bx * 32 + 4 * g : bx * 32 + 4 * g + 4].astype(np.float32)
            np.testing.assert_array_equal(out[bx * 32 + tid], want)


@enigma.kernel
def threadgroup_and_fill(a: i32, c: i32, d: f32):
    """A threadgroup tile (int4 accesses), a broadcast store of one value, traced
    slicing with a loop index, and element stores converted as MSL assignments."""
    tid = enigma.thread_position_in_threadgroup("x")
    tile = enigma.make_tensor(enigma.threadgroup_alloc(i32, 4 * 32), Layout((4, 32)))
    ta = enigma.make_tensor(a, Layout((4, 32)))
    tile[None, tid].store(ta[None, tid].load())
    tc = enigma.make_tensor(c, Layout((4, 32)))
    tc[None, tid].store(7)
    enigma.barrier("mem_device_and_threadgroup")
    with enigma.for_range(0, 4) as k:
        tc[k, 31 - tid] = tc[k, 31 - tid] + tile[k, tid]
    enigma.make_tensor(d, Layout(32))[tid] = tile[0, tid]  # int -> float on store


def test_threadgroup_tile_fill_and_element_access():
    a = RNG.integers(-100, 100, 4 * 32, dtype=np.int32)
    c, d = np.zeros(4 * 32, np.int32), np.zeros(32, np.float32)
    msl = run(threadgroup_and_fill, a, c, d, threads=32)
    # Threadgroup arrays are 16-byte aligned: thread t's column (4t .. 4t+3) is one int4.
    assert "*(ENIGMA_THREADGROUP_POINTER int4*)(tg0 + " in msl, msl
    assert "*(device int4*)(" in msl  # the broadcast store of 7
    want = 7 + a.reshape(32, 4)
    np.testing.assert_array_equal(c.reshape(32, 4)[::-1], want)
    np.testing.assert_array_equal(d, a.reshape(32, 4)[:, 0].astype(np.float32))


def test_vec_width_one_disables_vectors_and_misaligned_buffer_is_refused():
    a, b = np.ones(4 * N, np.float32), np.ones(4 * N, np.float32)
    assert "float4" not in enigma.compile(add_contiguous, vec_width=1).metal_source
    assert "float2" in enigma.compile(add_contiguous, vec_width=2).metal_source
    assert "float4" in enigma.compile(add_contiguous).metal_source  # the default trace
    storage = np.zeros(4 * N + 1, np.float32)
    with pytest.raises(LaunchError, match="not aligned to 16 bytes, which the kernel's vector"):
        run(add_contiguous, a, b, storage[1:])


def wrong_rank(a: f32):
    enigma.make_tensor(a, Layout((4, 8)))[1, 2, 3] = 1.0  # <rank>


def out_of_bounds(a: f32):
    x = enigma.make_tensor(a, Layout((4, 8)))[4, 0]  # <bound>
    a[0] = x


def store_vector(a: f32):
    enigma.make_tensor(a, Layout(8))[1] = enigma.make_float2(1.0, 2.0)  # <store>


def traced_fragment_index(a: f32):
    frag = enigma.make_fragment(4, f32)
    a[0] = frag[enigma.thread_position_in_grid]  # <frag>


def store_wrong_size(a: f32):
    t = enigma.make_tensor(a, Layout((4, 8)))
    t[None, 0].store(enigma.make_fragment(8, f32))  # <size>


def bind_wrong_dtype(a: f32):
    enigma.Tensor("x", 0, i32, shape=8).bind(a)  # <dtype>


def tile_too_big():
    enigma.make_tensor(enigma.threadgroup_alloc(f32, 16), Layout((4, 8)))  # <fits>


@pytest.mark.parametrize(
    "fn, tag, fragments",
    [
        (wrong_rank, "rank", ["coordinate (1, 2, 3) does not match Tensor `a` of shape (4, 8)"]),
        (out_of_bounds, "bound", ["out of bounds of Tensor `a` of shape (4, 8)"]),
        (store_vector, "store", ["cannot assign a `float2` value to an element of `a`"]),
        (traced_fragment_index, "frag", ["register elements need coordinates known"]),
        (store_wrong_size, "size", ["cannot store a tensor of 8 elements"]),
        (bind_wrong_dtype, "dtype", ["Tensor `x` holds int but buffer `a` holds float"]),
        (tile_too_big, "fits", ["reaches element 31, past the 16 elements"]),
    ],
)
def test_kernel_errors(fn, tag, fragments):
    assert_trace_error(fn, tag, *fragments)


def test_vector_width_limit_rejects_bad_widths():
    with pytest.raises(EnigmaError, match="vec_width must be 0"):
        with vector_width_limit(3):
            pass


@enigma.kernel
def tv_add(a: enigma.Tensor, b: enigma.Tensor, c: enigma.Tensor, tiler: enigma.Constexpr,
           tv: enigma.Constexpr):  # fmt: skip
    """CuTe's elementwise add: tile by block, compose with the TV layout, slice a thread."""
    tid = enigma.thread_index_in_threadgroup()
    bid = enigma.threadgroup_position_in_grid("x")

    def mine(t):
        blk = enigma.tensor_zipped_divide(t, tiler)[(None, None), bid]
        return enigma.tensor_composition(blk, tv)[tid, None]

    x, y = mine(a).load(), mine(b).load()
    z = enigma.make_fragment(x.layout, x.dtype)
    for k in enigma.range_constexpr(x.size):
        z[k] = x[k] + y[k]
    mine(c).store(z)


@enigma.jit
def tv_vector_add(a, b, c):
    thr = enigma.make_ordered_layout((4, 32), (1, 0))  # 128 threads, row-major
    val = enigma.make_ordered_layout((4, 4), (1, 0))  # 4 x 4 values each, row-major
    tiler, tv = enigma.make_layout_tv(thr, val)
    tiles = enigma.size(enigma.zipped_divide(a.layout, tiler)[1])
    tv_add(a, b, c, tiler, tv).launch(grid=(tiles, 1, 1), block=(128, 1, 1))


@pytest.mark.parametrize("vec_width, vector", [(0, "float4"), (2, "float2"), (1, None)])
def test_jit_tv_vector_add(vec_width, vector):
    a = RNG.standard_normal((32, 256), dtype=np.float32)
    b = RNG.standard_normal((32, 256), dtype=np.float32)
    c = np.zeros_like(a)
    prog = enigma.compile(tv_vector_add, a, b, c, vec_width=vec_width)
    prog(a, b, c, device="cpu")
    np.testing.assert_allclose(c, a + b, rtol=1e-6)
    msl = prog.metal_source
    if vector is None:
        assert "*(device const float" not in msl, msl
    else:
        assert msl.count(f"*(device const {vector}*)(") == 2 * 16 // int(vector[-1]), msl


@enigma.kernel
def threadgroup_vectors(a: f32, c: f32):
    """The `vector_load`/`vector_store` ops on a threadgroup array, emitted directly: the
    MSL's threadgroup-pointer macro must compile and run on the cpu device."""
    from enigma.language.core import emit
    from enigma.language.tracing import current, user_location

    trace, loc = current("test"), user_location()
    tid = enigma.thread_position_in_threadgroup("x")
    tile = enigma.threadgroup_alloc(f32, 4 * 32)
    base = tid * 4
    v = emit(trace, "vector_load", [a.ref, base], enigma.float4, {}, loc)
    emit(trace, "vector_store", [tile.ref, base, v * 2.0], None, {}, loc)
    enigma.barrier()
    w = emit(trace, "vector_load", [tile.ref, (31 - tid) * 4], enigma.float4, {}, loc)
    emit(trace, "vector_store", [c.ref, base, w], None, {}, loc)


def test_threadgroup_vector_ops_run_on_cpu():
    a = RNG.standard_normal(4 * 32, dtype=np.float32)
    c = np.zeros_like(a)
    msl = run(threadgroup_vectors, a, c, threads=32)
    assert "*(ENIGMA_THREADGROUP_POINTER float4*)(tg0 + " in msl, msl
    np.testing.assert_array_equal(c.reshape(32, 4), 2 * a.reshape(32, 4)[::-1])


@enigma.kernel
def alignment_probe(a: f32):
    """alignment_of on typical index expressions (checked while tracing)."""
    from enigma.tensor.offset import alignment_of

    tid = enigma.thread_position_in_grid
    bid = enigma.threadgroup_position_in_grid("x")
    cases = [(tid, 1), (bid * 128, 128), (tid << 2, 4), ((tid % 32) * 4, 4),
             (tid * 4 + 2, 2), (bid * 64 + (tid // 32) * 16, 16), ((tid * 8) // 2, 4),
             (tid * 0, 0), ((tid & 0xFFF0) + bid * 8, 8)]  # fmt: skip
    for value, want in cases:
        assert alignment_of(value) == want, (value, want)
    a[tid] = 0.0


def test_alignment_of_traced_offsets():
    alignment_probe.clear_cache()
    alignment_probe.trace()
