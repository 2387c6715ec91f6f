"""Misuse of the kernel language: each mistake is an EnigmaError with the user's line and a fix.

Every case defines its kernel here, tags the offending line with `# <tag>` and
checks the message text and that the rendered error points at that line of
this file.
"""

import math
import os

import numpy as np
import pytest

import enigma
from enigma import Scalar, f32, i32, u8, u32
from enigma.errors import EnigmaError

FILE = os.path.abspath(__file__)


def line_of(tag: str) -> int:
    with open(FILE) as f:
        for number, text in enumerate(f, 1):
            if text.rstrip().endswith(f"# <{tag}>"):
                return number
    raise AssertionError(f"no line tagged {tag}")


def check(excinfo, tag: str, *fragments: str, fix: bool = True) -> None:
    """The error names each fragment, points at the tagged line and (usually) says the fix."""
    text = str(excinfo.value)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert f"at {FILE}:{line_of(tag)}\n" in text, f"line {line_of(tag)} not in:\n{text}"
    if fix:
        assert "fix:" in text, text


def trace_error(fn) -> pytest.ExceptionInfo:
    kernel = enigma.kernel(fn)
    with pytest.raises(EnigmaError) as excinfo:
        kernel.trace()
    return excinfo


# --- Python control flow on traced values ---------------------------------------------------------


def test_python_if_on_traced_value():
    def k(a: f32):
        i = enigma.thread_position_in_grid
        if a[i] > 0:  # <py-if>
            a[i] = 0.0

    check(trace_error(k), "py-if", "has no truth value", "enigma.if_")


def test_python_and_or_not_while():
    def k_and(a: f32):
        i = enigma.thread_position_in_grid
        a[i] = (a[i] > 0) and (a[i] < 1)  # <py-and>

    def k_not(a: f32):
        a[0] = not a[1] > 0  # <py-not>

    def k_while(a: f32):
        while a[0] > 0:  # <py-while>
            a[0] = 0.0

    check(trace_error(k_and), "py-and", "`and`", "&")
    check(trace_error(k_not), "py-not", "has no truth value")
    check(trace_error(k_while), "py-while", "enigma.while_")


def test_python_range_iteration_and_conversions():
    def k_range(a: f32, n: Scalar(u32)):
        for i in range(n):  # <py-range>
            a[i] = 0.0

    def k_iter(a: f32):
        for _ in a[0]:  # <py-iter>
            pass

    def k_int(a: f32):
        a[0] = float(a[1])  # <py-float>

    check(trace_error(k_range), "py-range", "where Python needs an int", "enigma.for_range")
    check(trace_error(k_iter), "py-iter", "cannot iterate over a traced value")
    check(trace_error(k_int), "py-float", "no Python float value", "metal_cast")


# --- parameters -----------------------------------------------------------------------------------


def test_unannotated_parameter_fails_at_decoration():
    with pytest.raises(EnigmaError) as e:

        @enigma.kernel
        def k(a: f32, n):  # <no-annotation>
            pass

    check(e, "no-annotation", "parameter `n` of kernel `k` has no type annotation", "Scalar")


@pytest.mark.parametrize("annotation", [np.float64, float, "double"])
def test_float64_parameter(annotation):
    def k(a: f32, b):  # <f64>
        pass

    k.__annotations__["b"] = annotation
    with pytest.raises(EnigmaError) as e:
        enigma.kernel(k).trace()
    check(e, "f64", "parameter `b`", "64-bit float", "enigma.f32")


@pytest.mark.parametrize(
    "annotation, problem",
    [
        (list, "annotated with `list`, which is not an Enigma type"),
        (int, "annotated with `int`, which is not an Enigma type"),
        ("not_a_type", "type 'not_a_type' is not an Enigma type"),
        (enigma.Scalar, "annotated with Scalar but no dtype"),
    ],
)
def test_non_dtype_annotation(annotation, problem):
    def k(a):  # <bad-annotation>
        pass

    k.__annotations__["a"] = annotation
    with pytest.raises(EnigmaError) as e:
        enigma.kernel(k).trace()
    check(e, "bad-annotation", "parameter `a` of kernel `k`", problem)


def test_kernel_called_directly_or_returning_a_value():
    @enigma.kernel
    def k(a: f32):  # <called>
        return a[0]

    with pytest.raises(EnigmaError) as e:
        k(np.zeros(4, np.float32))
    check(e, "called", "cannot be called directly", "enigma.compile(k)")
    with pytest.raises(EnigmaError) as e:
        k.trace()
    check(e, "called", "returned a value", "out[i] = value")


# --- conversions ---------------------------------------------------------------------------------


def test_float_literal_meets_integer_value():
    def k(a: i32):
        i = enigma.thread_position_in_grid
        a[i] = a[i] * 1.5  # <float-lit>

    check(trace_error(k), "float-lit", "Python float", "value of type `int`", "operator `*`")


def test_bool_arithmetic():
    def k(a: f32):
        i = enigma.thread_position_in_grid
        a[i] = a[i] + (i < 3)  # <bool-arith>

    check(trace_error(k), "bool-arith", "arithmetic and cannot take a bool", "`float`", "`bool`")


