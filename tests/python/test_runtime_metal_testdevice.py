"""MetalRuntime end to end on Linux, through the real libEnigmaRuntime and its test device.

The test device runs cpu-device kernel objects behind the same C ABI a Mac's
GPU sits behind, so everything Python does for the metal device -- marshalling
buffers and Scalars, function constants, several outputs, device-resident
buffers, timing, release, @enigma.jit programs, the direct call and every
error path -- runs here against the built library. These tests never skip: a
missing libEnigmaRuntime is a failure of the build (`make build` builds it
where Swift exists; ENIGMA_METAL_RUNTIME points at another build).
"""

from __future__ import annotations

import mmap

import metal_checks
import numpy as np
import pytest
from test_cpu_device import _TRAPS_ON_DIVISION, FakeKernel, buffer, faulting_kernel, vector_add

import enigma
from enigma.errors import EnigmaError, LaunchError
from enigma.runtime import _runtimes
from enigma.runtime import runtime as get_runtime
from enigma.runtime.metal import MetalRuntime, library
from enigma.runtime.metal.handles import Device


@pytest.fixture(scope="module")
def rt():
    return MetalRuntime._for_testing()


@pytest.mark.parametrize("check", metal_checks.ALL_CHECKS, ids=lambda c: c.__name__[6:])
def test_core_checks(rt, check):
    check(rt)


def test_test_device_capabilities(rt):
    caps = metal_checks.check_capabilities(rt)
    assert caps["gpu_family"] == "test" and caps["max_threads_per_threadgroup"] == 1024
    assert rt.kind == "test" and rt.device == "metal"


@pytest.mark.parametrize(
    "t, np_dtype", [("float", np.float32), ("half", np.float16), ("uint", np.uint32)]
)
def test_buffers_of_several_dtypes(rt, t, np_dtype):
    kernel = vector_add(t)
    a = np.arange(300).astype(np_dtype)
    b = np.full(300, 2).astype(np_dtype)
    out = rt.execute(kernel, [a, b], a.nbytes, grid=(300,), threads=(32,), scalars=[300])
    np.testing.assert_array_equal(np.frombuffer(out, np_dtype), a + b)


class ArrayLike:
    """An array object that is not numpy (as an MLX array is): converted through __array__."""

    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)


def test_array_objects_convert_through_numpy(rt):
    a = np.arange(64, dtype=np.float32)
    like = ArrayLike(a)
    out = rt.execute(vector_add("float"), [like, like], a.nbytes, grid=(64,), threads=(64,),
                     scalars=[64])  # fmt: skip
    np.testing.assert_array_equal(np.frombuffer(out, np.float32), 2 * a)
    with pytest.raises(LaunchError, match=r"got a list, not a numpy array"):
        rt.execute(vector_add("float"), [[0.0] * 64, a], a.nbytes, grid=(64,), threads=(64,))


def test_libraries_and_pipelines_are_cached_per_kernel(rt):
    a = np.ones(32, np.float32)
    kernel = vector_add("float")
    rt.execute(kernel, [a, a], a.nbytes, grid=(32,), threads=(32,), scalars=[32])
    before = (rt.stats.libraries, rt.stats.pipelines)
    same = vector_add("float")  # another object with the same name and MSL
    rt.execute(same, [a, a], a.nbytes, grid=(32,), threads=(32,), scalars=[32])
    assert (rt.stats.libraries, rt.stats.pipelines) == before


def page_aligned(n: int, dtype) -> np.ndarray:
    """A zeroed array of `n` elements that starts on a page boundary."""
    itemsize = np.dtype(dtype).itemsize
    raw = np.zeros(n * itemsize + mmap.PAGESIZE, np.uint8)
    start = -raw.ctypes.data % mmap.PAGESIZE
    return raw[start : start + n * itemsize].view(dtype)


@pytest.fixture
def metal_is_the_test_device(monkeypatch):
    """`enigma.runtime("metal")` and device="metal" on the test device, for one test."""
    monkeypatch.setenv("ENIGMA_METAL_TEST_DEVICE", "1")
    monkeypatch.delitem(_runtimes, "metal", raising=False)
    yield get_runtime("metal")
    _runtimes.pop("metal", None)


