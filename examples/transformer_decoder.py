"""One transformer-decoder layer for a single decode token, fused into ONE kernel.

    h = x + Wo . attention(rope(q), rope(k), v)       q, k, v = Wqkv . rmsnorm(x, g1)
    y = h + Wdown . (silu(Wgate . n) * (Wup . n))     n = rmsnorm(h, g2)

A single threadgroup of 256 threads runs every phase, with barriers between
them and all activations in threadgroup memory: RMSNorm (simd_sum and
threadgroup partials) -> the QKV projection (one output column per thread) ->
RoPE on q and k (interleaved pairs, angle pos * base^(-2i/D)) and the append
of the new k and v at slot `pos` of the KV cache -> attention of each head over
the pos + 1 cached tokens (online softmax; SIMD-group s takes head s mod H and
every (8 / H)-th block of 32 keys, see decode_attention.py) -> the output
projection plus the residual -> RMSNorm -> the SwiGLU MLP (gate, up, down) plus
the residual. Weights are stored input-major (y = x @ W), so the threads of a
projection read consecutive elements of each weight row.

Run: `python examples/transformer_decoder.py [--d-model 128 --heads 4 --ffn 256 --pos P]`;
it checks y and the appended cache entries against a float64 numpy reference and
exits non-zero on a mismatch.
"""

import argparse
import dataclasses
import functools
import sys

import numpy as np
from _check import max_error, report
from decode_attention import attend_key_blocks, merged_output, publish_state
from softmax import block_reduce

import enigma
from enigma import Scalar, f32, u32
from enigma.layout import Layout

THREADS = 256  # one threadgroup: 8 SIMD-groups
TOLERANCE = 1e-4  # max |error|; y is O(1) after about 2000 float32 operations per value


@dataclasses.dataclass(frozen=True)
class Config:
    """The layer's sizes; head_dim = d_model / heads must be a multiple of 32 and heads must
    divide the 8 SIMD-groups."""

    d_model: int = 128
    heads: int = 4
    ffn: int = 256
    eps: float = 1e-5
    rope_base: float = 10000.0

    @property
    def head_dim(self) -> int:
        return self.d_model // self.heads


DEFAULT = Config()  # d_model 128, 4 heads of 32, ffn 256


