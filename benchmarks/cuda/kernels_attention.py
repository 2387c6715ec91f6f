"""Split-KV (flash-decoding) decode attention: the fast pair of kernels the CUDA benchmark runs.

    out[h] = softmax(q[h] . K[h, :L]^T / sqrt(D)) V[h, :L]

with examples/decode_attention.py's conventions: q and out are (heads, D), the caches
(heads, capacity, D) of which the first `seq_len` rows are used, all f32, and the query
scaled by 1/sqrt(D) before the dot products. That example runs one threadgroup per head,
which at 128 heads leaves the GPU latency bound; here the sequence is cut into chunks of
`chunk` keys and two kernels run:

* `partial`: one threadgroup of THREADS per (chunk, head), grid (splits * THREADS, heads).
  Scores: groups of 8 lanes take one key each, a lane reading D / 32 float4s of its row
  (8 lanes read 128 contiguous bytes per access) and summing with 3 `simd_shuffle_xor`;
  the loads of K_UNROLL keys come before their use in the emitted code (ptxas then keeps
  4-8 16-byte loads in flight per thread, 53 registers, no spills). Softmax of the chunk:
  its max m and the weights p = exp(score - m) through threadgroup memory, their sum l.
  Values: thread t owns float4 column t % (D / 4) of the output and every slice-th key
  (slices = 4 * THREADS / D; at D = 128 each SIMD-group reads whole 512-byte rows),
  V_UNROLL rows in flight; the slices' accumulators are summed through threadgroup memory.
  Writes (m, l, acc[D]), acc not normalised, to scratch indexed by head * splits + chunk.
* `combine`: one threadgroup of D / 4 threads per head merges the splits:
  out = sum_i exp(m_i - M) acc_i / sum_i exp(m_i - M) l_i with M = max_i m_i.

The last chunk may be partial: its keys past seq_len score -inf (weight 0) and read the
clamped row seq_len - 1, so no slot past seq_len is ever read. K, V, q, the scratch acc and
out are `enigma.float4` buffers (torch/numpy f32 data of a multiple of 4 values), so every
cache access is one 16-byte load.
"""

from __future__ import annotations

import functools
import math

from kernels import SIMD, block_reduce

import enigma
from enigma import Scalar, f32, u32

THREADS = 128  # per threadgroup of `partial`
KEY_LANES = 8  # lanes that share one key's dot product
K_UNROLL = 4  # keys per 8-lane group whose loads are issued together
V_UNROLL = 8  # value rows per thread in flight together
CHUNK = 256  # default keys per split


def _butterfly(value, combine, lanes: int = SIMD):
    """`value` combined over each aligned group of `lanes` lanes, result in every lane
    (log2(lanes) `simd_shuffle_xor`s: cheaper than simd_sum on a full warp)."""
    mask = lanes // 2
    while mask:
        value = combine(value, enigma.simd_shuffle_xor(value, mask))
        mask //= 2
    return value


def _add(a, b):
    return a + b


def _check(head_dim: int, chunk: int) -> None:
    """head_dim a divisor of 4 * THREADS that 32 divides; chunk a multiple of THREADS."""
    if head_dim % (4 * KEY_LANES) or (4 * THREADS) % head_dim:
        raise enigma.EnigmaError(
            f"split-KV decode attention takes head_dim 32, 64, 128 or 256, not {head_dim}",
            hint="use examples/decode_attention.py's kernel for other head sizes",
        )
    if chunk <= 0 or chunk % THREADS:
        raise enigma.EnigmaError(
            f"chunk={chunk} must be a positive multiple of {THREADS} keys",
            hint="pass chunk=128, 256 or 512",
        )


