"""Decode-step attention: one query token per head over a KV cache, with online softmax.

    out[h] = softmax(q[h] . K[h, :L]^T / sqrt(D)) V[h, :L]

for L = seq_len cached tokens (the cache holds `capacity` >= L slots per head;
the slots past L are never used). One threadgroup per head; its SIMD-groups take
blocks of 32 keys in turn (block b goes to SIMD-group b mod the count), lane j
scoring key 32 b + j. Per block, a SIMD-group updates its online softmax state:
the running max m (`simd_max` of the block's scores), the running sum l of
exp(score - m) (`simd_sum`), and the accumulator acc of the weighted values,
rescaled by exp(m_old - m_new) whenever the max grows. Each lane owns D / 32 of
the output dimensions, and takes each key's weight from that key's lane with
`simd_broadcast`. The last block is partial when L is not a multiple of 32: its
lanes past L score -inf (weight 0) and read the clamped key L-1, never an unused
slot. Finally the SIMD-groups' (m, l, acc) are merged through threadgroup memory.

Run: `python examples/decode_attention.py [--heads H --head-dim D --seq-len L]`;
it checks against a float64 numpy reference and exits non-zero on a mismatch.
"""

import argparse
import functools
import sys

import numpy as np
from _check import max_error, report

import enigma
from enigma import Scalar, f32, u32

THREADS = 128  # 4 SIMD-groups per head
TOLERANCE = 2e-5  # max |error|; outputs are convex combinations of N(0, 1) values


