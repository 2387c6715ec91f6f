"""`pipeline`: multi-stage threadgroup buffers for overlapping the next tile's load with compute.

One `threadgroup_alloc` holds `stages` copies of a stage; a stage holds one tile per
layout given (e.g. an A tile and a B tile of a GEMM), each starting on a 4-element
boundary so vector accesses stay aligned. The pipeline tracks which stage the
consumer reads (`read_stage`, a Python int or a traced value); the producer writes
the stage that will be read `stages - 1` steps later (`write_stage`). In a K loop:

    pipe = enigma.pipeline(enigma.f32, a_tile, b_tile, stages=2)
    sA, sB = pipe.stage(0)                  # prologue: fill stage 0, then pipe.sync()
    with pipe.loop(0, k_tiles, init=acc) as (kt, acc):
        with enigma.if_(kt + 1 < k_tiles):  # producer: the next K tile
            sA, sB = pipe.producer
            ...copy tile kt + 1...
        sA, sB = pipe.consumer              # consumer: compute on tile kt
        enigma.gemm(acc, sA, sB)
        pipe.advance()                      # barrier, then rotate the stages

Barriers: `advance()` starts with a threadgroup barrier, which makes the producer's
writes visible before that stage is read and keeps the producer from overwriting a
stage until every thread has finished reading it (with 2 stages, the stage written in
step t is the one read in step t - 1). `pipe.loop` carries the stage index through a
kernel loop (a traced value, since the body is traced once) next to your own carried
values, and checks that the body calls `advance()`.

On Apple GPU family 9 the producer can use `pipe.async_copy(src, dst)` instead of
`enigma.copy`: SIMD-group async copies (each SIMD-group a share of the rows) that
the next `advance()` or `sync()` waits for, so they must be started in that same
block (prefetch a clamped K tile rather than guarding with `if_`).
"""

from __future__ import annotations

from .. import dtypes as dt
from ..errors import TraceError
from ..language.async_copy import async_copy_2d_d2t, async_copy_wait
from ..language.builtins import simdgroup_index_in_threadgroup, simdgroups_per_threadgroup
from ..language.control_flow import for_range
from ..language.core import resolve_dtype, traced
from ..language.memory import barrier, threadgroup_alloc
from ..language.ops import metal_cast, where
from ..language.ops_integer import imin
from ..language.tracing import current, user_location
from .matrix import MatrixView
from .views import matrix_view, tensor_view, tile_layout

__all__ = ["Pipeline", "pipeline"]

_ALIGN = 4  # elements: each tile starts where a 4-lane vector access is aligned


