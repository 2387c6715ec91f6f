"""`@enigma.jit` misuse: each mistake is an EnigmaError at the user's line, with a fix.

The offending line of each jit function is tagged `# <tag>` (tagged_errors.py).
Nothing here runs a kernel except the buffer-size checks, which fail before launch.
"""

import os

import numpy as np
import pytest
from tagged_errors import line_of

import enigma
from enigma import EnigmaError, Layout, Scalar, Tensor, f16, f32, i32

HERE = os.path.abspath(__file__)


@enigma.kernel
def copy(src: f32, dst: f32):
    i = enigma.thread_position_in_grid
    dst[i] = src[i]


@enigma.kernel
def fill(out: f32, value: Scalar(f32)):
    out[enigma.thread_position_in_grid] = value


def t(name="a", index=0, dtype=f32, n=64):
    return Tensor(name, index, dtype, Layout(n))


def compile_error(jit_fn, *args, tag: str, fragments=()) -> str:
    """Compiling `jit_fn(*args)` fails at the line tagged `tag` with `fragments` and a fix."""
    with pytest.raises(EnigmaError) as info:
        enigma.compile(jit_fn, *args)
    text = str(info.value)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert f"at {HERE}:{line_of(HERE, tag)}\n" in text, text
    assert "fix:" in text, text
    return text


def test_jit_function_that_launches_nothing():
    @enigma.jit
    def nothing(a):  # <nothing>
        enigma.size(a.layout)

    compile_error(nothing, t(), tag="nothing", fragments=["`nothing` launched no kernel"])


def test_kernel_called_but_not_launched_and_return_values():
    @enigma.jit
    def forgot(a, b):
        copy(a, b)  # <forgot>

    compile_error(forgot, t(), t("b", 1), tag="forgot", fragments=["never launched", ".launch("])

    @enigma.jit
    def returns(a, b):  # <returns>
        copy(a, b).launch(grid=1, block=64)
        return 1

    compile_error(returns, t(), t("b", 1), tag="returns", fragments=["returned a value"])


@pytest.mark.parametrize(
    "grid, block, fragment",
    [
        ((0, 1, 1), (64,), "not positive"),
        ((1, 1, 1, 1), (64,), "not 1 to 3 integers"),
        ((1,), (64, 32), "2048 threads per threadgroup; the limit is 1024"),
        ((1.5,), (64,), "not 1 to 3 integers"),
        ((1,), (-4,), "not positive"),
        ((True,), (64,), "not 1 to 3 integers"),
        ((1,), None, "needs a grid and a block"),
    ],
)
def test_bad_grid_or_block(grid, block, fragment):
    @enigma.jit
    def bad(a, b):
        copy(a, b).launch(grid=grid, block=block)  # <bad-shape>

    compile_error(bad, t(), t("b", 1), tag="bad-shape", fragments=[fragment])


def test_kernel_called_outside_a_jit_function():
    with pytest.raises(EnigmaError) as info:
        copy(t(), t("b", 1))
    text = str(info.value)
    assert "kernel `copy` cannot be called directly" in text
    assert "enigma.compile(copy)" in text and "@enigma.jit" in text


def test_jit_function_called_or_compiled_with_wrong_arguments():
    @enigma.jit
    def one(a, b):
        copy(a, b).launch(grid=1, block=64)

    with pytest.raises(EnigmaError, match="runs when it is compiled") as info:
        one(t(), t("b", 1))  # <call-jit>
    assert f"{HERE}:{line_of(HERE, 'call-jit')}" in str(info.value)
    with pytest.raises(EnigmaError, match="compiled with the wrong arguments") as info:
        enigma.compile(one, t())  # <compile-args>
    assert f"{HERE}:{line_of(HERE, 'compile-args')}" in str(info.value)


def test_wrong_argument_count_and_types_at_launch():
    @enigma.jit
    def too_few(a):
        copy(a).launch(grid=1, block=64)  # <too-few>

    compile_error(
        too_few, t(), tag="too-few", fragments=["wrong arguments", "copy(src: enigma.f32"]
    )

    @enigma.jit
    def not_a_tensor(a, n):
        copy(a, n).launch(grid=1, block=64)  # <not-tensor>

    compile_error(not_a_tensor, t(), 4, tag="not-tensor", fragments=["argument `dst`", "not int 4"])

    @enigma.jit
    def not_a_number(a):
        fill(a, "one").launch(grid=1, block=64)  # <not-number>

    compile_error(
        not_a_number, t(), tag="not-number", fragments=["Scalar `value`", "'one'", "Constexpr"]
    )

    @enigma.jit
    def out_of_range(a, b):
        spread(a, b, 2**40).launch(grid=1, block=64)  # <range>

    compile_error(out_of_range, t(), t("b", 1), tag="range", fragments=["outside int's range"])


@enigma.kernel
def spread(src: f32, dst: f32, stride: Scalar(i32)):
    i = enigma.thread_position_in_grid
    dst[i * stride] = src[i]


def test_tensor_dtype_must_match_the_parameter():
    @enigma.jit
    def mismatch(a, b):
        copy(a, b).launch(grid=1, block=64)  # <dtype>

    compile_error(
        mismatch,
        t(),
        t("b", 1, f16),
        tag="dtype",
        fragments=["`dst` of kernel `copy` is a float buffer but Tensor `b` holds half"],
    )


