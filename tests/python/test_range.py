"""`for i in enigma.range(...)` with automatically carried variables, and range_constexpr.

Kernels run on the cpu device against numpy. Float sums are compared with a
float64 reference at rtol 1e-5 (n <= 64 float32 additions in order); integer
results are exact. Error cases assert the message and the user's line.
"""

import numpy as np
from tagged_errors import assert_trace_error as trace_error

import enigma
import enigma as en
from enigma import Scalar, f32, i32, u32
from enigma import range as erange

RNG = np.random.default_rng(7)
SCALE = 3  # a module constant read inside loops


def run(kernel, *args, n):
    enigma.compile(kernel)(*args, grid=(n, 1, 1), threads=(min(n, 32), 1, 1), device="cpu")


# --- loops that run -------------------------------------------------------------------------------


@enigma.kernel
def prefix_sum(a: f32, out: f32):
    i = enigma.thread_position_in_grid
    acc = 0.0
    for k in enigma.range(i + 1):  # traced bound: the loop index is uint
        acc = acc + a[k]
    out[i] = acc


def test_prefix_sum():
    n = 64
    a = RNG.standard_normal(n).astype(np.float32)
    out = np.zeros(n, np.float32)
    run(prefix_sum, a, out, n=n)
    np.testing.assert_allclose(out, np.cumsum(a.astype(np.float64)), rtol=1e-5, atol=1e-5)


@enigma.kernel
def dot_rows(m: f32, v: f32, out: f32, cols: Scalar(u32)):
    row = enigma.thread_position_in_grid
    acc = 0.0  # carried through the loop (an alias import: `import enigma as en`)
    for k in en.range(cols):
        acc += m[row * cols + k] * v[k]
    out[row] = acc


def test_dot_product_alias_import():
    rows, cols = 16, 24
    m = RNG.standard_normal((rows, cols)).astype(np.float32)
    v = RNG.standard_normal(cols).astype(np.float32)
    out = np.zeros(rows, np.float32)
    run(dot_rows, m.ravel(), v, out, np.uint32(cols), n=rows)
    ref = m.astype(np.float64) @ v.astype(np.float64)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


def test_nested_loops_two_carried_values_closure_constant():
    offset = 10  # captured by the kernel's closure

    @enigma.kernel
    def nested(a: i32, sums: i32, counts: i32, n: Scalar(i32)):
        i = enigma.thread_position_in_grid
        total = 0
        count = 0
        for r in erange(n):  # `from enigma import range as erange`
            for c in erange(r, n, 2):  # a step; inner loop carries both
                total = total + a[r * n + c] * SCALE
                count += 1
            total = total + offset
        for c in erange(2):  # reuses an earlier loop's index name
            for r in erange(1):
                count += c + r
        sums[i] = total
        counts[i] = count

    n = 7
    a = RNG.integers(-1000, 1000, (n, n), dtype=np.int32)
    sums, counts = np.zeros(4, np.int32), np.zeros(4, np.int32)
    run(nested, a.ravel(), sums, counts, n, n=4)
    total = sum(int(a[r, c]) * SCALE for r in range(n) for c in range(r, n, 2)) + offset * n
    count = sum(len(range(r, n, 2)) for r in range(n)) + 1
    np.testing.assert_array_equal(sums, total)
    np.testing.assert_array_equal(counts, count)


def test_last_value_zero_trip_and_loop_in_helper_defined_inside():
    @enigma.kernel
    def last(a: f32, out: f32, n: Scalar(u32)):
        i = enigma.thread_position_in_grid
        seen = -1.0  # overwritten each iteration: after the loop, the last a[k]
        for k in enigma.range(n):
            seen = a[k]

        def biggest(x):  # a function defined inside the kernel is rewritten too
            best = x
            for k in enigma.range(n):
                best = enigma.fmax(best, a[k])
            return best

        with enigma.if_(i == 0):
            out[0] = seen
            out[1] = biggest(-100.0)

    a = RNG.standard_normal(8).astype(np.float32)
    out = np.zeros(2, np.float32)
    run(last, a, out, np.uint32(8), n=1)
    np.testing.assert_array_equal(out, [a[-1], a.max()])
    run(last, a, out, np.uint32(0), n=1)  # zero trips: the values from before the loop
    np.testing.assert_array_equal(out, [-1.0, -100.0])