class Pipeline:
    """Stages of threadgroup tiles with a rotating read stage; made by `enigma.pipeline`."""

    def __init__(self, dtype, layouts: list, stages: int):
        self.dtype = dtype
        self.layouts = layouts
        self.stages = stages
        self.offsets = []  # each tile's element offset inside a stage
        size = 0
        for layout in layouts:
            self.offsets.append(size)
            size += -(-layout.cosize() // _ALIGN) * _ALIGN
        self.stage_size = size
        self.buffer = threadgroup_alloc(dtype, size * stages)
        self.read_stage = 0
        self._events = []  # async copies started and not yet waited for
        self._loop = None  # the carry of the pipe.loop being traced, and advance() count

    def __repr__(self) -> str:
        tiles = ", ".join(str(layout) for layout in self.layouts)
        return f"<pipeline {self.stages} x [{tiles}] of {self.dtype.name}>"

    @property
    def write_stage(self):
        """The stage the producer fills now: read `stages - 1` advances later."""
        return self._rotate(self.read_stage, self.stages - 1)

    def stage(self, s):
        """The tile views of stage `s` (a Python int or a traced integer): one view per
        layout given to `pipeline`, or the view itself when there is one.

        >>> sA, sB = pipe.stage(0)
        """
        loc = user_location()
        current("pipeline.stage")
        if isinstance(s, int) and not 0 <= s < self.stages:
            raise TraceError(
                f"stage {s} does not exist in a {self.stages}-stage pipeline", loc,
                hint=f"use a stage from 0 to {self.stages - 1}",
            )  # fmt: skip
        if not isinstance(s, int) and (traced(s) is None or not traced(s).dtype.is_int):
            raise TraceError(
                f"a pipeline stage is a Python int or a traced integer, not {s!r}", loc,
                hint="use pipe.consumer / pipe.producer, or pipe.stage(0) in a prologue",
            )  # fmt: skip
        base = s * self.stage_size if isinstance(s, int) else traced(s) * self.stage_size
        views = tuple(
            tensor_view(self.buffer, layout, _offset(base, offset))
            for layout, offset in zip(self.layouts, self.offsets, strict=True)
        )
        return views[0] if len(views) == 1 else views

    @property
    def consumer(self):
        """The tile views of the stage read now (`stage(read_stage)`)."""
        return self.stage(self.read_stage)

    @property
    def producer(self):
        """The tile views of the stage written now (`stage(write_stage)`)."""
        return self.stage(self.write_stage)

    def sync(self) -> None:
        """A threadgroup barrier (after waiting for this pipeline's async copies): what was
        written to the stages is visible to every thread."""
        current("pipeline.sync")
        self._wait(user_location())
        barrier("mem_threadgroup")

    def async_copy(self, src, dst) -> None:
        """Starts copying the rank-2 device view `src` into the threadgroup view `dst` (a
        stage's tile) with SIMD-group async copies (Apple GPU family 9; plain copies on
        the cpu device): each SIMD-group copies its share of the rows. The next `sync()`
        or `advance()` waits for them. Both views need a unit stride along one same mode.

        >>> pipe.async_copy(g_a[None, None, imin(kt + 1, last)], pipe.producer[0])
        """
        fn = "pipeline.async_copy"
        loc = user_location()
        current(fn)
        s, d = matrix_view(fn, "src", src, loc), matrix_view(fn, "dst", dst, loc)
        _check_async(fn, s, d, loc)
        if s.col_stride != 1 or d.col_stride != 1:  # rows contiguous: copy the transposes
            s, d = s.transposed(), d.transposed()
        rows = metal_cast(s.rows, dt.u32)
        groups = simdgroups_per_threadgroup()
        per = (rows + groups - 1) // groups
        start = simdgroup_index_in_threadgroup() * per
        count = where(0, imin(per, rows - start), start < rows)  # rows past the end: none
        event = async_copy_2d_d2t(d.buffer, d.row_stride, s.buffer, s.row_stride, s.cols,
                                  count, dst_elem=d.element(start, 0),
                                  src_elem=s.element(start, 0))  # fmt: skip
        self._events.append(event)

    def _wait(self, loc) -> None:
        """Wait for the async copies started since the last wait (in this same block)."""
        if not self._events:
            return
        if any(e.value.scope.closed for e in self._events):
            self._events = []
            raise TraceError(
                "async copies of this pipeline were started inside a block that has ended"
                " (an if_ or a loop), so advance()/sync() cannot wait for them here",
                loc,
                hint="start them in the block of the advance(), unconditionally: prefetch"
                " the K tile imin(kt + 1, k_tiles - 1) instead of guarding with enigma.if_",
            )
        async_copy_wait(*self._events)
        self._events = []

    def advance(self) -> None:
        """End a pipeline step: a threadgroup barrier, then the next stage becomes the
        read stage (and the one after it the write stage).

        >>> pipe.advance()
        """
        current("pipeline.advance")
        self._wait(user_location())
        barrier("mem_threadgroup")
        nxt = self._rotate(self.read_stage, 1)
        if self._loop is not None:  # inside pipe.loop: the next iteration's stage
            carry, count = self._loop
            carry[0] = nxt
            self._loop = (carry, count + 1)
        self.read_stage = nxt

    def _rotate(self, s, k: int):
        """(s + k) mod stages, folded for Python ints."""
        if isinstance(s, int):
            return (s + k) % self.stages
        if k % self.stages == 0:
            return s
        if self.stages & (self.stages - 1) == 0:
            return (s + k) & (self.stages - 1)
        return (s + k) % self.stages

    def loop(self, lo, hi=None, step=1, *, init=None):
        """A kernel loop (as `enigma.for_range`) whose iterations are pipeline steps: it
        carries the read stage besides `init`, and its body must call `advance()`.

        >>> with pipe.loop(0, k_tiles, init=acc) as (kt, acc):
        ...     pipe.advance()
        """
        return _PipelineLoop(self, (0, lo, step) if hi is None else (lo, hi, step), init)


def _offset(base, offset: int):
    if isinstance(base, int):
        return base + offset
    return base if offset == 0 else base + offset


class _PipelineLoop:
    """The context manager of `Pipeline.loop`."""

    def __init__(self, pipe: Pipeline, bounds: tuple, init):
        self.pipe = pipe
        self.bounds = bounds
        self.init = init

    def __enter__(self):
        loc = user_location()
        current("pipeline.loop")
        pipe = self.pipe
        if pipe._loop is not None:
            raise TraceError(
                "pipeline.loop blocks of one pipeline cannot be nested", loc,
                hint="use one pipe.loop for the pipelined K loop and enigma.for_range inside",
            )  # fmt: skip
        if self.init is not None and not isinstance(self.init, (list, tuple)):
            raise TraceError(
                f"pipeline.loop init= takes a list of initial values, not {self.init!r}", loc,
                hint=f"write init=[{self.init!r}]",
            )  # fmt: skip
        stage = pipe.read_stage
        if isinstance(stage, int):  # carried as a uint, the type of its rotations
            stage = metal_cast(stage, dt.u32)
        user = list(self.init or [])
        self._for = for_range(*self.bounds, init=[stage] + user)
        iv, carry = self._for.__enter__()
        pipe._loop = (carry, 0)
        pipe.read_stage = carry[0]
        self._carry = carry
        return (iv, _UserCarry(carry)) if self.init is not None else iv

    def __exit__(self, exc_type, exc, tb) -> bool:
        pipe = self.pipe
        advances = pipe._loop[1]
        pipe._loop = None
        if exc_type is None and advances == 0:
            self._for.__exit__(TraceError, None, None)
            raise TraceError(
                "the body of pipeline.loop never calls advance(): the stages would not rotate",
                user_location(),
                hint="end each iteration with pipe.advance() (it also places the barrier)",
            )
        self._for.__exit__(exc_type, exc, tb)
        pipe.read_stage = self._carry[0]
        return False


class _UserCarry:
    """The carried values of a pipeline loop without its stage index (as a `Carry`)."""

    __slots__ = ("_carry",)

    def __init__(self, carry):
        self._carry = carry

    def __len__(self) -> int:
        return len(self._carry) - 1

    def __getitem__(self, k):
        return self._carry[self._index(k)]

    def __setitem__(self, k, value) -> None:
        self._carry[self._index(k)] = value

    def __iter__(self):
        return iter([self[k] for k in range(len(self))])

    def _index(self, k) -> int:
        n = len(self)
        if not isinstance(k, int) or not -n <= k < n:
            raise TraceError(
                f"the pipeline loop carries {n} value(s) of yours; [{k!r}] does not exist",
                user_location(),
            )
        return k % n + 1


def _check_async(fn: str, s: MatrixView, d: MatrixView, loc) -> None:
    if s.buffer.space != "device" or d.buffer.space != "threadgroup":
        raise TraceError(
            f"{fn} copies a device view into a threadgroup view, not {s.buffer.space} into"
            f" {d.buffer.space}", loc,
            hint="copy from a Tensor argument's tile into pipe.producer",
        )  # fmt: skip
    if (s.rows, s.cols) != (d.rows, d.cols) or s.dtype is not d.dtype:
        raise TraceError(
            f"{fn}: src is {s.rows} x {s.cols} {s.dtype.name}, dst {d.rows} x {d.cols}"
            f" {d.dtype.name}; they must match", loc,
        )  # fmt: skip
    if not (s.col_stride == d.col_stride == 1 or s.row_stride == d.row_stride == 1):
        raise TraceError(
            f"{fn}: src has strides ({s.row_stride}, {s.col_stride}) and dst"
            f" ({d.row_stride}, {d.col_stride}); an async copy moves rows, so both need a unit"
            " stride along the same mode", loc,
            hint="give the stage's tile the source tile's major order, or use enigma.copy",
        )  # fmt: skip


def pipeline(dtype, *tiles, stages: int = 2) -> Pipeline:
    """`stages` threadgroup stages, each holding one tile per layout (or shape) in `tiles`.

    >>> pipe = enigma.pipeline(enigma.f32, Layout((32, 16), (16, 1)), Layout((32, 16), (16, 1)))
    """
    loc = user_location()
    current("pipeline")
    t = resolve_dtype(dtype, "pipeline dtype", loc)
    if not isinstance(stages, int) or isinstance(stages, bool) or stages < 2:
        raise TraceError(
            f"a pipeline needs at least 2 stages, not {stages!r}", loc,
            hint="stages=2 double-buffers; a single buffer needs no pipeline",
        )  # fmt: skip
    if not tiles:
        raise TraceError(
            "pipeline needs the layout (or shape) of at least one tile", loc,
            hint="e.g. enigma.pipeline(enigma.f32, Layout((32, 16), (16, 1)), stages=2)",
        )  # fmt: skip
    layouts = [tile_layout("pipeline", x, loc) for x in tiles]
    return Pipeline(t, layouts, stages)
