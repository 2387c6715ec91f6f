"""What every showcase example does after running its kernel: compare and report.

Each example computes a float64 numpy reference, measures the largest absolute
difference with `max_error`, and ends its `main()` with `report`, which prints
the error against the example's stated tolerance and gives the exit status
(0 on a match, 1 on a mismatch) so `python examples/<name>.py` fails loudly.

>>> err = max_error(out, reference)
>>> sys.exit(report("rmsnorm 64x1000 f32", err, tol=1e-5))
"""

from __future__ import annotations

import numpy as np


def max_error(out: np.ndarray, ref: np.ndarray) -> float:
    """The largest |out - ref| in float64; equal infinities (and NaN against NaN) count as 0,
    any other non-finite mismatch as inf.

    >>> max_error(np.float32([1, np.inf]), np.float64([1, np.inf]))
    0.0
    """
    out = np.asarray(out, np.float64)
    ref = np.asarray(ref, np.float64)
    same = (out == ref) | (np.isnan(out) & np.isnan(ref))
    diff = np.where(same, 0.0, np.abs(out - ref))
    diff = np.where(np.isnan(diff), np.inf, diff)
    return float(diff.max(initial=0.0))


def report(what: str, err: float, tol: float) -> int:
    """Print `what`, the max error and the tolerance; return the exit status (0 = match).

    >>> report("softmax 8x100", 3e-8, tol=1e-6)
    softmax 8x100: max |error| = 3e-08 (tolerance 1e-06) OK
    0
    """
    ok = err <= tol
    print(f"{what}: max |error| = {err:.3g} (tolerance {tol:.3g}) {'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1