def attend_key_blocks(q_scaled, q_elem, k_cache, v_cache, row0, seq_len, first, step, head_dim):
    """One SIMD-group's online softmax over the key blocks starting at first, first + step, ...
    below seq_len; returns its state (m, l, acc) with acc a register tensor of this lane's
    head_dim / 32 accumulators (dimensions lane, lane + 32, ...).

    `q_scaled[q_elem + d]` (threadgroup memory) is the query already scaled by 1/sqrt(D);
    `row0` is the cache row of the head's token 0 (rows of head_dim floats). A plain Python
    function traced inline, so its loops are `for_range` (enigma.range is rewritten only in
    a kernel body).
    """
    lane = enigma.thread_index_in_simdgroup()
    acc = enigma.register_tensor((head_dim // 32,), f32, 0.0)
    with enigma.for_range(first, seq_len, step, init=[-float("inf"), 0.0]) as (start, state):
        key = start + lane
        row = (row0 + enigma.imin(key, seq_len - 1)) * head_dim  # never an unused slot
        with enigma.for_range(0, head_dim, init=[0.0]) as (d, dot):
            dot[0] = dot[0] + q_scaled[q_elem + d] * k_cache[row + d]
        score = enigma.where(-float("inf"), dot[0], key < seq_len)

        m_new = enigma.fmax(state[0], enigma.simd_max(score))
        rescale = enigma.exp(state[0] - m_new)  # 0 on the first block (m = -inf)
        p = enigma.exp(score - m_new)
        state[1] = state[1] * rescale + enigma.simd_sum(p)
        state[0] = m_new
        for j in enigma.range_constexpr(head_dim // 32):
            acc[j] = acc[j] * rescale
        with enigma.for_range(0, enigma.imin(seq_len - start, 32)) as k:  # uniform in the group
            weight = enigma.simd_broadcast(p, k)
            v_row = (row0 + start + k) * head_dim + lane
            for j in enigma.range_constexpr(head_dim // 32):
                acc[j] = acc[j] + weight * v_cache[v_row + 32 * j]
    return state[0], state[1], acc


def publish_state(state, sg_max, sg_sum, sg_acc, head_dim):
    """Write this SIMD-group's (m, l, acc) to the threadgroup arrays (slot = its index)."""
    m, total, acc = state
    sg = enigma.simdgroup_index_in_threadgroup()
    lane = enigma.thread_index_in_simdgroup()
    with enigma.if_(lane == 0):
        sg_max[sg] = m
        sg_sum[sg] = total
    for j in enigma.range_constexpr(head_dim // 32):
        sg_acc[sg * head_dim + lane + 32 * j] = acc[j]


def merged_output(sg_max, sg_sum, sg_acc, first_sg, sg_step, count: int, d, head_dim):
    """Dimension d of the attention output merged from the `count` SIMD-group states
    first_sg, first_sg + sg_step, ... (after a barrier). A state with no key (m = -inf)
    weighs exp(-inf) = 0."""
    m_all = sg_max[first_sg]
    for s in enigma.range_constexpr(1, count):
        m_all = enigma.fmax(m_all, sg_max[first_sg + s * sg_step])
    num, den = 0.0, 0.0
    for s in enigma.range_constexpr(count):
        sg = first_sg + s * sg_step
        w = enigma.exp(sg_max[sg] - m_all)
        num = num + w * sg_acc[sg * head_dim + d]
        den = den + w * sg_sum[sg]
    return num / den


@functools.cache
def make_kernel(head_dim: int = 128, threads: int = THREADS):
    """The attention kernel for `head_dim` (a multiple of 32) and `threads` per head.

    >>> k = make_kernel(64)
    >>> enigma.compile(k)(q, k_cache, v_cache, out, capacity, seq_len,
    ...                   grid=(heads * 128, 1, 1), threads=(128, 1, 1))
    """
    if head_dim % 32:
        raise ValueError(f"head_dim must be a multiple of 32, not {head_dim}")
    simdgroups = threads // 32
    scale = 1.0 / float(np.sqrt(head_dim))

    @enigma.kernel
    def decode_attention(
        q: f32, k_cache: f32, v_cache: f32, out: f32, capacity: Scalar(u32), seq_len: Scalar(u32)
    ):
        head = enigma.threadgroup_position_in_grid("x")
        tid = enigma.thread_index_in_threadgroup()
        q_scaled = enigma.threadgroup_alloc(f32, head_dim)
        sg_max = enigma.threadgroup_alloc(f32, simdgroups)
        sg_sum = enigma.threadgroup_alloc(f32, simdgroups)
        sg_acc = enigma.threadgroup_alloc(f32, simdgroups * head_dim)

        for d in enigma.range(tid, head_dim, threads):
            q_scaled[d] = q[head * head_dim + d] * scale
        enigma.barrier()

        # SIMD-group sg takes the key blocks sg, sg + simdgroups, ... (32 keys each).
        first = enigma.simdgroup_index_in_threadgroup() * 32
        state = attend_key_blocks(
            q_scaled, 0, k_cache, v_cache, head * capacity, seq_len, first, threads, head_dim
        )
        publish_state(state, sg_max, sg_sum, sg_acc, head_dim)
        enigma.barrier()
        for d in enigma.range(tid, head_dim, threads):
            value = merged_output(sg_max, sg_sum, sg_acc, 0, 1, simdgroups, d, head_dim)
            out[head * head_dim + d] = value

    return decode_attention


def reference(q, k_cache, v_cache, seq_len: int) -> np.ndarray:
    """Attention of each head's query over its first `seq_len` cached tokens, in float64."""
    q = q.astype(np.float64)
    k = k_cache[:, :seq_len].astype(np.float64)
    v = v_cache[:, :seq_len].astype(np.float64)
    scores = np.einsum("hd,hsd->hs", q, k) / np.sqrt(q.shape[1])
    w = np.exp(scores - scores.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    return np.einsum("hs,hsd->hd", w, v)


def run(heads: int = 8, head_dim: int = 128, seq_len: int = 1000, capacity=None, seed: int = 0):
    """Attention over a random KV cache (unused slots NaN) on the cpu device; return
    (out, float64 reference). `capacity` defaults to seq_len + 7.

    >>> out, ref = run(heads=2, head_dim=64, seq_len=33)
    """
    capacity = seq_len + 7 if capacity is None else capacity
    rng = np.random.default_rng(seed)
    q = (rng.standard_normal((heads, head_dim)) * 2).astype(np.float32)
    k_cache = np.full((heads, capacity, head_dim), np.nan, np.float32)
    v_cache = np.full((heads, capacity, head_dim), np.nan, np.float32)
    k_cache[:, :seq_len] = rng.standard_normal((heads, seq_len, head_dim))
    v_cache[:, :seq_len] = rng.standard_normal((heads, seq_len, head_dim))
    out = np.zeros((heads, head_dim), np.float32)
    enigma.compile(make_kernel(head_dim))(
        q, k_cache, v_cache, out, capacity, seq_len,
        grid=(heads * THREADS, 1, 1), threads=(THREADS, 1, 1), device="cpu",
    )  # fmt: skip
    return out, reference(q, k_cache, v_cache, seq_len)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--head-dim", type=int, choices=(32, 64, 96, 128), default=128)
    parser.add_argument("--seq-len", type=int, default=1000)
    args = parser.parse_args(argv)
    out, ref = run(args.heads, args.head_dim, args.seq_len)
    what = f"decode_attention heads={args.heads} D={args.head_dim} L={args.seq_len}"
    return report(what, max_error(out, ref), TOLERANCE)


if __name__ == "__main__":
    sys.exit(main())
