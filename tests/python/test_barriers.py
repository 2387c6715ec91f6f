"""Barriers and threadgroup memory on the cpu device.

Every `mem_flags` value of `barrier` and `simd_barrier`, threadgroup arrays of
every dtype, several allocations, and allocations made inside nested control
flow (hoisted to kernel scope). Each kernel exchanges values between threads
through threadgroup memory, so a barrier that did not wait would read stale
data; the results are exact (data movement only).
"""

import numpy as np
import pytest

import enigma
from enigma import f32, i32, u32

RNG = np.random.default_rng(5)
FLAGS = ["mem_none", "mem_device", "mem_threadgroup", "mem_device_and_threadgroup", "mem_texture"]


def run(kernel, *arrays, n, threads):
    enigma.compile(kernel)(*arrays, grid=(n, 1, 1), threads=(threads, 1, 1), device="cpu")


@enigma.kernel
def rotate_every_flag(x: i32, out: i32):
    # Each phase moves the values one thread further around the threadgroup;
    # phase k synchronizes with FLAGS[k].
    i = enigma.thread_position_in_grid
    t = enigma.thread_index_in_threadgroup()
    size = enigma.threads_per_threadgroup()
    tile = enigma.threadgroup_alloc(i32, 128)
    v = x[i]
    for flags in FLAGS:  # unrolled at trace time
        tile[t] = v
        enigma.barrier(flags)
        v = tile[(t + 1) % size]
        enigma.barrier(flags)
    out[i] = v


def test_barrier_with_every_mem_flags_value():
    n, threads = 200, 128  # a partial last threadgroup of 72 threads
    x = RNG.integers(-1000, 1000, n).astype(np.int32)
    out = np.zeros(n, np.int32)
    run(rotate_every_flag, x, out, n=n, threads=threads)
    for start in range(0, n, threads):
        g = x[start : start + threads]
        np.testing.assert_array_equal(out[start : start + threads], np.roll(g, -len(FLAGS)))
    msl = enigma.compile(rotate_every_flag, emit_only=True).metal_source
    for spelled in ["mem_flags::mem_none", "mem_flags::mem_device", "mem_flags::mem_threadgroup",
                    "mem_flags::mem_device | mem_flags::mem_threadgroup",
                    "mem_flags::mem_texture"]:  # fmt: skip
        assert f"threadgroup_barrier({spelled});" in msl


@enigma.kernel
def simd_rotate_every_flag(x: u32, out: u32):
    i = enigma.thread_position_in_grid
    t = enigma.thread_index_in_threadgroup()
    lane = enigma.thread_index_in_simdgroup()
    tile = enigma.threadgroup_alloc(u32, 64)
    v = x[i]
    for flags in FLAGS:
        tile[t] = v
        enigma.simd_barrier(flags)
        v = tile[t - lane + (lane + 1) % 32]
        enigma.simd_barrier(flags)
    out[i] = v


def test_simd_barrier_with_every_mem_flags_value():
    n = 64
    x = RNG.integers(0, 2**32, n, dtype=np.uint32)
    out = np.zeros(n, np.uint32)
    run(simd_rotate_every_flag, x, out, n=n, threads=n)
    ref = np.concatenate([np.roll(x[:32], -len(FLAGS)), np.roll(x[32:], -len(FLAGS))])
    np.testing.assert_array_equal(out, ref)
    msl = enigma.compile(simd_rotate_every_flag, emit_only=True).metal_source
    assert "simdgroup_barrier(mem_flags::mem_device | mem_flags::mem_threadgroup);" in msl


DTYPES = [enigma.i8, enigma.u8, enigma.i16, enigma.u16, enigma.i32, enigma.u32, enigma.i64,
          enigma.u64, enigma.f16, enigma.f32, enigma.b1]  # fmt: skip
NP = {"char": np.int8, "uchar": np.uint8, "short": np.int16, "ushort": np.uint16,
      "int": np.int32, "uint": np.uint32, "long": np.int64, "ulong": np.uint64,
      "half": np.float16, "float": np.float32, "bool": np.bool_}  # fmt: skip


