"""Compile latency, cold and cached: Enigma vs Triton on the same kernels.

Each measurement is a fresh process (compile_probe.py), so no in-memory cache
helps: cold runs get an empty ENIGMA_CACHE_DIR / TRITON_CACHE_DIR, cached runs
reuse the directory the cold run filled. A row's time is compile + first
launch of one kernel (its `work` is unused; the table shows the time only).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from timing import Row, standalone

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "compile_probe.py")


def _probe(tool: str, cache_dir: str) -> dict[str, float]:
    env = dict(os.environ)
    env["ENIGMA_CACHE_DIR" if tool == "enigma" else "TRITON_CACHE_DIR"] = cache_dir
    done = subprocess.run(
        [sys.executable, PROBE, tool], env=env, capture_output=True, text=True, timeout=180
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[Row]:
    rows = []
    for tool in ("enigma", "triton"):
        with tempfile.TemporaryDirectory() as cache_dir:
            for mode in ("cold", "cached"):
                try:
                    times = _probe(tool, cache_dir)
                except Exception as e:  # e.g. Triton missing: the other rows still count
                    rows.append(Row("compile", "-", mode, tool, 0.0, "ms", note=str(e)[:100]))
                    continue
                for kernel, ms in times.items():
                    rows.append(Row("compile", kernel, mode, tool, 0.0, "ms", us=ms * 1000.0))
    return rows


if __name__ == "__main__":
    standalone(run, __doc__.splitlines()[0])
