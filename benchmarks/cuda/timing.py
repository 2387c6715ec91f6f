"""The timing and checking every benchmarks/cuda/ module shares, and the result table.

Every implementation (Enigma, torch, Triton, cuBLAS) is timed the same way:
CUDA events around one call, median over repetitions after a warm-up. Before
each timed call the GPU is kept busy by `torch.cuda._sleep`, so the host's launch
overhead (Python argument checks) overlaps that sleep and only device time lands
between the events; all launches go to the legacy default stream (torch's and
Enigma's), which orders them with the events. Where one argument set fits in
L2 (50 MB on H100), calls rotate over copies so the data comes from DRAM.
Before timing, the outputs are poisoned with NaN, the implementation runs once
and must match a float64 (or float32) torch reference: a wrong kernel's time is
never reported, its row says why instead.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from dataclasses import asdict, dataclass, field

L2_BYTES = 50 * 2**20
SLEEP_CYCLES = 400_000  # ~200 us of GPU clock: longer than any host-side launch overhead
TARGET_SECONDS = 0.25  # timed repetitions per implementation add up to about this


@dataclass
class Row:
    """One implementation on one case; `us` is None when it was not timed (see `note`)."""

    bench: str
    case: str
    dtype: str
    impl: str  # "enigma..." for Enigma's kernels; anything else is a peer
    work: float  # bytes moved (unit GB/s) or floating-point operations (TFLOP/s)
    unit: str = "GB/s"
    us: float | None = None
    error: float | None = None  # max |out - ref| / max |ref| of the checked run
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        if self.us is None or not self.work:
            return None
        return self.work / (self.us * 1e-6) / (1e9 if self.unit == "GB/s" else 1e12)

    @property
    def is_enigma(self) -> bool:
        return self.impl.startswith("enigma")

    def as_dict(self) -> dict:
        return asdict(self) | {"rate": self.rate}


def short(error: BaseException) -> str:
    """An exception as one table-sized line (the JSON keeps the whole message)."""
    text = str(error).strip().splitlines()
    first = text[0] if text else type(error).__name__
    if "has no CUDA lowering yet" in str(error):
        return "not lowered yet: " + first.split("failed: ", 1)[-1][:80]
    return f"{type(error).__name__}: {first[:100]}"


def rotations(bytes_per_set: int) -> int:
    """How many argument sets to rotate over so the working set is twice L2."""
    return 1 if bytes_per_set >= 2 * L2_BYTES else min(8, math.ceil(2 * L2_BYTES / bytes_per_set))


def rel_error(out, ref) -> float:
    """max |out - ref| / max |ref|, in float64; NaN anywhere gives NaN."""
    out64, ref64 = out.double(), ref.double()
    scale = max(float(ref64.abs().max()), 1e-30)
    return float((out64 - ref64).abs().max()) / scale


def time_gpu(call, sets: int = 1) -> float:
    """Median device time in microseconds of `call(i)` (i picks the argument set)."""
    import torch

    sleep = getattr(torch.cuda, "_sleep", None)
    call(0)
    torch.cuda.synchronize()
    start = time.perf_counter()
    call(1 % sets)
    torch.cuda.synchronize()
    once = time.perf_counter() - start
    reps = max(5, min(200, int(TARGET_SECONDS / max(once, 1e-6))))
    for i in range(min(10, reps // 4 + 1)):
        call(i % sets)
    events = [
        (torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True))
        for _ in range(reps)
    ]
    for i, (begin, end) in enumerate(events):
        if sleep is not None:
            sleep(SLEEP_CYCLES)
        begin.record()
        call(i % sets)
        end.record()
    torch.cuda.synchronize()
    return statistics.median(begin.elapsed_time(end) * 1000.0 for begin, end in events)


def measure(row: Row, call, sets: list, output, reference, tolerance: float) -> Row:
    """Check, then time, one implementation: `call(args)` runs it on an argument set,
    `output(args)` is the tensor it writes, `reference` what set 0's output must be. A
    peer that returns a new tensor (torch eager) is checked on what it returns."""
    import torch

    try:
        for args in sets:
            output(args).fill_(float("nan"))
        returned = call(sets[0])
        torch.cuda.synchronize()
        got = returned if isinstance(returned, torch.Tensor) else output(sets[0])
        row.error = rel_error(got, reference)
        if not row.error <= tolerance:
            row.note = f"WRONG: error {row.error:.1e} > {tolerance:.0e}; time not reported"
            return row
        row.us = time_gpu(lambda i: call(sets[i]), len(sets))
    except Exception as e:  # one failing implementation must not end the run
        row.note = short(e)
        row.extra["exception"] = f"{type(e).__name__}: {e}"
    return row


def skipped(bench: str, case: str, dtype: str, impl: str, note: str, unit="GB/s") -> Row:
    return Row(bench, case, dtype, impl, 0.0, unit, note=note)


def table(rows: list[Row], copy_gbps: float | None) -> str:
    """The compact table: one line per row, with %-of-copy and the ratio to the best peer
    (best peer time / Enigma time: above 1 is faster than every peer)."""
    best_peer: dict[tuple, float] = {}
    for r in rows:
        if not r.is_enigma and r.us is not None and r.bench != "copy":
            key = (r.bench, r.case, r.dtype)
            best_peer[key] = min(best_peer.get(key, math.inf), r.us)
    head = f"{'bench':<17}{'case':<15}{'dtype':<6}{'impl':<16}{'time':>10}{'rate':>15}"
    lines = [head + f"{'%copy':>7}{'vs peer':>9}  note", "-" * 100]
    for r in rows:
        time_s = (
            "-" if r.us is None else (f"{r.us / 1000:.2f} ms" if r.us >= 1000 else f"{r.us:.1f} us")
        )
        rate = "-" if r.rate is None else f"{r.rate:.1f} {r.unit}"
        pct = ""
        if r.rate is not None and r.unit == "GB/s" and copy_gbps:
            pct = f"{100 * r.rate / copy_gbps:.0f}%"
        ratio = ""
        peer = best_peer.get((r.bench, r.case, r.dtype))
        if r.is_enigma and r.us is not None and peer is not None:
            ratio = f"{peer / r.us:.2f}x"
        line = f"{r.bench:<17}{r.case:<15}{r.dtype:<6}{r.impl:<16}{time_s:>10}{rate:>15}"
        lines.append(f"{line}{pct:>7}{ratio:>9}  {r.note}")
    return "\n".join(lines)


def standalone(run, description: str) -> None:
    """`python bench_x.py [--quick]`: run one benchmark and print its table."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    args = parser.parse_args()
    rows = run(args.quick)
    print(table(rows, None))


def triton_peers():
    """The Triton peers module, or None where Triton is not installed."""
    try:
        import triton_peers as peers
    except ImportError:
        return None
    return peers


def enigma_launcher(kernel, grid, threads):
    """`call(args)` running an Enigma kernel on torch CUDA tensors in place (args in
    parameter order, Scalars as Python numbers); compiled on first use."""
    import enigma

    compiled = []

    def call(args):
        if not compiled:
            compiled.append(enigma.compile(kernel))
        compiled[0](*args, grid=grid, threads=threads, device="cuda")

    return call