@functools.cache
def make_decode_attention(head_dim: int = 128, chunk: int = CHUNK):
    """The (partial, combine) kernels for `head_dim` and `chunk` keys per split.

    >>> partial, combine = make_decode_attention(128, 256)
    >>> launch = decode_attention_launches(heads, seq_len, 128, 256)
    >>> enigma.compile(partial)(q, k, v, m, l, acc, capacity, seq_len, **launch["partial"])
    >>> enigma.compile(combine)(m, l, acc, out, launch["splits"], **launch["combine"])
    """
    _check(head_dim, chunk)
    cols = head_dim // 4  # float4s per row
    per_lane = cols // KEY_LANES  # float4s of a key row per lane
    keys_per_pass = THREADS // KEY_LANES
    passes = chunk // keys_per_pass
    slices = THREADS // cols  # threads sharing one float4 column of the values
    rows_per_thread = chunk // slices
    v_unroll = min(V_UNROLL, rows_per_thread)
    k_unroll = min(K_UNROLL, passes)
    scale = 1.0 / math.sqrt(head_dim)
    simdgroups = THREADS // SIMD

    def warp_max(value):
        return _butterfly(value, enigma.fmax)

    def warp_sum(value):
        return _butterfly(value, _add)

    @enigma.kernel
    def partial(
        q: enigma.float4,
        k_cache: enigma.float4,
        v_cache: enigma.float4,
        part_max: f32,
        part_sum: f32,
        part_acc: enigma.float4,
        capacity: Scalar(u32),
        seq_len: Scalar(u32),
    ):
        split = enigma.threadgroup_position_in_grid("x")
        head = enigma.threadgroup_position_in_grid("y")
        tid = enigma.thread_index_in_threadgroup()
        weights = enigma.threadgroup_alloc(f32, chunk)
        max_partials = enigma.threadgroup_alloc(f32, simdgroups)
        sum_partials = enigma.threadgroup_alloc(f32, simdgroups)
        slice_acc = enigma.threadgroup_alloc(enigma.float4, THREADS)
        start = split * chunk
        row0 = head * capacity  # cache row of the head's token 0
        last = seq_len - 1

        # Scores: this lane's float4s of the query are kl, kl + 8, ... (kl = tid % 8).
        kl = tid % KEY_LANES
        q_part = enigma.register_tensor((per_lane,), enigma.float4)
        for j in enigma.range_constexpr(per_lane):
            q_part[j] = q[head * cols + kl + KEY_LANES * j] * scale
        k_rows = enigma.register_tensor((k_unroll, per_lane), enigma.float4)
        for p0 in enigma.range(0, passes, k_unroll):
            for u in enigma.range_constexpr(k_unroll):
                key = start + (p0 + u) * keys_per_pass + tid // KEY_LANES
                row = (row0 + enigma.imin(key, last)) * cols + kl
                for j in enigma.range_constexpr(per_lane):
                    k_rows[u, j] = k_cache[row + KEY_LANES * j]
            for u in enigma.range_constexpr(k_unroll):
                dot4 = q_part[0] * k_rows[u, 0]
                for j in enigma.range_constexpr(1, per_lane):
                    dot4 = enigma.fma(q_part[j], k_rows[u, j], dot4)
                dot = (dot4.x + dot4.y) + (dot4.z + dot4.w)
                dot = _butterfly(dot, _add, KEY_LANES)
                local = (p0 + u) * keys_per_pass + tid // KEY_LANES
                with enigma.if_(kl == 0):
                    weights[local] = enigma.where(-float("inf"), dot, start + local < seq_len)
        enigma.barrier()

        # Softmax of the chunk: m, p = exp(score - m) in place, l = sum p.
        m = -float("inf")
        for i in enigma.range_constexpr(chunk // THREADS):
            m = enigma.fmax(m, weights[tid + i * THREADS])
        m = block_reduce(m, warp_max, enigma.fmax, max_partials, simdgroups)
        total = 0.0
        for i in enigma.range_constexpr(chunk // THREADS):
            p = enigma.exp(weights[tid + i * THREADS] - m)
            weights[tid + i * THREADS] = p
            total = total + p
        # The reduction's barrier also publishes the weights for the values below.
        total = block_reduce(total, warp_sum, _add, sum_partials, simdgroups)

        # Values: float4 column c, keys s, s + slices, ... (weight 0 past seq_len).
        c, s = tid % cols, tid // cols
        acc = enigma.make_float4(0.0)
        v_rows = enigma.register_tensor((v_unroll,), enigma.float4)
        for r0 in enigma.range(0, rows_per_thread, v_unroll):
            for u in enigma.range_constexpr(v_unroll):
                local = s + (r0 + u) * slices
                v_rows[u] = v_cache[(row0 + enigma.imin(start + local, last)) * cols + c]
            for u in enigma.range_constexpr(v_unroll):
                acc = enigma.fma(enigma.make_float4(weights[s + (r0 + u) * slices]), v_rows[u], acc)
        slice_acc[tid] = acc
        enigma.barrier()

        out = head * enigma.threadgroups_per_grid("x") + split
        with enigma.if_(tid < cols):
            merged = slice_acc[tid]
            for i in enigma.range_constexpr(1, slices):
                merged = merged + slice_acc[tid + i * cols]
            part_acc[out * cols + tid] = merged
        with enigma.if_(tid == 0):
            part_max[out] = m
            part_sum[out] = total

    @enigma.kernel
    def combine(
        part_max: f32,
        part_sum: f32,
        part_acc: enigma.float4,
        out: enigma.float4,
        splits: Scalar(u32),
    ):
        head = enigma.threadgroup_position_in_grid("x")
        c = enigma.thread_index_in_threadgroup()
        first = head * splits
        m_all = -float("inf")
        for i in enigma.range(splits):
            m_all = enigma.fmax(m_all, part_max[first + i])
        num = enigma.make_float4(0.0)
        den = 0.0
        for i in enigma.range(splits):
            w = enigma.exp(part_max[first + i] - m_all)  # 0 for a split with no key
            num = enigma.fma(enigma.make_float4(w), part_acc[(first + i) * cols + c], num)
            den = den + w * part_sum[first + i]
        out[head * cols + c] = num / den

    return partial, combine


def decode_attention_launches(heads: int, seq_len: int, head_dim: int = 128, chunk: int = CHUNK):
    """How to launch make_decode_attention(head_dim, chunk) for `heads` x `seq_len`:
    splits, each kernel's grid and threads (in threads, as `compiled(...)` takes them) and
    the scratch sizes in f32 elements (max and sum: heads * splits; acc: times head_dim).

    >>> decode_attention_launches(128, 4096)["splits"]
    16
    """
    _check(head_dim, chunk)
    if seq_len <= 0:
        raise enigma.EnigmaError(
            f"seq_len={seq_len}: decode attention needs at least one cached token",
            hint="run it after the first token is in the cache",
        )
    splits = -(-seq_len // chunk)
    cols = head_dim // 4
    return {
        "splits": splits,
        "partial": {"grid": (splits * THREADS, heads, 1), "threads": (THREADS, 1, 1)},
        "combine": {"grid": (heads * cols, 1, 1), "threads": (cols, 1, 1)},
        "scratch": {
            "part_max": heads * splits,
            "part_sum": heads * splits,
            "part_acc": heads * splits * head_dim,
        },
    }
