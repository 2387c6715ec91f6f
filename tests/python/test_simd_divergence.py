"""SIMD-group and quad-group functions in divergent branches inside loops, on the cpu device.

On a GPU the lanes of a SIMD-group run a loop's iterations in lockstep, so a
function called under `if_(cond(lane, k))` in iteration k sees exactly the
lanes taking the branch in iteration k: never a lane that takes it in
another iteration, never a lane that has left the loop or has not entered
this instance of an inner loop. The numpy model below computes each op over
those lanes only, iteration by iteration, and the kernels write one output
element per lane and iteration, so every instance of every call is checked
(and lanes that skip a call must leave their element untouched). Shuffles
and broadcasts are checked only where Metal defines them: the source lane
exists and is active in that instance. Inputs are integers, so results are
exact.
"""

import numpy as np

import enigma
from enigma import i32

RNG = np.random.default_rng(23)
W, Q = 32, 4
UNSET = -7  # what outputs hold where no lane wrote


def run(kernel, *arrays, n):
    enigma.compile(kernel)(*arrays, grid=(n, 1, 1), threads=(n, 1, 1), device="cpu")


def metal(op, x, active, width, arg=0):
    """What Metal gives each lane of a 1-D threadgroup of len(x) threads when the lanes
    in `active` call `op` together: (results, where they are defined)."""
    n = len(x)
    out = np.full(n, UNSET, np.int64)
    defined = np.zeros(n, bool)
    for start in range(0, n, width):
        idx = np.arange(start, min(start + width, n))
        on = idx[active[idx]]
        values = x[on].astype(np.int64)
        for pos, i in enumerate(on):
            if op == "sum":
                out[i] = values.sum()
            elif op == "min":
                out[i] = values.min()
            elif op == "max":
                out[i] = values.max()
            elif op == "prefix_exclusive_sum":
                out[i] = values[:pos].sum()
            elif op == "prefix_inclusive_sum":
                out[i] = values[: pos + 1].sum()
            else:
                lane = i - start
                src = {
                    "broadcast": arg,
                    "shuffle_xor": lane ^ arg,
                    "shuffle_down": lane + arg,
                }[op]
                if src >= width or start + src >= n or not active[start + src]:
                    continue  # undefined on Metal: not checked
                out[i] = x[start + src]
            defined[i] = True
    return out, defined


def check(got, op, x, active, width, arg=0):
    """`got` holds the op's result where defined and UNSET on lanes that did not call it."""
    want, defined = metal(op, x, active, width, arg)
    np.testing.assert_array_equal(got[defined], want[defined].astype(np.int32))
    np.testing.assert_array_equal(got[~active], UNSET)


K = 6  # iterations of the loop in iteration_branches