def test_float_bitwise():
    def k(a: f32):
        a[0] = a[0] & a[1]  # <float-and>

    check(trace_error(k), "float-and", "needs integer or bool operands", "`float` & `float`")


def test_vector_lane_mismatch():
    def k(a: enigma.float4, b: enigma.float2):
        a[0] = a[0] + b[0]  # <lanes>

    check(trace_error(k), "lanes", "cannot combine `float4` and `float2`", "vectors of 4 and 2")


def test_int_literal_out_of_range():
    def k(a: u8):
        a[0] = a[0] + 300  # <range>

    check(trace_error(k), "range", "`300` is out of range of `uchar` (0..255)")


def test_shift_amount_out_of_range():
    def k(a: u32):
        a[0] = a[0] << 32  # <shift>

    check(trace_error(k), "shift", "shift amount 32 is out of range for `uint`", fix=False)


def test_integer_power_needs_constant_exponent():
    def k(a: i32):
        a[0] = a[0] ** a[1]  # <ipow>

    check(trace_error(k), "ipow", "integer `**` needs a non-negative Python int exponent")


def test_store_float_literal_into_int_buffer():
    def k(a: i32):
        a[0] = 2.5  # <store-lit>

    check(trace_error(k), "store-lit", "Python float", "`int`")


def test_non_number_operand():
    def k(a: f32):
        a[0] = a[0] + "1"  # <str>

    check(trace_error(k), "str", "'1' (a Python str) is not a number")


def test_buffer_used_as_value():
    def k(a: f32, b: f32):
        b[0] = a + 1.0  # <buffer-value>

    check(trace_error(k), "buffer-value", "`a` is a buffer, not a value", "a[i]")


def test_non_integer_index():
    def k(a: f32):
        a[a[0]] = 1.0  # <float-index>

    check(trace_error(k), "float-index", "needs an integer index, not a `float`")


def test_lane_access_on_scalar():
    def k(a: f32):
        a[0] = a[1].x  # <dot-x>

    check(trace_error(k), "dot-x", "`.x` reads vector lanes", "scalar `float`")


# --- queries and memory --------------------------------------------------------------------------


def test_bad_dim():
    def k(a: u32):
        a[0] = enigma.threads_per_grid("w")  # <dim>

    check(trace_error(k), "dim", "`threads_per_grid` has no dimension 'w'", '"x", "y" or "z"')


def test_bad_barrier_flags():
    def k(a: f32):
        enigma.barrier("mem_shared")  # <flags>

    check(
        trace_error(k),
        "flags",
        "unknown memory flags 'mem_shared'",
        '"mem_none"',
        '"mem_device_and_threadgroup"',
        '"mem_texture"',
    )


def test_threadgroup_alloc_size():
    def k_traced(a: f32, n: Scalar(u32)):
        enigma.threadgroup_alloc(f32, n)  # <tg-size>

    def k_big(a: f32):
        enigma.threadgroup_alloc(f32, 16384)  # <tg-big>

    check(trace_error(k_traced), "tg-size", "positive Python int known at trace time")
    check(trace_error(k_big), "tg-big", "65536 bytes", "limit of 32768")


def test_threadgroup_constant_index_out_of_bounds():
    def k(a: f32):
        tile = enigma.threadgroup_alloc(f32, 8)
        a[0] = tile[8]  # <tg-index>

    check(trace_error(k), "tg-index", "index 8 is out of bounds", "8 elements", fix=False)


def test_ops_outside_a_kernel():
    with pytest.raises(EnigmaError) as e:
        enigma.thread_position_in_grid + 1  # <outside-tid>
    check(e, "outside-tid", "`thread_position_in_grid` can only be used inside an @enigma.kernel")
    with pytest.raises(EnigmaError) as e:
        enigma.barrier()  # <outside-barrier>
    check(e, "outside-barrier", "`barrier` can only be used inside an @enigma.kernel")
    with pytest.raises(EnigmaError) as e:
        with enigma.for_range(0, 4):  # <outside-for>
            pass
    check(e, "outside-for", "`for_range` can only be used inside")


def test_value_kept_from_another_trace():
    kept = []

    @enigma.kernel
    def first(a: f32):
        kept.append(a[0])

    def second(a: f32):
        a[0] = kept[0] + 1.0  # <kept>

    first.trace()
    check(trace_error(second), "kept", "belongs to another kernel trace")


# --- control flow --------------------------------------------------------------------------------


def test_value_from_loop_used_after_it():
    def k(a: f32):
        with enigma.for_range(0, 4) as i:
            v = a[i] * 2.0
        a[0] = v  # <after-loop>

    check(trace_error(k), "after-loop", "inside the for loop", "carry")


def test_loop_index_used_after_loop():
    def k(a: f32):
        with enigma.for_range(0, 4) as i:
            pass
        a[i] = 1.0  # <iv-after>

    check(trace_error(k), "iv-after", "inside the for loop", "is used outside it")