def test_range_constexpr_unrolls():
    @enigma.kernel
    def unrolled(a: f32, out: f32):
        i = enigma.thread_position_in_grid
        acc = 0.0
        for k in enigma.range_constexpr(4):
            acc = acc + a[i * 4 + k] * (k + 1)
        out[i] = acc

    compiled = enigma.compile(unrolled)
    assert "for (" not in compiled.metal_source  # four copies of the body, no loop
    a = RNG.standard_normal(32).astype(np.float32)
    out = np.zeros(8, np.float32)
    compiled(a, out, grid=(8, 1, 1), threads=(8, 1, 1), device="cpu")
    ref = (a.astype(np.float64).reshape(8, 4) * [1, 2, 3, 4]).sum(axis=1)
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)
    assert list(enigma.range_constexpr(1, 7, 2)) == [1, 3, 5]


def test_msl_is_one_loop_with_carried_variables():
    source = enigma.compile(dot_rows).metal_source
    assert source.count("for (") == 1
    assert "for (uint" in source


# --- errors ---------------------------------------------------------------------------------------


def test_carried_type_change_is_an_error():
    def k(a: f32, out: f32):
        acc = 0
        for j in en.range(4):
            acc = acc + a[j]  # <type-change>
        out[0] = acc

    trace_error(k, "type-change", "`acc` changes type", "`int` before the loop", "`float`")


def test_break_continue_return_are_errors():
    def k_break(a: f32):
        for _j in enigma.range(4):
            break  # <break>

    def k_continue(a: f32):
        for j in enigma.range(4):
            a[j] = 1.0
            continue  # <continue>

    def k_return(a: f32):
        for _j in enigma.range(4):
            return  # <return>

    trace_error(k_break, "break", "`break` is not supported inside an enigma.range loop")
    trace_error(k_continue, "continue", "`continue` is not supported")
    trace_error(k_return, "return", "`return` is not supported")


def test_for_else_is_an_error():
    def k(a: f32):
        for j in enigma.range(4):  # <for-else>
            a[j] = 0.0
        else:
            a[0] = 1.0

    trace_error(k, "for-else", "`for ... else` is not supported")


def test_variable_read_before_assignment_and_after_the_loop():
    def k_before(a: f32):
        for j in enigma.range(4):
            t = t + a[j]  # noqa: F821, F841  # <read-before>
        a[0] = 0.0

    def k_after(a: f32, out: f32):
        for j in enigma.range(4):
            t = a[j]
        out[0] = t  # <read-after>

    def k_index(a: f32, out: f32):
        i = enigma.thread_position_in_grid
        for i in enigma.range(4):  # noqa: B007
            a[i] = 0.0
        out[i] = 1.0  # <index-after>

    trace_error(k_before, "read-before", "`t` is read in the enigma.range loop", "before it")
    trace_error(k_after, "read-after", "`t` is assigned only inside the enigma.range loop")
    trace_error(k_index, "index-after", "`i` is the index of the enigma.range loop")


def test_rebinding_a_buffer_in_the_loop_is_an_error():
    def k(a: f32, b: f32):
        src = a
        for _j in enigma.range(4):  # <rebind>
            src = b
        src[0] = 1.0

    trace_error(k, "rebind", "`src` (Buffer) is reassigned inside the enigma.range loop")


def _helper_loop(a):
    for j in enigma.range(4):  # <helper>
        a[j] = 0.0


def test_loop_outside_the_kernel_function_is_an_error():
    def k(a: f32):
        _helper_loop(a)

    trace_error(k, "helper", "was not turned into a kernel loop", "enigma.for_range")


def test_range_constexpr_with_traced_bound_is_an_error():
    def k(a: f32, n: Scalar(i32)):
        for j in enigma.range_constexpr(n):  # <constexpr>
            a[j] = 0.0

    trace_error(k, "constexpr", "range_constexpr bounds must be Python ints", "`int` value")
