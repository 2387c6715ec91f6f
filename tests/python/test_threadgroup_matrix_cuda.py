"""Launch shapes of threadgroup-matrix kernels on the cuda device, over the fake driver.

A kernel with R-row threadgroup matrices needs threadgroups of exactly (2R + 128, 1, 1) threads
and a grid of whole threadgroups; the cuda runtime refuses anything else before it
launches (launch_shape on the direct and prepared paths, check_threads on every path,
@enigma.jit programs included). A direct call is refused before the kernel is even
compiled, which is what runs here over test_runtime_cuda.py's fake driver.
"""

import numpy as np
import pytest
from fake_cuda_driver import fake_runtime
from test_runtime_cuda import needs_nvrtc

import enigma
from enigma import f32
from enigma.errors import LaunchError
from enigma.runtime.cuda import tensor_map


@enigma.kernel
def tgm_fill_store(c: f32):
    acc = enigma.make_filled_threadgroup_matrix(f32, 1.0, rows=64, cols=64)
    enigma.threadgroup_matrix_store(acc, c, 64)


@pytest.fixture
def fake():
    yield from fake_runtime({})


@needs_nvrtc
def test_fake_cuda_refuses_threadgroups_other_than_2r_plus_128(fake):
    fake_driver, rt = fake
    ck = enigma.compile(tgm_fill_store)
    assert ck.required_threads == 256
    c = np.zeros(64 * 64, np.float32)
    with pytest.raises(LaunchError, match=r"need exactly \(256, 1, 1\) threads"):
        rt.launch(ck, [c], (256, 1, 1), (128, 2, 1))
    with pytest.raises(LaunchError, match="grid x is not a multiple of 256"):
        rt.launch(ck, [c], (384, 1, 1), (256, 1, 1))
    with pytest.raises(LaunchError, match=r"threads=\(256, 1, 1\)") as e:
        rt.launch(ck, [c], (256, 1, 1), (128, 1, 1))
    assert "128 that stage its tiles" in str(e.value)
    assert not fake_driver.launches


@pytest.fixture
def fake_with_model():
    yield from fake_runtime({"tgm_fill_store": lambda driver, params: None})


@needs_nvrtc
def test_fake_cuda_launches_with_the_module_dynamic_shared_memory(fake_with_model, monkeypatch):
    fake_driver, rt = fake_with_model
    shared = 66_880  # what an sm_90a module of 64 x 64 matrices declares
    fake_driver.initial["enigma_dynamic_shared_bytes"] = shared.to_bytes(4, "little")
    monkeypatch.setattr(tensor_map, "template", lambda: bytes(range(128)))
    ck = enigma.compile(tgm_fill_store)
    c = np.zeros(64 * 64, np.float32)
    rt.launch(ck, [c], (256, 1, 1), (256, 1, 1))  # direct, numpy
    prepared = rt.prepare(ck, [], c.nbytes, grid=(512, 1, 1), threads=(256, 1, 1))
    prepared.dispatch()
    assert fake_driver.shared == [shared, shared]
    assert [a[1:] for a in fake_driver.attributes] == [("max_dynamic_shared", shared)]
    pointer, size = fake_driver.globals[tensor_map.TEMPLATE_SYMBOL]
    assert bytes(fake_driver.memory[pointer][:size]) == bytes(range(128))
    prepared.release()


@needs_nvrtc
def test_fake_cuda_off_sm_90a_has_no_dynamic_shared_memory(fake_with_model):
    fake_driver, rt = fake_with_model  # the module declares 0 bytes (the per-thread product)
    ck = enigma.compile(tgm_fill_store)
    rt.launch(ck, [np.zeros(64 * 64, np.float32)], (256, 1, 1), (256, 1, 1))
    assert fake_driver.shared == [0] and not fake_driver.attributes
    assert tensor_map.TEMPLATE_SYMBOL not in fake_driver.globals
