"""The CUDA emitter (docs/cuda.md): every test kernel's CUDA compiles cleanly with NVRTC.

The kernels come from the other test modules, collected programmatically (every
module-level `@enigma.kernel`, also in lists and dicts), so a new test kernel is
covered the day it is written. A kernel whose emission fails with "has no CUDA
lowering yet" must name an op or feature of NOT_LOWERED_YET; that list can only
shrink: an entry that no kernel needs any more fails the test too. NVRTC needs
no GPU: it compiles for sm_90 (cubin) and compute_90 (PTX). To keep the run
short, kernels compile in batches (one prelude, each kernel in a namespace) on a
few threads, and NVRTC's output is cached on disk (enigma/compiler/nvrtc.py).
"""

from __future__ import annotations

import importlib
import inspect
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import enigma
from enigma import _core
from enigma.compiler import nvrtc
from enigma.dtypes import SCALAR_DTYPES
from enigma.errors import EnigmaError
from enigma.language.kernel import KernelFunction

pytestmark = pytest.mark.skipif(not nvrtc.available(), reason="NVRTC wheels not installed")

# The first op or feature without a CUDA lowering yet that stops a test kernel, and
# why. Every test kernel is covered now; the list stays so that it stays that way.
NOT_LOWERED_YET: dict[str, str] = {}
_NOT_LOWERED = re.compile(
    r"(?:`([\w.]+)`|parameter '\w+' of type .*?) has no CUDA lowering yet(?: \(([^)]*)\))?"
)
_PRELUDE_END = "// --- End of the Enigma CUDA prelude ---\n"
_BATCH = 24
# A kernel with threadgroup matrices defines module globals (its dynamic shared bytes):
# it compiles in a unit of its own, for sm_90a (TMA and wgmma) and for sm_90.
_OWN_UNIT = "ENIGMA_THREADGROUP_MATRIX_SHARED("


def _batched(sources) -> list[str]:
    return sorted(
        label
        for label, source in sources.items()
        if _OWN_UNIT not in source.split(_PRELUDE_END, 1)[1]
    )