def _reverse_kernel(dtype):
    @enigma.kernel
    def reverse(x: dtype, out: dtype):
        i = enigma.thread_position_in_grid
        t = enigma.thread_index_in_threadgroup()
        size = enigma.threads_per_threadgroup()
        tile = enigma.threadgroup_alloc(dtype, 64)
        tile[t] = x[i]
        enigma.barrier()
        out[i] = tile[size - 1 - t]

    return reverse


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_threadgroup_memory_of_every_dtype(dtype):
    n, threads = 100, 64
    np_type = NP[dtype.name]
    if np_type is np.bool_:
        x = RNG.integers(0, 2, n).astype(np.bool_)
    elif np.issubdtype(np_type, np.integer):
        info = np.iinfo(np_type)
        x = RNG.integers(info.min, info.max, n, dtype=np_type, endpoint=True)
        x[:2] = [info.min, info.max]
    else:
        x = RNG.standard_normal(n).astype(np_type)
        x[:4] = [np.nan, -np.inf, -0.0, np.finfo(np_type).smallest_subnormal]
    out = np.zeros(n, np_type)
    run(_reverse_kernel(dtype), x, out, n=n, threads=threads)
    for start in range(0, n, threads):
        sl = slice(start, start + threads)
        np.testing.assert_array_equal(out[sl], x[sl][::-1])


def test_threadgroup_memory_of_bfloat():
    n = 64
    x = enigma.float_to_bfloat16_bits(RNG.standard_normal(n).astype(np.float32))
    out = np.zeros(n, np.uint16)
    run(_reverse_kernel(enigma.bf16), x, out, n=n, threads=n)
    np.testing.assert_array_equal(out, x[::-1])


@enigma.kernel
def nested_allocations(x: f32, y: i32, out_a: f32, out_b: i32, out_c: f32):
    i = enigma.thread_position_in_grid
    t = enigma.thread_index_in_threadgroup()
    first = enigma.threadgroup_alloc(f32, 32)
    first[t] = x[i]
    with enigma.for_range(0, 2) as k:
        with enigma.if_(k == 1):
            inner = enigma.threadgroup_alloc(i32, 32)  # hoisted to kernel scope
            inner[t] = y[i] * 2
            enigma.barrier()
            out_b[i] = inner[31 - t]
        enigma.barrier()
    with enigma.if_(t < 32):
        deep = enigma.threadgroup_alloc(f32, 16)
        with enigma.if_(t < 16):
            deep[t] = first[t] + 1.0
    enigma.barrier()
    out_a[i] = first[31 - t]
    out_c[i] = enigma.where(0.0, deep[t % 16], t < 16)


def test_allocations_inside_nested_control_flow_are_hoisted():
    n = 32
    x = RNG.standard_normal(n).astype(np.float32)
    y = RNG.integers(-1000, 1000, n).astype(np.int32)
    a, b, c = np.zeros(n, np.float32), np.zeros(n, np.int32), np.zeros(n, np.float32)
    run(nested_allocations, x, y, a, b, c, n=n, threads=n)
    np.testing.assert_array_equal(a, x[::-1])
    np.testing.assert_array_equal(b, (y * 2)[::-1])
    np.testing.assert_array_equal(c[:16], x[:16] + np.float32(1.0))
    np.testing.assert_array_equal(c[16:], 0)
    msl = enigma.compile(nested_allocations, emit_only=True).metal_source
    body = msl[msl.index("{") :]
    decls = [line.strip() for line in body.splitlines() if " threadgroup " in line]
    assert decls == ["alignas(16) threadgroup float tg0[32];",
                     "alignas(16) threadgroup int tg1[32];",
                     "alignas(16) threadgroup float tg2[16];"]  # fmt: skip
    # Declared before any statement of the kernel.
    assert body.index("threadgroup float tg2[16];") < body.index("// ")


def test_bad_mem_flags_is_an_error_with_the_users_line():
    @enigma.kernel
    def bad(x: f32):
        enigma.barrier("mem_everything")

    with pytest.raises(enigma.EnigmaError, match="unknown memory flags") as info:
        enigma.compile(bad)
    assert "test_barriers.py" in str(info.value) and "mem_device_and_threadgroup" in str(info.value)

    @enigma.kernel
    def bad_simd(x: f32):
        enigma.simd_barrier("threadgroup")

    with pytest.raises(enigma.EnigmaError, match="unknown memory flags"):
        enigma.compile(bad_simd)


def test_threadgroup_memory_over_the_limit_is_an_error():
    @enigma.kernel
    def too_big(x: f32):
        enigma.threadgroup_alloc(f32, 4096)
        enigma.threadgroup_alloc(f32, 4096)
        enigma.threadgroup_alloc(f32, 1)

    with pytest.raises(enigma.EnigmaError, match="32768") as info:
        enigma.compile(too_big)
    assert "test_barriers.py" in str(info.value)
