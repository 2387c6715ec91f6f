"""Launch checks and the runtime objects of the cpu device (SPEC §4 Running, §5).

Every wrong argument is a LaunchError naming the kernel, the parameter and the
fix, raised before anything is built or run; `execute`/`prepare` bind inputs,
Scalars and outputs as the runtime objects of existing Enigma users do.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_cpu_device import reduce_kernel, vector_add

from enigma.errors import EnigmaError, LaunchError
from enigma.runtime import launch, runtime
from enigma.runtime.metal import MetalRuntime

RNG = np.random.default_rng(11)


def add_args(n=16, t=np.float32):
    return np.zeros(n, t), np.zeros(n, t), np.zeros(n, t), n


@pytest.mark.parametrize(
    "args, threads, message",
    [
        (
            add_args()[:3],
            (16,),
            r"kernel `vector_add_float` takes 4 arguments \(a: float, b: float, "
            r"c: float, n: uint\) but 3 were given",
        ),
        (
            (np.zeros(16, np.float64), *add_args()[1:]),
            (16,),
            r"buffer `a` \(float\) of kernel `vector_add_float` got an array of float64",
        ),
        ((np.zeros((4, 8), np.float32)[:, :4], *add_args()[1:]), (16,), r"non-contiguous array"),
        (([0.0] * 16, *add_args()[1:]), (16,), r"got a list, not a numpy array"),
        ((*add_args()[:3], -1), (16,), r"Scalar `n` \(uint\).* got -1, outside uint's range"),
        ((*add_args()[:3], 2.0), (16,), r"Scalar `n` \(uint\).* got 2.0 of type float"),
        (add_args(), (1025,), r"1025 threads per threadgroup; the limit is 1024"),
        (add_args(), (0,), r"threads=\(0,\) for kernel `vector_add_float` is not 1 to 3 positive"),
        (add_args(), (32, 32, 2), r"2048 threads per threadgroup"),
    ],
)
def test_launch_errors_name_the_parameter_and_the_fix(args, threads, message):
    with pytest.raises(LaunchError, match=message) as info:
        launch(vector_add("float"), args, grid=(16,), threads=threads, device="cpu")
    assert "fix:" in str(info.value)


def test_bf16_buffer_wants_uint16_bits():
    a = np.zeros(8, np.float32)
    with pytest.raises(LaunchError, match=r"float_to_bfloat16_bits"):
        launch(vector_add("bfloat"), (a, a, a, 8), grid=(8,), threads=(8,))


def test_read_only_output_is_refused():
    c = np.zeros(16, np.float32)
    c.flags.writeable = False
    with pytest.raises(
        LaunchError, match="`c` .* is written by the kernel but the array is read-only"
    ):
        launch(vector_add("float"), (c.copy(), c.copy(), c, 16), grid=(16,), threads=(16,))


def test_metal_runtime_off_macos_points_at_the_cpu_device():
    with pytest.raises(EnigmaError, match=r'enigma\.runtime\("cpu"\)'):
        MetalRuntime()


# --- runtime objects --------------------------------------------------------------------------


def test_execute_returns_output_bytes():
    a, b = np.arange(100, dtype=np.float32), np.ones(100, np.float32)
    rt = runtime("cpu")
    out = rt.execute(
        vector_add("float"), [a, b], a.nbytes, grid=(100,), threads=(32,), scalars={"n": 100}
    )
    np.testing.assert_array_equal(np.frombuffer(out, np.float32), a + 1)
    both = rt.execute(
        vector_add("float"),
        [a, b.tobytes()],
        grid=(100,),
        threads=(32,),
        scalars=[100],
        output_sizes=[a.nbytes],
    )
    assert both == [out]


def test_execute_does_not_write_into_inputs():
    kernel = reduce_kernel("reduce_in_place")  # writes threadgroup memory, reads x only
    kernel.params[0]["access"] = "read_write"
    x = np.ones(256, np.float32)
    out = runtime("cpu").execute(kernel, [x], 4, grid=(256,), threads=(256,))
    assert np.frombuffer(out, np.float32)[0] == 256
    assert (x == 1).all()


def test_prepared_kernel_dispatches_repeatedly():
    n = 4096
    a = RNG.standard_normal(n).astype(np.float32)
    prepared = runtime("cpu").prepare(
        vector_add("float"), [a, a], n * 4, grid=(n,), threads=(256,), scalars={"n": n}
    )
    prepared.dispatch()
    micros = prepared.dispatch_timed()
    assert micros > 0
    np.testing.assert_array_equal(prepared.read_output(), a + a)
    assert prepared.read_output("uint").dtype == np.uint32
    prepared.dispatch(grid=(10,), threads=(10,))
    prepared.release()
    with pytest.raises(EnigmaError, match="was released"):
        prepared.dispatch()


def test_execute_checks_output_sizes():
    a = np.zeros(4, np.float32)
    with pytest.raises(LaunchError, match=r"has 1 output buffers \(c\) but 0 output sizes"):
        runtime("cpu").execute(vector_add("float"), [a, a], grid=(4,), threads=(4,), scalars=[4])
    with pytest.raises(LaunchError, match=r"was given 6 bytes, not a multiple of 4"):
        runtime("cpu").execute(vector_add("float"), [a, a], 6, grid=(4,), threads=(4,), scalars=[4])
