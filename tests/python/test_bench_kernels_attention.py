"""The split-KV decode attention of benchmarks/cuda/kernels_attention.py on the cpu device.

The kernels are the H100 benchmark's (bench_decode_attention.py, row "enigma-splitkv");
here both run, as the benchmark launches them, against a float64 numpy reference on
small caches: a sequence that is a whole number of chunks, one whose last chunk is
partial, and one shorter than a chunk, with the cache slots past seq_len NaN so that a
read of one shows. `python benchmarks/cuda/run_all.py --dry-run` compiles them for
sm_90; test_cuda_emit.py does not collect them (no module-level kernel here).
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "cuda"))

from kernels_attention import decode_attention_launches, make_decode_attention  # noqa: E402

import enigma  # noqa: E402

TOLERANCE = 2e-5  # max |out - ref|: outputs are convex combinations of N(0, 1) values


def reference(q, k_cache, v_cache, seq_len: int) -> np.ndarray:
    """softmax(q . K^T / sqrt(D)) V over each head's first seq_len tokens, in float64."""
    k = k_cache[:, :seq_len].astype(np.float64)
    v = v_cache[:, :seq_len].astype(np.float64)
    scores = np.einsum("hd,hsd->hs", q.astype(np.float64), k) / np.sqrt(q.shape[1])
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.einsum("hs,hsd->hd", weights / weights.sum(axis=1, keepdims=True), v)


@pytest.mark.parametrize(
    "heads, seq_len, head_dim, chunk",
    [(2, 300, 64, 128), (2, 256, 128, 256), (3, 300, 128, 128), (2, 5, 128, 256)],
)
def test_split_kv_matches_numpy(heads, seq_len, head_dim, chunk):
    capacity = seq_len + 9
    rng = np.random.default_rng(seq_len + head_dim)
    q = (rng.standard_normal((heads, head_dim)) * 2).astype(np.float32)
    k_cache = np.full((heads, capacity, head_dim), np.nan, np.float32)
    v_cache = np.full((heads, capacity, head_dim), np.nan, np.float32)
    k_cache[:, :seq_len] = rng.standard_normal((heads, seq_len, head_dim))
    v_cache[:, :seq_len] = rng.standard_normal((heads, seq_len, head_dim))
    partial, combine = make_decode_attention(head_dim, chunk)
    launch = decode_attention_launches(heads, seq_len, head_dim, chunk)
    part_max, part_sum, part_acc = (
        np.full(n, np.nan, np.float32) for n in launch["scratch"].values()
    )
    out = np.full(heads * head_dim, np.nan, np.float32)
    enigma.compile(partial)(
        q.ravel(), k_cache.ravel(), v_cache.ravel(), part_max, part_sum, part_acc,
        capacity, seq_len, device="cpu", **launch["partial"],
    )  # fmt: skip
    enigma.compile(combine)(
        part_max, part_sum, part_acc, out, launch["splits"], device="cpu", **launch["combine"]
    )
    error = np.abs(out.reshape(heads, head_dim) - reference(q, k_cache, v_cache, seq_len)).max()
    assert error <= TOLERANCE


def test_launches_describe_grids_and_scratch():
    launch = decode_attention_launches(128, 4096, 128, 256)
    assert launch["splits"] == 16
    assert launch["partial"] == {"grid": (16 * 128, 128, 1), "threads": (128, 1, 1)}
    assert launch["combine"] == {"grid": (128 * 32, 1, 1), "threads": (32, 1, 1)}
    assert launch["scratch"] == {"part_max": 2048, "part_sum": 2048, "part_acc": 2048 * 128}
    assert decode_attention_launches(4, 257, 64, 128)["splits"] == 3


@pytest.mark.parametrize(
    "head_dim, chunk, seq_len, words",
    [(96, 256, 10, "head_dim"), (128, 200, 10, "chunk=200"), (128, 256, 0, "seq_len=0")],
)
def test_bad_sizes_say_how_to_fix(head_dim, chunk, seq_len, words):
    with pytest.raises(enigma.EnigmaError, match=words) as caught:
        decode_attention_launches(8, seq_len, head_dim, chunk)
    assert "fix:" in str(caught.value)