def test_value_from_then_branch_used_in_else():
    def k(a: f32):
        with enigma.if_(a[0] > 0.0) as (then_, else_):
            with then_:
                v = a[1]
            with else_:
                a[2] = v  # <then-in-else>

    check(trace_error(k), "then-in-else", "inside the then branch", "is used outside it")


def test_carry_set_in_unmerged_branch():
    def k(a: f32):
        with enigma.for_range(0, 4, init=[0.0]) as (i, acc):  # <branch-carry>
            with enigma.if_(a[i] > 0.0):
                acc[0] = acc[0] + a[i]
        a[0] = acc[0]

    check(trace_error(k), "branch-carry", "inside the if branch", "init=[...]")


def test_carry_misuse():
    def k_index(a: f32):
        with enigma.for_range(0, 4, init=[0.0]) as (i, acc):
            acc[1] = a[i]  # <carry-index>

    def k_after(a: f32):
        with enigma.for_range(0, 4, init=[0.0]) as (i, acc):
            acc[0] = acc[0] + a[i]
        acc[0] = 1.0  # <carry-after>

    def k_type(a: f32):
        with enigma.for_range(0, 4, init=[0]) as (i, acc):
            acc[0] = acc[0] + a[i]  # <carry-type>

    def k_cond(a: f32):
        with enigma.while_(lambda c: c.__setitem__(0, 1), init=[0]):  # <carry-cond>
            pass

    check(trace_error(k_index), "carry-index", "carries 1 value(s); carry[1] does not exist")
    check(trace_error(k_after), "carry-after", "which has ended; it cannot be set")
    check(
        trace_error(k_type),
        "carry-type",
        "cannot assign a `float` value to carry[0] of type `int`",
        "0.0",
    )
    check(trace_error(k_cond), "carry-cond", "condition cannot change carried values")


def test_for_range_misuse():
    def k_step(a: f32):
        with enigma.for_range(10, 0, -1):  # <neg-step>
            pass

    def k_float(a: f32):
        with enigma.for_range(0, a[0]):  # <float-bound>
            pass

    def k_init(a: f32):
        with enigma.for_range(0, 4, init=0.0):  # <init-list>
            pass

    def k_unsigned(a: f32, n: Scalar(u32)):
        with enigma.for_range(-1, n):  # <neg-bound>
            pass

    check(trace_error(k_step), "neg-step", "step must be positive, not -1")
    check(trace_error(k_float), "float-bound", "loop bounds must be scalar integers, not `float`")
    check(trace_error(k_init), "init-list", "init= takes a list of initial values", "init=[0.0]")
    check(trace_error(k_unsigned), "neg-bound", "`-1` is out of range of `uint`")


def test_conditions_must_be_traced_bools():
    def k_int(a: i32):
        with enigma.if_(a[0]):  # <int-cond>
            pass

    def k_py(a: i32):
        with enigma.if_(True):  # <py-cond>
            pass

    def k_while(a: i32):
        with enigma.while_(a[0] > 0):  # <while-value>
            pass

    def k_where(a: i32):
        a[0] = enigma.where(0, 1, a[1])  # <where-cond>

    check(
        trace_error(k_int), "int-cond", "needs a traced bool condition, not a value of type `int`"
    )
    check(trace_error(k_py), "py-cond", "not the Python value True", "plain Python `if`")
    check(trace_error(k_while), "while-value", "takes a function", "lambda c: c[0] < n")
    check(trace_error(k_where), "where-cond", "traced bool condition as its third argument")


def test_statement_outside_then_and_else():
    def k(a: f32):
        with enigma.if_(a[0] > 0.0) as (then_, else_):
            a[1] = 1.0  # <shell>
            with then_:
                pass

    check(trace_error(k), "shell", "must be in a `with then_:` or `with else_:` block")


def test_math_needs_floats():
    def k_sqrt(a: i32):
        a[0] = enigma.sqrt(a[1])  # <sqrt-int>

    def k_fmin(a: i32):
        a[0] = enigma.fmin(a[1], 0)  # <fmin-int>

    def k_cast(a: enigma.float4, b: enigma.float2):
        b[0] = enigma.metal_cast(a[0], enigma.float2)  # <cast-lanes>

    check(trace_error(k_sqrt), "sqrt-int", "sqrt takes a floating-point value, not `int`")
    check(trace_error(k_fmin), "fmin-int", "fmin takes floating-point values", "imin/imax")
    check(trace_error(k_cast), "cast-lanes", "lane counts differ", fix=False)


def test_non_finite_literal_is_accepted_not_an_error():
    @enigma.kernel
    def k(a: f32):
        a[0] = enigma.fmin(a[0], math.inf)

    assert '"value":"inf"' in k.trace().to_json()


def test_constructs_used_without_with():
    def k_if(a: f32):
        if enigma.if_(a[0] > 0.0):  # <if-no-with>
            a[0] = 1.0

    def k_for(a: f32):
        for i in enigma.for_range(0, 4):  # <for-no-with>
            a[i] = 1.0

    check(trace_error(k_if), "if-no-with", "enigma.if_ is a `with` block", "with enigma.if_(")
    check(trace_error(k_for), "for-no-with", "enigma.for_range is a `with` block, not a Python")
