"""`@enigma.jit` end to end: host functions launching kernels, run on the cpu device.

Few kernels, each compiled once and reused (every distinct cpu kernel costs a clang
run): a vector add over Tensors, a Scalar scale, a Constexpr-specialized add and a
strided copy. Each test checks results against numpy.
"""

import numpy as np
import pytest

import enigma
from enigma import Constexpr, Layout, Scalar, Tensor, f32, i32

N = 256
RNG = np.random.default_rng(7)
TRACES = {"add": 0}  # how often the body of `add` ran (once per specialization)


@enigma.kernel
def add(a: f32, b: f32, c: f32):
    TRACES["add"] += 1
    i = enigma.thread_position_in_grid
    c[i] = a[i] + b[i]


@enigma.kernel
def scale(x: f32, k: Scalar(f32)):
    i = enigma.thread_position_in_grid
    x[i] = x[i] * k


@enigma.kernel
def add_const(src: enigma.Tensor, dst: enigma.Tensor, value: Constexpr):
    i = enigma.thread_position_in_grid
    dst[i] = src[i] + value


@enigma.jit
def vector_add(a, b, c):
    n = enigma.size(a.layout)
    add(a, b, c).launch(grid=(n // 64, 1, 1), block=(64, 1, 1))


@enigma.jit
def scale_then_add(x, y, k):
    n = enigma.size(x.layout)
    scale(x, k).launch(grid=(n // 32,), block=(32,))
    add(x, y, y).launch(grid=(n // 32,), block=(32,))  # y = k x + y: needs scale first


@enigma.jit
def add_then_scale(x, y, k):
    n = enigma.size(x.layout)
    add(x, y, y).launch(grid=(n // 32,), block=(32,))  # y = x + y with the unscaled x
    scale(x, k).launch(grid=(n // 32,), block=(32,))


def tensors(n=N, dtype=f32):
    return [Tensor(name, i, dtype, Layout(n)) for i, name in enumerate("abc")]


def data(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def test_single_launch_over_tensors():
    prog = enigma.compile(vector_add, *tensors())
    assert (prog.grid, prog.block) == ((N // 64, 1, 1), (64, 1, 1))  # as the launch said
    assert prog.kernel_name == "add" and prog.param_names == ["a", "b", "c"]
    assert prog.num_params == 3 and [p["access"] for p in prog.params] == ["read", "read", "write"]
    assert "kernel void add(" in prog.metal_source
    a, b, c = data(N), data(N), np.zeros(N, np.float32)
    prog(a, b, c, device="cpu")
    np.testing.assert_array_equal(c, a + b)


def test_numpy_arguments_become_tensors():
    a, b, c = data(2 * N), data(2 * N), np.zeros(2 * N, np.float32)
    prog = enigma.compile(vector_add, a, b, c)  # Tensors a, b, c at buffer indices 0, 1, 2
    assert prog.grid == (2 * N // 64, 1, 1) and prog.param_names == ["a", "b", "c"]
    prog(a, b, c, device="cpu")
    np.testing.assert_array_equal(c, a + b)


def test_two_launches_run_in_order_on_shared_buffers():
    x, y = data(N), data(N)
    first = enigma.compile(scale_then_add, x, y, 3.0)
    second = enigma.compile(add_then_scale, x, y, 3.0)
    assert [launch.kernel.kernel_name for launch in first.launches] == ["scale", "add"]
    assert first.kernel_name == "scale_then_add" and first.grid is None
    assert first.launches[1].grid == (N // 32, 1, 1) and first.launches[1].threads == (N, 1, 1)
    assert first.param_names == ["x", "y"] and first.params[0]["access"] == "read_write"
    assert "kernel void scale(" in first.metal_source and "kernel void add(" in first.metal_source
    x1, y1 = x.copy(), y.copy()
    first(x1, y1, device="cpu")
    np.testing.assert_allclose(y1, 3 * x + y, rtol=1e-6)
    np.testing.assert_allclose(x1, 3 * x, rtol=1e-6)
    x2, y2 = x.copy(), y.copy()
    second(x2, y2, device="cpu")
    np.testing.assert_allclose(y2, x + y, rtol=1e-6)


def test_scalar_values_are_passed_at_dispatch():
    x, y = data(N), data(N)
    p2 = enigma.compile(scale_then_add, x, y, 2.0)
    p5 = enigma.compile(scale_then_add, x, y, 5.0)
    assert p2 is not p5
    assert p2.launches[0].kernel is p5.launches[0].kernel  # one general MSL for every k
    assert p5.launches[0].arguments == [("buffer", 0), ("scalar", 5.0)]
    x1, y1 = x.copy(), y.copy()
    p5(x1, y1, device="cpu")
    np.testing.assert_allclose(y1, 5 * x + y, rtol=1e-6)


@enigma.jit
def add_two_constants(a, b):
    n = enigma.size(a.layout)
    add_const(a, b, 1).launch(grid=(n // 64,), block=(64,))  # b = a + 1
    add_const(b, b, 2.5).launch(grid=(n // 64,), block=(64,))  # b = a + 3.5
    add_const(a, b, value=1).launch(grid=(n // 64,), block=(64,))  # same specialization


def test_constexpr_values_specialize_with_unique_names():
    a = Tensor("a", 0, f32, Layout(N))
    b = Tensor("b", 1, f32, Layout(N))
    prog = enigma.compile(add_two_constants, a, b)
    names = [launch.kernel.kernel_name for launch in prog.launches]
    assert names == ["add_const", "add_const_1", "add_const"]
    assert prog.launches[0].kernel is prog.launches[2].kernel
    assert "1.0f" in prog.launches[0].kernel.metal_source
    assert "2.5f" in prog.launches[1].kernel.metal_source
    assert prog.metal_source.count("kernel void add_const") == 2  # each kernel shown once
    x, y = data(N), np.zeros(N, np.float32)
    prog(x, y, device="cpu")
    np.testing.assert_allclose(y, x + 1, rtol=1e-6)  # the third launch recomputes a + 1
    again = enigma.compile(add_two_constants, a, b)
    assert again is prog and again.metal_source == prog.metal_source


@enigma.jit
def add_any_dtype(src, dst, value):
    add_const(src, dst, value).launch(grid=(enigma.size(src.layout) // 64,), block=(64,))


def test_tensor_annotation_takes_the_dtype_of_the_tensor():
    src = np.arange(N, dtype=np.int32)
    dst = np.zeros(N, np.int32)
    prog = enigma.compile(add_any_dtype, src, dst, 7)
    assert "device const int* src" in prog.metal_source
    prog(src, dst, device="cpu")
    np.testing.assert_array_equal(dst, src + 7)


def test_strided_tensor_layouts_reach_through_bind():
    # src is every other element of a 2N buffer (N:2); dst is a contiguous window at offset 8.
    src = Tensor("src", 0, f32, Layout(N, 2))
    dst = Tensor("dst", 1, f32, Layout(N, 1), base_offset=8)
    prog = enigma.compile(add_any_dtype, src, dst, 0.5)
    assert prog.buffers[0].extent == 2 * N - 1 and prog.buffers[1].extent == N + 8
    s, d = data(2 * N), np.zeros(N + 8, np.float32)
    prog(s, d, device="cpu")
    np.testing.assert_allclose(d[8:], s[::2] + 0.5, rtol=1e-6)
    np.testing.assert_array_equal(d[:8], 0)


def test_compile_cache_hits_and_retraces_on_a_new_layout():
    vector_add.clear_cache()
    add.clear_cache()
    before = TRACES["add"]
    first = enigma.compile(vector_add, *tensors(512))
    assert enigma.compile(vector_add, *tensors(512)) is first  # no host run, no trace
    assert TRACES["add"] == before + 1
    other = enigma.compile(vector_add, *tensors(1024))  # another layout: another trace
    assert TRACES["add"] == before + 2 and other is not first
    assert other.grid == (16, 1, 1) and first.grid == (8, 1, 1)
    assert other.launches[0].kernel.metal_source == first.launches[0].kernel.metal_source
    assert enigma.compile(vector_add, *tensors(512), keep_metal_source=True) is not first


def test_runtime_execute_and_prepare_run_programs():
    x, y = data(N), data(N)
    prog = enigma.compile(scale_then_add, x, y, 2.0)
    rt = enigma.runtime("cpu")
    out = rt.execute(prog, [x], output_size=y.nbytes)  # y is the trailing (output) buffer
    np.testing.assert_allclose(np.frombuffer(out, np.float32), 2 * x, rtol=1e-6)
    np.testing.assert_array_equal(x, x.copy())  # inputs are copied
    prepared = rt.prepare(prog, [x], output_size=y.nbytes)
    prepared.dispatch()
    np.testing.assert_allclose(prepared.read_output(), 2 * x, rtol=1e-6)
    assert prepared.dispatch_timed() > 0  # both launches again, on the same buffers
    np.testing.assert_allclose(prepared.read_output(), 4 * x + 2 * x, rtol=1e-5)
    prepared.release()


def test_vector_add_integer_tensors_via_execute():
    a = np.arange(N, dtype=np.int32)
    prog = enigma.compile(add_any_dtype, Tensor("a", 0, i32, Layout(N)), a.copy(), -3)
    assert prog.param_names == ["a", "dst"]
    out = enigma.runtime("cpu").execute(prog, [a], output_size=a.nbytes)
    np.testing.assert_array_equal(np.frombuffer(out, np.int32), a - 3)


@pytest.mark.parametrize("shape", [(16, 16), (8, 32)])
def test_two_dimensional_arrays_get_their_strides(shape):
    a = np.zeros(shape, np.float32)
    prog = enigma.compile(add_any_dtype, a, a.copy(), 1.0)
    assert prog.buffers[0].extent == a.size  # row-major (M,N):(N,1) covers the array


@enigma.jit
def twice(x, y, k):
    scale_then_add(x, y, k)  # a jit function called from a jit function runs inline
    scale_then_add(x, y, k)


def test_nested_jit_functions_run_inline():
    x, y = data(N), data(N)
    prog = enigma.compile(twice, x, y, 2.0)
    assert [launch.kernel.kernel_name for launch in prog.launches] == ["scale", "add"] * 2
    x1, y1 = x.copy(), y.copy()
    prog(x1, y1, device="cpu")
    np.testing.assert_allclose(y1, 4 * x + (2 * x + y), rtol=1e-5)


@enigma.kernel
def permute(src: f32, dst: f32, order: Constexpr):
    i = enigma.thread_position_in_grid
    dst[i] = src[order(i)]  # a Layout baked into the trace, called on a traced index


@enigma.jit
def transpose(src, dst, rows, cols):
    order = Layout((rows, cols), (cols, 1))  # element i of dst reads src at order(i)
    permute(src, dst, order).launch(grid=(1,), block=(rows * cols,))


def test_constexpr_layout_is_baked_into_the_trace():
    src, dst = data(4, 8), np.zeros(32, np.float32)
    prog = enigma.compile(transpose, src.reshape(-1), dst, 4, 8)
    prog(src.reshape(-1), dst, device="cpu")
    np.testing.assert_array_equal(dst, src.T.reshape(-1))  # column-major index of a 4x8
    assert enigma.compile(transpose, src.reshape(-1), dst, 4, 8) is prog
    assert enigma.compile(transpose, src.reshape(-1), dst, 8, 4) is not prog