def test_one_buffer_index_with_two_dtypes():
    @enigma.jit
    def alias(a, b):
        c = Tensor("c", 1, i32, Layout(64))
        copy(a, b).launch(grid=1, block=64)
        any_copy(a, c).launch(grid=1, block=64)  # <alias>

    compile_error(
        alias,
        t(),
        t("b", 1),
        tag="alias",
        fragments=[
            "Tensor `c` (int) has buffer_index 1",
            "Tensor `b` (float) already names (bound at test_jit_errors.py:",
        ],
    )

    @enigma.jit
    def two_args(a, b, c):
        copy(a, b).launch(grid=1, block=64)

    with pytest.raises(EnigmaError, match="the arguments disagree: Tensor `c` .int.") as info:
        enigma.compile(two_args, t(), t("b", 1), t("c", 1, i32))  # <alias-args>
    assert f"{HERE}:{line_of(HERE, 'alias-args')}" in str(info.value)
    with pytest.raises(EnigmaError, match="buffer_index None, which names no program buffer"):
        enigma.compile(two_args, t(), t("b", 1), t("c", None))


@enigma.kernel
def any_copy(src: enigma.Tensor, dst: enigma.Tensor):
    i = enigma.thread_position_in_grid
    dst[i] = src[i]


def test_unhashable_constexpr_and_jit_only_kernels_compiled_alone():
    @enigma.kernel
    def needs_value(out: f32, n: enigma.Constexpr):
        out[0] = n

    @enigma.jit
    def unhashable(a):
        needs_value(a, [1, {2}]).launch(grid=1, block=1)  # <unhashable>

    compile_error(unhashable, t(), tag="unhashable", fragments=["argument `n`", "set"])
    with pytest.raises(EnigmaError, match="only an @enigma.jit launch can give a value"):
        enigma.compile(needs_value)


def test_trace_errors_name_the_launch_line():
    @enigma.kernel
    def broken(a: f32):
        a[0] = a  # <kernel-line>

    @enigma.jit
    def launches_broken(a):
        broken(a).launch(grid=1, block=1)  # <launch-line>

    text = compile_error(launches_broken, t(), tag="kernel-line", fragments=["is a view"])
    assert f"for the launch at {HERE}:{line_of(HERE, 'launch-line')}" in text


def test_view_past_the_tensor_points_at_the_jit_line():
    # A view that reaches past its argument is an error unless a divide rounded the tensor
    # up to whole tiles (then the kernel masks the partial tile: test_tensor_predication).
    @enigma.jit
    def over_viewed(a, b):
        wide = enigma.tensor_composition(a, Layout(128))
        copy(wide, b).launch(grid=1, block=64)  # <launch-tiles>

    compile_error(
        over_viewed,
        t(),
        t("b", 1),
        tag="launch-tiles",
        fragments=["reaches element 127, past the 64 elements of the Tensor argument `a`"],
    )


@enigma.jit
def copy_all(a, b):
    copy(a, b).launch(grid=(enigma.size(a.layout) // 64,), block=(64,))


def test_running_with_arrays_smaller_than_the_layouts():
    src = Tensor("src", 0, f32, Layout(64, 2))  # reaches element 126
    prog = enigma.compile(copy_all, src, t("dst", 1))
    with pytest.raises(EnigmaError) as info:
        prog(np.zeros(126, np.float32), np.zeros(64, np.float32), device="cpu")
    text = str(info.value)
    assert "buffer `src` (float) of `copy` holds 126 elements" in text
    assert "reach element 126" in text and "at least 127 float elements" in text
    with pytest.raises(EnigmaError, match="buffer `dst` .* holds 32 elements"):
        enigma.runtime("cpu").execute(prog, [np.zeros(127, np.float32)], output_size=128)


def test_programs_take_no_grid_or_threads():
    prog = enigma.compile(copy_all, t("src"), t("dst", 1))
    a, b = np.zeros(64, np.float32), np.zeros(64, np.float32)
    with pytest.raises(EnigmaError, match="takes no grid= or threads="):
        prog(a, b, grid=(64, 1, 1), threads=(64, 1, 1), device="cpu")
    prepared = enigma.runtime("cpu").prepare(prog, [a], output_size=b.nbytes)
    with pytest.raises(EnigmaError, match="takes no grid= or threads="):
        prepared.dispatch(grid=(64,), threads=(64,))
    with pytest.raises(EnigmaError, match="takes no scalars="):
        enigma.runtime("cpu").prepare(prog, [a], output_size=b.nbytes, scalars=[1])
    with pytest.raises(EnigmaError, match="no kernel of `copy` reads function constant 3"):
        prog(a, b, device="cpu", constants={3: 1})


def test_host_errors_without_a_location_get_the_jit_line():
    @enigma.jit
    def asks_for_double(a, b):
        enigma.dtype("double")  # <host-error>
        copy(a, b).launch(grid=1, block=64)

    compile_error(asks_for_double, t(), t("b", 1), tag="host-error", fragments=["64-bit float"])


def test_launch_after_the_jit_function_returned():
    kept = []

    @enigma.jit
    def keeps_call(a, b):
        kept.append(copy(a, b))
        kept[0].launch(grid=1, block=64)

    enigma.compile(keeps_call, t(), t("b", 1))
    with pytest.raises(EnigmaError, match="launched after its @enigma.jit function returned") as e:
        kept[0].launch(grid=1, block=64)  # <late>
    assert f"{HERE}:{line_of(HERE, 'late')}" in str(e.value)