@functools.cache
def make_kernel(cfg: Config = DEFAULT):
    """The fused layer for `cfg`; launch it as one threadgroup of 256 threads.

    >>> k = make_kernel(Config(d_model=64, heads=2, ffn=128))
    >>> enigma.compile(k)(x, g1, w_qkv, w_o, g2, w_gate, w_up, w_down, k_cache, v_cache, y,
    ...                   capacity, pos, grid=(256, 1, 1), threads=(256, 1, 1))
    """
    d, heads, dh, ffn = cfg.d_model, cfg.heads, cfg.head_dim, cfg.ffn
    simdgroups = THREADS // 32
    if d % heads or dh % 32 or simdgroups % heads:
        raise ValueError(f"unsupported sizes {cfg}: see Config's docstring")
    splits = simdgroups // heads  # SIMD-groups sharing one head's keys
    scale = 1.0 / float(np.sqrt(dh))
    log2_freq_step = -2.0 * float(np.log2(cfg.rope_base)) / dh  # log2 of base^(-2/dh)
    # Weight matrices, input-major (row k holds input k's weights): (k, col) -> k * cols + col.
    w_qkv_layout = Layout((d, 3 * d), (3 * d, 1))
    w_o_layout = Layout((d, d), (d, 1))
    w_up_layout = Layout((d, ffn), (ffn, 1))  # also w_gate's
    w_down_layout = Layout((ffn, d), (d, 1))

    @enigma.kernel
    def transformer_decoder(
        x: f32, g1: f32, w_qkv: f32, w_o: f32, g2: f32, w_gate: f32, w_up: f32, w_down: f32,
        k_cache: f32, v_cache: f32, y: f32, capacity: Scalar(u32), pos: Scalar(u32),
    ):  # fmt: skip
        tid = enigma.thread_index_in_threadgroup()
        h = enigma.threadgroup_alloc(f32, d)  # the residual stream
        normed = enigma.threadgroup_alloc(f32, d)
        qkv = enigma.threadgroup_alloc(f32, 3 * d)
        q_rot = enigma.threadgroup_alloc(f32, d)  # rotated, scaled by 1/sqrt(head_dim)
        attn = enigma.threadgroup_alloc(f32, d)
        act = enigma.threadgroup_alloc(f32, ffn)
        partials = enigma.threadgroup_alloc(f32, simdgroups)
        sg_max = enigma.threadgroup_alloc(f32, simdgroups)
        sg_sum = enigma.threadgroup_alloc(f32, simdgroups)
        sg_acc = enigma.threadgroup_alloc(f32, simdgroups * dh)

        def rms_norm(gain):  # normed = rmsnorm(h) * gain; ends with a barrier
            squares = 0.0
            for c in enigma.range(tid, d, THREADS):
                squares = squares + h[c] * h[c]
            total = block_reduce(squares, enigma.simd_sum, lambda a, b: a + b, partials, simdgroups)
            inv_rms = enigma.rsqrt(total / d + cfg.eps)
            for c in enigma.range(tid, d, THREADS):
                normed[c] = h[c] * inv_rms * gain[c]
            enigma.barrier()

        def project(src, w, layout, col):  # (src @ w)[col] for w laid out by `layout`
            acc = 0.0
            for k in enigma.range(layout.shape[0]):
                acc = acc + src[k] * w[layout(k, col)]
            return acc

        for c in enigma.range(tid, d, THREADS):
            h[c] = x[c]
        enigma.barrier()
        rms_norm(g1)
        for col in enigma.range(tid, 3 * d, THREADS):
            qkv[col] = project(normed, w_qkv, w_qkv_layout, col)
        enigma.barrier()

        # RoPE on q and k (pair i of a head: elements 2i, 2i + 1), then append k and v.
        for p in enigma.range(tid, d // 2, THREADS):
            head, i = p // (dh // 2), p % (dh // 2)
            angle = enigma.metal_cast(pos, f32) * enigma.exp2(
                enigma.metal_cast(i, f32) * log2_freq_step
            )
            cos, sin = enigma.cos(angle), enigma.sin(angle)
            e = 2 * p  # = head * dh + 2 i
            q_rot[e] = (qkv[e] * cos - qkv[e + 1] * sin) * scale
            q_rot[e + 1] = (qkv[e] * sin + qkv[e + 1] * cos) * scale
            slot = (head * capacity + pos) * dh + 2 * i
            k_cache[slot] = qkv[d + e] * cos - qkv[d + e + 1] * sin
            k_cache[slot + 1] = qkv[d + e] * sin + qkv[d + e + 1] * cos
        for c in enigma.range(tid, d, THREADS):
            v_cache[(c // dh * capacity + pos) * dh + c % dh] = qkv[2 * d + c]
        enigma.barrier("mem_device_and_threadgroup")  # the new k, v are read back below

        sg = enigma.simdgroup_index_in_threadgroup()
        head = sg % heads
        state = attend_key_blocks(
            q_rot, head * dh, k_cache, v_cache, head * capacity, pos + 1,
            sg // heads * 32, splits * 32, dh,
        )  # fmt: skip
        publish_state(state, sg_max, sg_sum, sg_acc, dh)
        enigma.barrier()
        for c in enigma.range(tid, d, THREADS):
            attn[c] = merged_output(sg_max, sg_sum, sg_acc, c // dh, heads, splits, c % dh, dh)
        enigma.barrier()

        for c in enigma.range(tid, d, THREADS):
            h[c] = h[c] + project(attn, w_o, w_o_layout, c)
        enigma.barrier()
        rms_norm(g2)
        for f in enigma.range(tid, ffn, THREADS):
            gate = project(normed, w_gate, w_up_layout, f)
            act[f] = gate / (1.0 + enigma.exp(-gate)) * project(normed, w_up, w_up_layout, f)
        enigma.barrier()
        for c in enigma.range(tid, d, THREADS):
            y[c] = h[c] + project(act, w_down, w_down_layout, c)

    return transformer_decoder


def make_inputs(cfg: Config, pos: int, capacity: int, seed: int = 0) -> dict:
    """Random weights (scaled by 1/sqrt(fan-in)), a token x, and a KV cache holding `pos`
    tokens; the slots from `pos` on are NaN (slot `pos` receives the new token)."""
    rng = np.random.default_rng(seed)
    d, f = cfg.d_model, cfg.ffn

    def w(n_in, n_out):
        return (rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).astype(np.float32)

    cache_shape = (cfg.heads, capacity, cfg.head_dim)
    k_cache = np.full(cache_shape, np.nan, np.float32)
    v_cache = np.full(cache_shape, np.nan, np.float32)
    k_cache[:, :pos] = rng.standard_normal((cfg.heads, pos, cfg.head_dim))
    v_cache[:, :pos] = rng.standard_normal((cfg.heads, pos, cfg.head_dim))
    return {
        "x": rng.standard_normal(d).astype(np.float32),
        "g1": rng.uniform(0.5, 1.5, d).astype(np.float32),
        "w_qkv": w(d, 3 * d),
        "w_o": w(d, d),
        "g2": rng.uniform(0.5, 1.5, d).astype(np.float32),
        "w_gate": w(d, f),
        "w_up": w(d, f),
        "w_down": w(f, d),
        "k_cache": k_cache,
        "v_cache": v_cache,
    }


def reference(cfg: Config, inp: dict, pos: int) -> dict:
    """The layer in float64: y, and the rotated k and the v appended at slot `pos`."""
    t = {k: v.astype(np.float64) for k, v in inp.items()}
    dh = cfg.head_dim

    def rms_norm(v, gain):
        return v / np.sqrt(np.mean(v * v) + cfg.eps) * gain

    def rope(v):  # v: (heads, dh), interleaved pairs
        freq = cfg.rope_base ** (-2.0 * np.arange(dh // 2) / dh)
        cos, sin = np.cos(pos * freq), np.sin(pos * freq)
        even, odd = v[:, 0::2], v[:, 1::2]
        out = np.empty_like(v)
        out[:, 0::2] = even * cos - odd * sin
        out[:, 1::2] = even * sin + odd * cos
        return out

    q, k, v = np.split(rms_norm(t["x"], t["g1"]) @ t["w_qkv"], 3)
    q, k = rope(q.reshape(cfg.heads, dh)), rope(k.reshape(cfg.heads, dh))
    v = v.reshape(cfg.heads, dh)
    keys = np.concatenate([t["k_cache"][:, :pos], k[:, None]], axis=1)
    values = np.concatenate([t["v_cache"][:, :pos], v[:, None]], axis=1)
    scores = np.einsum("hd,hsd->hs", q, keys) / np.sqrt(dh)
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    h = t["x"] + np.einsum("hs,hsd->hd", p, values).reshape(-1) @ t["w_o"]
    n = rms_norm(h, t["g2"])
    gate, up = n @ t["w_gate"], n @ t["w_up"]
    y = h + (gate / (1.0 + np.exp(-gate)) * up) @ t["w_down"]
    return {"y": y, "k_new": k, "v_new": v}


def run(cfg: Config = DEFAULT, pos: int = 100, capacity=None, seed: int = 0):
    """Run the fused layer for the token at position `pos` on the cpu device; return
    (results, float64 references), dicts with "y", "k_new", "v_new" (the cache's slot pos).
    `capacity` defaults to pos + 5.

    >>> got, want = run(Config(d_model=64, heads=2, ffn=128), pos=0)
    """
    capacity = pos + 5 if capacity is None else capacity
    inp = make_inputs(cfg, pos, capacity, seed)
    y = np.zeros(cfg.d_model, np.float32)
    enigma.compile(make_kernel(cfg))(
        *inp.values(), y, capacity, pos, grid=(THREADS, 1, 1), threads=(THREADS, 1, 1),
        device="cpu",
    )  # fmt: skip
    got = {"y": y, "k_new": inp["k_cache"][:, pos], "v_new": inp["v_cache"][:, pos]}
    return got, reference(cfg, make_inputs(cfg, pos, capacity, seed), pos)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d-model", type=int, default=128)
    parser.add_argument("--heads", type=int, choices=(1, 2, 4, 8), default=4)
    parser.add_argument("--ffn", type=int, default=256)
    parser.add_argument("--pos", type=int, default=100, help="tokens already in the KV cache")
    parser.add_argument("--show-msl", action="store_true", help="print the generated kernel")
    args = parser.parse_args(argv)
    cfg = Config(d_model=args.d_model, heads=args.heads, ffn=args.ffn)
    if args.show_msl:
        print(enigma.compile(make_kernel(cfg)).metal_source)
    got, want = run(cfg, args.pos)
    err = max(max_error(got[key], want[key]) for key in want)
    what = f"transformer_decoder d={cfg.d_model} heads={cfg.heads} ffn={cfg.ffn} pos={args.pos}"
    return report(what, err, TOLERANCE)


if __name__ == "__main__":
    sys.exit(main())
