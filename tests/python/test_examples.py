"""The showcase kernels of examples/ on the cpu device, at small and edge shapes.

Each example's `run(...)` returns its result and a float64 numpy reference; the
tolerances are the examples' own (absolute, stated next to each TOLERANCE):
f32 1e-6 .. 2e-5 for the reductions and stencils, 4e-3 for an f16 result, 1e-4
for the fused decoder layer. Edge shapes: one element, lengths one past and one
short of the threadgroup / tile / key-block size, -inf rows, huge values, NaN in
the unused KV-cache slots (never read). Kernels are compiled once per variant
and the shapes vary at launch, except for the @enigma.jit examples (rmsnorm,
softmax), which specialise on the shape: they get fewer shapes.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))

import decode_attention  # noqa: E402
import heat_2d  # noqa: E402
import laplacian_1d  # noqa: E402
import rmsnorm  # noqa: E402
import softmax  # noqa: E402
import transformer_decoder  # noqa: E402
from _check import max_error, report  # noqa: E402


def assert_close(out, ref, tol):
    err = max_error(out, ref)
    assert err <= tol, f"max |error| {err:.3g} > {tol:.3g}"


@pytest.mark.parametrize("rows, cols", [(1, 1), (3, 33), (5, 1000)])
def test_rmsnorm_f32(rows, cols):
    y, ref = rmsnorm.run(rows, cols, "f32", seed=rows)
    assert_close(y, ref, rmsnorm.TOLERANCE["f32"])


def test_rmsnorm_f16_accumulates_in_f32():
    y, ref = rmsnorm.run(3, 257, "f16")
    assert y.dtype == np.float16
    assert_close(y, ref, rmsnorm.TOLERANCE["f16"])


def test_softmax_hard_rows():
    inf = np.inf
    x = np.array(
        [
            [0.0, -inf, 88.0, 87.0, -inf],  # exp(88) overflows float32 without the max shift
            [-inf] * 5,  # all -inf: zeros, no NaN
            [3e38, -3e38, 3e38, 1e30, -1e30],  # huge magnitudes: two entries of 1/2
            [-3e38, -3e38, -3e38, -3e38, -1e38],
            [1.0, 1.0, 1.0, 1.0, 1.0],
        ],
        np.float32,
    )
    y, ref = softmax.run(x=x)
    assert_close(y, ref, softmax.TOLERANCE)
    np.testing.assert_array_equal(y[1], 0.0)
    np.testing.assert_allclose(y[2], [0.5, 0, 0.5, 0, 0], atol=1e-7)
    np.testing.assert_allclose(y[3], [0, 0, 0, 0, 1], atol=1e-7)
    assert np.isfinite(y).all()


@pytest.mark.parametrize("rows, cols", [(4, 1), (3, 1000)])
def test_softmax_random_rows(rows, cols):
    y, ref = softmax.run(rows, cols, seed=cols)
    assert_close(y, ref, softmax.TOLERANCE)
    np.testing.assert_allclose(y.sum(axis=1)[np.arange(rows) != 1], 1.0, atol=1e-5)


@pytest.mark.parametrize("boundary", laplacian_1d.BOUNDARIES)
@pytest.mark.parametrize("n", [1, 2, 127, 128, 129, 1000])
def test_laplacian_1d(boundary, n):
    out, ref = laplacian_1d.run(n, boundary, seed=n)
    assert_close(out, ref, laplacian_1d.TOLERANCE)  # also: the NaN sentinels past n untouched
    u = np.random.default_rng(n).uniform(-1, 1, n).astype(np.float32).astype(np.float64)
    if n >= 2:  # the boundary rows, written out
        first, last = (u[1] - 2 * u[0], u[-2] - 2 * u[-1])
        if boundary == "neumann":
            first, last = u[1] - u[0], u[-2] - u[-1]
        assert abs(out[0] - first) < 1e-6 and abs(out[n - 1] - last) < 1e-6


@pytest.mark.parametrize(
    "height, width, steps", [(1, 1, 1), (16, 16, 1), (17, 33, 2), (40, 15, 1), (1, 50, 3)]
)
def test_heat_2d(height, width, steps):
    u, ref = heat_2d.run(height, width, steps, seed=height * width)
    assert_close(u, ref, heat_2d.TOLERANCE)
    # Every edge, corner and tile seam on its own (already inside the full comparison;
    # spelled out so that a failure names where).
    t = heat_2d.TILE
    seams = [i for i in range(t - 1, max(height, width), t) for i in (i, i + 1)]
    for name, rows in [("top/bottom edges", [0, height - 1]), ("row seams", seams)]:
        rows = [r for r in rows if r < height]
        assert max_error(u[rows], ref[rows]) <= heat_2d.TOLERANCE, name
    for name, cols in [("left/right edges", [0, width - 1]), ("column seams", seams)]:
        cols = [c for c in cols if c < width]
        assert max_error(u[:, cols], ref[:, cols]) <= heat_2d.TOLERANCE, name


@pytest.mark.parametrize(
    "heads, head_dim, seq_len",
    [(1, 64, 1), (3, 64, 33), (2, 64, 128), (2, 128, 100), (1, 128, 257)],
)
def test_decode_attention(heads, head_dim, seq_len):
    out, ref = decode_attention.run(heads, head_dim, seq_len, seed=seq_len)
    assert np.isfinite(out).all()  # the NaN-filled unused cache slots were never read
    assert_close(out, ref, decode_attention.TOLERANCE)


SMALL = transformer_decoder.Config(d_model=64, heads=2, ffn=128)


@pytest.mark.parametrize(
    "cfg, pos",
    [(transformer_decoder.Config(), 0), (transformer_decoder.Config(), 37), (SMALL, 64)],
)
def test_transformer_decoder(cfg, pos):
    got, want = transformer_decoder.run(cfg, pos, seed=pos)
    for key in ("y", "k_new", "v_new"):
        assert_close(got[key], want[key], transformer_decoder.TOLERANCE)


def test_main_exit_status(capsys):
    assert laplacian_1d.main(["--n", "300", "--boundary", "neumann"]) == 0
    assert "laplacian_1d n=300 neumann: max |error|" in capsys.readouterr().out
    assert report("x", 1.0, tol=0.5) == 1  # a mismatch exits non-zero
    assert max_error(np.float32([np.nan, 1]), np.float64([0, 1])) == np.inf
