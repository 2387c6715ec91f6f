"""Decode attention (one query token per head over a KV cache, f32): Enigma vs torch SDPA.

Enigma runs examples/decode_attention.py's kernel (one threadgroup per head,
online softmax per SIMD-group) and the split-KV pair of kernels_attention.py
(flash decoding: chunks of 256 or 128 keys per threadgroup, then a combine
kernel; `-splitkv` rows time both launches); torch runs
`scaled_dot_product_attention` on (1, heads, 1, D) queries. Bandwidth counts
the K and V caches read once. The check is against a float64 reference.
"""

from __future__ import annotations

import math

import kernels
import kernels_attention
from timing import Row, enigma_launcher, measure, rotations, standalone

TOLERANCE = 1e-4
HEAD_DIM = 128


def _case(heads: int, seq_len: int) -> list[Row]:
    import torch

    cache_bytes = 2 * 4 * heads * seq_len * HEAD_DIM
    sets = []
    for _ in range(rotations(cache_bytes)):
        q = torch.randn(heads, HEAD_DIM, device="cuda") * 2
        k = torch.randn(heads, seq_len, HEAD_DIM, device="cuda")
        v = torch.randn(heads, seq_len, HEAD_DIM, device="cuda")
        sets.append((q, k, v, torch.empty(heads, HEAD_DIM, device="cuda")))
    q64, k64, v64 = (t.double() for t in sets[0][:3])
    scores = torch.einsum("hd,hsd->hs", q64, k64) / math.sqrt(HEAD_DIM)
    ref = torch.einsum("hs,hsd->hd", torch.softmax(scores, -1), v64)
    case = f"H{heads} L{seq_len}"

    def row(impl):
        return Row("decode_attention", case, "f32", impl, cache_bytes)

    def out(args):
        return args[3]

    kernel, threads = kernels.decode_attention(HEAD_DIM)
    enigma = enigma_launcher(kernel, (heads * threads, 1, 1), (threads, 1, 1))

    def splitkv(chunk: int):
        """Flash decoding (kernels_attention.py): chunks of `chunk` keys, then a combine."""
        launch = kernels_attention.decode_attention_launches(heads, seq_len, HEAD_DIM, chunk)
        partial, combine = kernels_attention.make_decode_attention(HEAD_DIM, chunk)
        scratch = [torch.empty(n, device="cuda") for n in launch["scratch"].values()]
        run_partial = enigma_launcher(partial, **launch["partial"])
        run_combine = enigma_launcher(combine, **launch["combine"])

        def call(args):
            q, k, v, o = args
            run_partial((q, k, v, *scratch, seq_len, seq_len))
            run_combine((*scratch, o, launch["splits"]))

        return call

    def sdpa(args):
        q, k, v, _ = args
        o = torch.nn.functional.scaled_dot_product_attention(q[None, :, None], k[None], v[None])
        return o[0, :, 0]

    return [
        measure(row("enigma"), lambda a: enigma((*a, seq_len, seq_len)), sets, out, ref, TOLERANCE),
        measure(row("enigma-splitkv"), splitkv(256), sets, out, ref, TOLERANCE),
        measure(row("enigma-splitkv128"), splitkv(128), sets, out, ref, TOLERANCE),
        measure(row("torch SDPA"), sdpa, sets, out, ref, TOLERANCE),
    ]


def run(quick: bool = False) -> list[Row]:
    return _case(32, 1024) if quick else _case(128, 4096)


if __name__ == "__main__":
    standalone(run, __doc__.splitlines()[0])