def test_direct_call_with_device_metal(metal_is_the_test_device):
    rt = metal_is_the_test_device
    assert isinstance(rt, MetalRuntime) and rt.kind == "test"
    ck = enigma.compile(metal_checks.scale_in_place)
    x = np.arange(100, dtype=np.float32)
    ck(x, 3.0, grid=(100,), threads=(32,), device="metal")
    np.testing.assert_array_equal(x, np.arange(100, dtype=np.float32) * 3)
    # Page-aligned arrays of whole pages are wrapped: the kernel writes the array itself.
    n = mmap.PAGESIZE // 4
    y = page_aligned(n, np.float32)
    y[:] = 1
    uploads, downloads = rt.stats.uploads, rt.stats.downloads
    ck(y, 5.0, grid=(n,), threads=(256,), device="metal")
    np.testing.assert_array_equal(y, 5)
    assert (rt.stats.uploads, rt.stats.downloads) == (uploads, downloads)


def test_direct_call_of_a_program_with_device_metal(metal_is_the_test_device):
    x, y = metal_checks.data(256), metal_checks.data(256)
    prog = enigma.compile(metal_checks.scale_then_add, x, y, 2.0)
    want_x, want_y = 2 * x, 2 * x + y
    prog(x, y, device="metal")
    np.testing.assert_allclose(x, want_x, rtol=1e-6)
    np.testing.assert_allclose(y, want_y, rtol=1e-6)


# --- errors ------------------------------------------------------------------------------------


def test_metal_runtime_off_macos_without_the_test_device(monkeypatch):
    monkeypatch.delenv("ENIGMA_METAL_TEST_DEVICE", raising=False)
    with pytest.raises(EnigmaError, match=r"not a Mac(.|\n)*enigma\.runtime\(\"cpu\"\)"):
        MetalRuntime()
    assert not enigma.testing.is_metal_available()


def test_missing_library_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setenv("ENIGMA_METAL_RUNTIME", str(tmp_path / "nope.so"))
    with pytest.raises(EnigmaError, match=r"ENIGMA_METAL_RUNTIME=.*nope\.so is not a file"):
        library.library_path()
    monkeypatch.delenv("ENIGMA_METAL_RUNTIME")
    monkeypatch.setattr(enigma, "__path__", [str(tmp_path)])
    with pytest.raises(EnigmaError, match=r"libEnigmaRuntime\.\w+\) is missing(.|\n)*make build"):
        library.library_path()


def test_argument_errors_come_before_the_device(rt):
    a = np.zeros(16, np.float32)
    kernel = vector_add("float")
    uploads = rt.stats.uploads
    cases = [
        (dict(inputs=[a, a, a, 16, a]), r"has 4 parameters but 5 inputs were given"),
        (
            dict(inputs=[a.astype(np.float64), a]),
            r"buffer `a` \(float\) .* got an array of float64",
        ),
        (dict(inputs=[a, a], scalars={"n": -1}), r"Scalar `n` \(uint\).* got -1, outside"),
        (dict(inputs=[a, a], scalars={"n": 16}, output_sizes=[]), r"1 output buffers"),
        (dict(inputs=[a, a], scalars={"n": 16}, threads=(1025,)), r"the limit is 1024"),
        (dict(inputs=[a, a], scalars={"n": 1}, constants={0: 1}), r"no function constant 0"),
    ]
    for given, message in cases:
        args = dict(output_size=a.nbytes, grid=(16,), threads=(16,)) | given
        with pytest.raises(LaunchError, match=message):
            rt.execute(kernel, args.pop("inputs"), **args)
    assert rt.stats.uploads == uploads


def test_threadgroup_larger_than_the_pipeline_allows(rt):
    a = np.zeros(256, np.float32)
    kernel = vector_add("float")
    prepared = rt.prepare(kernel, [a, a], a.nbytes, grid=(256,), scalars=[256])
    pipeline = rt.pipeline(kernel)
    limit = pipeline.info["max_total_threads_per_threadgroup"]
    try:  # as a Metal pipeline with many registers reports a lower limit than the device's
        pipeline.info["max_total_threads_per_threadgroup"] = 64
        message = (
            r"128 threads per threadgroup; on the test device this kernel's pipeline allows"
            r" at most 64(.|\n)*threads=\(64, 1, 1\)"
        )
        with pytest.raises(LaunchError, match=message):
            prepared.dispatch(threads=(128,))
        uploads = rt.stats.uploads
        with pytest.raises(LaunchError, match=r"allows at most 64"):
            rt.prepare(kernel, [a, a], a.nbytes, grid=(256,), threads=(128,), scalars=[256])
        assert rt.stats.uploads == uploads  # refused before any buffer was made
    finally:
        pipeline.info["max_total_threads_per_threadgroup"] = limit
    prepared.dispatch(threads=(128,))
    prepared.release()