def _kernels_of(value):
    if isinstance(value, KernelFunction):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _kernels_of(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _kernels_of(item)


def _factories(module):
    """Module-level kernel factories (`make_kernel(dtype)`, `make_cast_kernel()`)."""
    for name, fn in vars(module).items():
        if name.startswith("test") or "kernel" not in name or not inspect.isfunction(fn):
            continue
        if fn.__module__ != module.__name__:
            continue
        required = [p for p in inspect.signature(fn).parameters.values() if p.default is p.empty]
        if len(required) <= 1:
            yield name, fn, len(required)


def _from_factory(fn, arity):
    """(argument label, kernel) for each dtype a one-argument factory accepts."""
    for dtype in SCALAR_DTYPES if arity else [None]:
        try:
            made = fn(dtype) if arity else fn()
        except Exception:  # a dtype the factory does not take
            continue
        for kernel in _kernels_of(made):
            yield (dtype.name if dtype else ""), kernel


def _collect() -> list[tuple[str, KernelFunction]]:
    """Every kernel of the other test modules: module-level ones and factories' ones."""
    found, seen = [], set()
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        if path.stem == Path(__file__).stem:
            continue
        module = importlib.import_module(path.stem)
        candidates = [(kernel.name, kernel) for kernel in _kernels_of(vars(module))]
        for name, fn, arity in _factories(module):
            candidates += [(f"{name}({arg})", k) for arg, k in _from_factory(fn, arity)]
        for name, kernel in candidates:
            if id(kernel) not in seen:
                seen.add(id(kernel))
                found.append((f"{path.stem}.{name}", kernel))
    return found


def _emit_all():
    """{label: CUDA source}, {label: the op or feature not lowered yet}, and skips."""
    sources, missing, skipped = {}, {}, []
    for label, kernel in _collect():
        try:
            traced = kernel.trace().to_json()
            _core.compile_kernel(traced, emit_locations=False)
        except EnigmaError:
            skipped.append(label)  # a kernel of an error test: it has no MSL either
            continue
        try:
            sources[label] = _core.compile_kernel(traced, emit_locations=False, target="cuda")[
                "cuda"
            ]
        except EnigmaError as e:
            match = _NOT_LOWERED.search(str(e))
            assert match, f"{label}: CUDA emission failed where MSL did not:\n{e}"
            missing[label] = match.group(2) or match.group(1) or "vector types"
    return sources, missing, skipped


@pytest.fixture(scope="module")
def emitted():
    return _emit_all()


def _batch_source(labels: list[str], sources: dict[str, str]) -> str:
    """One translation unit: the prelude once, then each kernel in a namespace of its own."""
    first = sources[labels[0]]
    parts = [first[: first.index(_PRELUDE_END) + len(_PRELUDE_END)]]
    for i, label in enumerate(labels):
        body = sources[label].split(_PRELUDE_END, 1)[1]
        body = body.replace('extern "C" __global__', "__global__")
        constants = re.findall(r"^#define (\w+) \(\(", body, flags=re.M)
        parts.append(f"namespace batch{i} {{ // {label}\n{body}}}\n")
        parts += [f"#undef {name}\n" for name in constants]
    return "".join(parts)


def _defines(source: str) -> dict[str, str]:
    indices = set(re.findall(r"ENIGMA_FUNCTION_CONSTANT_(\d+)", source))
    return {f"ENIGMA_FUNCTION_CONSTANT_{i}": "1" for i in indices}


def _compile_batch(labels, sources, arch="sm_90"):
    """NVRTC's log for the batch; on failure, the first failing kernel's own error."""
    source = _batch_source(labels, sources)
    try:
        return nvrtc.compile_cuda(source, name="batch.cu", arch=arch, defines=_defines(source))
    except EnigmaError:
        for label in labels:
            try:
                nvrtc.compile_cuda(
                    sources[label], name=f"{label}.cu", arch=arch, defines=_defines(sources[label])
                )
            except EnigmaError as e:
                pytest.fail(f"{label}: {e}\n--- CUDA source ---\n{sources[label]}")
        raise


def test_every_covered_test_kernel_compiles_with_nvrtc(emitted):
    sources, missing, _ = emitted
    assert len(sources) > 100, "the collection found too few kernels"
    labels = _batched(sources)
    batches = [labels[i : i + _BATCH] for i in range(0, len(labels), _BATCH)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        binaries = list(pool.map(lambda b: _compile_batch(b, sources), batches))
    for binary in binaries:
        assert binary.cubin[:4] == b"\x7fELF"
    warnings = [binary.log for binary in binaries if binary.log]
    assert not warnings, "NVRTC warned:\n" + "\n".join(warnings)


def test_threadgroup_matrix_kernels_compile_for_sm_90a_and_sm_90(emitted):
    sources, _, _ = emitted
    labels = sorted(set(sources) - set(_batched(sources)))
    assert len(labels) >= 4, "the collection found too few threadgroup-matrix kernels"
    jobs = [(label, arch) for label in labels for arch in ("sm_90a", "sm_90")]

    def compile_one(job):
        label, arch = job
        source = sources[label]
        return nvrtc.compile_cuda(source, name=f"{label}.cu", arch=arch, defines=_defines(source))

    with ThreadPoolExecutor(max_workers=4) as pool:
        binaries = list(pool.map(compile_one, jobs))
    for (label, arch), binary in zip(jobs, binaries, strict=True):
        assert binary.cubin[:4] == b"\x7fELF", (label, arch)
        assert not binary.log, f"NVRTC warned on {label} for {arch}:\n{binary.log}"
    # sm_90a compiles the TMA + wgmma product; other archs the per-thread one.
    ptx = {
        arch: [b.ptx for (_, a), b in zip(jobs, binaries, strict=True) if a == arch]
        for arch in ("sm_90a", "sm_90")
    }
    assert any(b"wgmma.mma_async" in p and b"cp.async.bulk.tensor" in p for p in ptx["sm_90a"])
    assert not any(b"wgmma" in p for p in ptx["sm_90"])


def test_uncovered_ops_are_only_those_listed(emitted):
    _, missing, _ = emitted
    unexpected = {label: op for label, op in missing.items() if op not in NOT_LOWERED_YET}
    assert not unexpected, f"kernels need ops without a CUDA lowering: {unexpected}"
    stale = set(NOT_LOWERED_YET) - set(missing.values())
    assert not stale, f"no test kernel needs these any more; drop them from the list: {stale}"


def test_ptx_for_compute_90(emitted):
    sources, _, _ = emitted
    labels = _batched(sources)[:_BATCH]
    binary = _compile_batch(labels, sources, arch="compute_90")
    assert binary.cubin is None
    ptx = binary.ptx.decode()
    assert ".target sm_90" in ptx and ptx.count(".entry") == len(labels)


@enigma.kernel
def scaled_add(a: enigma.f32, b: enigma.f32, out: enigma.f32):
    i = enigma.thread_position_in_grid
    out[i] = a[i] * 2.0 + b[i]


def test_cuda_source_attribute_and_abi():
    compiled = enigma.compile(scaled_add)
    cuda = compiled.cuda_source
    assert 'extern "C" __global__ void scaled_add(const float* a,' in cuda
    assert "EnigmaLaunch enigma_launch) {" in cuda
    assert "if (!enigma_in_grid(enigma_launch)) return;" in cuda
    assert "#include <metal_stdlib>" in compiled.metal_source  # the MSL is untouched
    assert compiled.cuda_source is cuda  # emitted once


def test_unknown_target_is_an_enigma_error():
    traced = scaled_add.trace().to_json()
    with pytest.raises(EnigmaError, match="unknown compile target 'ptx'"):
        _core.compile_kernel(traced, target="ptx")