@enigma.kernel
def iteration_branches(x: i32, s: i32, pre: i32, bc: i32, down: i32, qs: i32, qin: i32, qx: i32,
                       qmax: i32, smin: i32):  # fmt: skip
    i = enigma.thread_position_in_grid
    lane = enigma.thread_index_in_simdgroup()
    with enigma.for_range(0, K) as k:
        o = i * K + k
        v = x[o]
        with enigma.if_((lane + k) % 3 == 0):
            s[o] = enigma.simd_sum(v)
            pre[o] = enigma.simd_prefix_exclusive_sum(v)
            bc[o] = enigma.simd_broadcast(v, (3 - k % 3) % 3)  # the lowest active lane
            down[o] = enigma.simd_shuffle_down(v, 3)  # from the next active lane
        with enigma.if_((lane // 4 + k) % 3 != 0):  # whole quads
            qs[o] = enigma.quad_sum(v)
            qin[o] = enigma.quad_prefix_inclusive_sum(v)
            qx[o] = enigma.quad_shuffle_xor(v, 3)
        with enigma.if_((lane + k) % 4 < 2):  # half of each quad
            qmax[o] = enigma.quad_max(v)
            smin[o] = enigma.simd_min(v)


def test_branches_whose_condition_changes_every_iteration():
    n = 48  # a full SIMD-group and a partial one of 16 lanes
    x = RNG.integers(-1000, 1000, n * K).astype(np.int32)
    outs = [np.full(n * K, UNSET, np.int32) for _ in range(9)]
    run(iteration_branches, x, *outs, n=n)
    s, pre, bc, down, qs, qin, qx, qmax, smin = (o.reshape(n, K) for o in outs)
    lane = np.arange(n) % W
    xs = x.reshape(n, K)
    for k in range(K):
        a = (lane + k) % 3 == 0
        check(s[:, k], "sum", xs[:, k], a, W)
        check(pre[:, k], "prefix_exclusive_sum", xs[:, k], a, W)
        check(bc[:, k], "broadcast", xs[:, k], a, W, (3 - k % 3) % 3)
        check(down[:, k], "shuffle_down", xs[:, k], a, W, 3)
        b = (lane // 4 + k) % 3 != 0
        check(qs[:, k], "sum", xs[:, k], b, Q)
        check(qin[:, k], "prefix_inclusive_sum", xs[:, k], b, Q)
        check(qx[:, k], "shuffle_xor", xs[:, k], b, Q, 3)
        c = (lane + k) % 4 < 2
        check(qmax[:, k], "max", xs[:, k], c, Q)
        check(smin[:, k], "min", xs[:, k], c, W)
    # Every lane takes branch a in some iteration, so a scheduler that met lanes by
    # call site alone would have summed lanes of different iterations together.
    assert all(((lane + k) % 3 == 0).sum() < 32 for k in range(K))


J, T = 3, 4  # outer iterations and the most inner ones in nested_loops


@enigma.kernel
def nested_loops(x: i32, trips: i32, inner: i32, entered: i32, whiles: i32, after: i32,
                 ranged: i32):  # fmt: skip
    i = enigma.thread_position_in_grid
    lane = enigma.thread_index_in_simdgroup()
    with enigma.for_range(0, J) as j:
        enigma.barrier()  # every lane suspends inside the loop and resumes in it
        # An inner loop with per-lane trip counts and a branch on both indices.
        with enigma.for_range(0, trips[i]) as m:
            o = (i * J + j) * T + m
            with enigma.if_((lane + j + m) % 2 == 0):
                inner[o] = enigma.simd_sum(x[o])
        # An inner loop that lanes enter in different outer iterations.
        with enigma.if_((lane + j) % 3 == 0):
            with enigma.for_range(0, 2) as m:
                o = (i * J + j) * T + m
                entered[o] = enigma.simd_prefix_inclusive_sum(x[o])
    # A while_ loop that lanes leave after different numbers of iterations.
    with enigma.while_(lambda c: c[0] < trips[i], init=[0]) as c:
        o = i * T + c[0]
        with enigma.if_((lane + c[0]) % 2 == 1):
            whiles[o] = enigma.simd_sum(x[o])
        c[0] = c[0] + 1
    after[i] = enigma.simd_sum(trips[i])  # every lane, once all have left the loop
    for k in enigma.range(0, 4):
        with enigma.if_((lane + 2 * k) % 3 == 0):
            ranged[i * 4 + k] = enigma.quad_sum(x[i * 4 + k])


def test_nested_while_and_range_loops():
    n = 40  # a full SIMD-group and a partial one of 8 lanes
    x = RNG.integers(-1000, 1000, n * J * T).astype(np.int32)
    trips = RNG.integers(0, T + 1, n).astype(np.int32)
    trips[0], trips[1] = 0, T  # a lane that never loops, one that loops to the end
    inner, entered = (np.full(n * J * T, UNSET, np.int32) for _ in range(2))
    whiles = np.full(n * T, UNSET, np.int32)
    after = np.zeros(n, np.int32)
    ranged = np.full(n * 4, UNSET, np.int32)
    run(nested_loops, x, trips, inner, entered, whiles, after, ranged, n=n)
    lane = np.arange(n) % W
    x3 = x.reshape(n, J, T)
    inner, entered = inner.reshape(n, J, T), entered.reshape(n, J, T)
    for j in range(J):
        for m in range(T):
            # Active: still looping at inner iteration m, and taking the branch.
            a = (trips > m) & ((lane + j + m) % 2 == 0)
            check(inner[:, j, m], "sum", x3[:, j, m], a, W)
        for m in range(2):
            check(entered[:, j, m], "prefix_inclusive_sum", x3[:, j, m], (lane + j) % 3 == 0, W)
        np.testing.assert_array_equal(entered[:, j, 2:], UNSET)
    x2, whiles = x.reshape(-1)[: n * T].reshape(n, T), whiles.reshape(n, T)
    for m in range(T):
        check(whiles[:, m], "sum", x2[:, m], (trips > m) & ((lane + m) % 2 == 1), W)
    want, _ = metal("sum", trips, np.ones(n, bool), W)
    np.testing.assert_array_equal(after, want)
    x4, ranged = x.reshape(-1)[: n * 4].reshape(n, 4), ranged.reshape(n, 4)
    for k in range(4):
        check(ranged[:, k], "sum", x4[:, k], (lane + 2 * k) % 3 == 0, Q)


def test_emitted_msl_has_no_loop_bookkeeping():
    # The iteration counting is the cpu device's (its launcher); Metal gets plain loops.
    msl = enigma.compile(nested_loops).metal_source
    assert "enigma" not in msl.split("kernel void", 1)[1].lower()
    assert msl.count("for (") == 4 and msl.count("while (true) {") == 1