def test_threadgroup_memory_beyond_the_device(rt):
    kernel = vector_add("float")
    big = FakeKernel("tg_hungry", kernel.metal_source, kernel.params)
    big.threadgroup_memory_bytes = 65536
    libraries = rt.stats.libraries
    a = np.zeros(4, np.float32)
    with pytest.raises(LaunchError, match=r"`tg_hungry` uses 65536 bytes of threadgroup memory;"
                       r" the test device .* has 32768"):  # fmt: skip
        rt.execute(big, [a, a], a.nbytes, grid=(4,), threads=(4,), scalars=[4])
    assert rt.stats.libraries == libraries  # refused before loading anything


def test_update_input_errors(rt):
    a = np.zeros(16, np.float32)
    prepared = rt.prepare(vector_add("float"), [a, a], a.nbytes, grid=(16,), threads=(16,),
                          scalars=[16])  # fmt: skip
    with pytest.raises(LaunchError, match=r"got 32 bytes; its device buffer holds 64"):
        prepared.update_input("a", np.zeros(8, np.float32))
    with pytest.raises(LaunchError, match=r"`n` of kernel `vector_add_float` is a Scalar"):
        prepared.update_input("n", 3)
    with pytest.raises(LaunchError, match=r"no parameter 'q'(.|\n)*fix: name a buffer parameter:"
                       r" a, b, c"):  # fmt: skip
        prepared.update_input("q", a)
    with pytest.raises(LaunchError, match=r"got an array of int32"):
        prepared.update_input(1, np.zeros(16, np.int32))
    prepared.release()


@_TRAPS_ON_DIVISION
def test_kernel_faults_surface_with_the_kernel_name(rt):
    kernel = faulting_kernel("divide_md", "x[v0] = 1000 / x[v0];", False)
    x = np.arange(-3, 61, dtype=np.int32)
    with pytest.raises(EnigmaError, match=r"running kernel `divide_md` on the test device failed:"
                       r" .*integer division by zero(.|\n)*fix:"):  # fmt: skip
        rt.execute(kernel, [], x.nbytes, grid=(64,), threads=(16,))


def test_library_errors_name_the_problem(rt, tmp_path):
    device: Device = rt._device
    with pytest.raises(EnigmaError, match=r"runs cpu-device kernel objects, not MSL source"):
        device.library_from_source(vector_add("float").metal_source)
    junk = tmp_path / "junk.so"
    junk.write_bytes(b"not an object")
    with pytest.raises(
        EnigmaError,
        match=r"cannot load the kernel library .*junk\.so: .* as a cpu-device kernel object",
    ):
        device.library_from_file(str(junk))
    with pytest.raises(EnigmaError, match=r"cannot load a kernel library of 13 bytes"):
        device.library_from_bytes(b"not an object")
    from enigma.runtime.cpu.build import build_object

    path, _ = build_object(vector_add("float"))
    lib = device.library_from_bytes(path.read_bytes())  # the bytes of an object load too
    with pytest.raises(EnigmaError, match=r"pipeline of function `nope`: no kernel function"
                       r" `nope` in the kernel object: it holds `vector_add_float`"):  # fmt: skip
        lib.pipeline("nope")
    assert lib.pipeline("vector_add_float").info["thread_execution_width"] == 32
    lib.release()


def test_buffer_errors(rt):
    device: Device = rt._device
    with pytest.raises(EnigmaError, match=r"cannot wrap 100 bytes(.|\n)*page-aligned"):
        device.wrap(np.zeros(64, np.uint8).ctypes.data, 100)
    buf = device.buffer(16)
    assert buf.device_length() == 16
    with pytest.raises(EnigmaError, match=r"uploading 32 bytes at offset 0 failed"):
        buf.upload(np.zeros(8, np.float32))
    out = np.zeros(2, np.float32)
    buf.upload(np.array([1.5, 2.5], np.float32), offset=8)
    buf.download_into(out, offset=8)
    np.testing.assert_array_equal(out, [1.5, 2.5])
    buf.release()
    with pytest.raises(EnigmaError, match=r"this buffer of libEnigmaRuntime was released"):
        buf.download_into(out)


def test_wrong_buffer_kind_of_the_cpu_device_is_refused(rt):
    kernel = FakeKernel("bool_vectors", "", [buffer("m", "bool4", 0)])
    with pytest.raises(LaunchError, match=r"cannot lay out as Metal does"):
        rt.execute(kernel, [], 16, grid=(4,), threads=(4,))
