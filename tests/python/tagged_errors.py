"""Checking that a misuse is an EnigmaError pointing at the user's line.

A test tags the offending line of its kernel with a trailing `# <tag>`;
`assert_trace_error` traces the kernel and checks the message fragments, the
`at file:line` of the tagged line and the `fix:` hint.
"""

import os

import pytest

import enigma
from enigma.errors import EnigmaError


def line_of(path: str, tag: str) -> int:
    """The line of `path` that ends with `# <tag>`."""
    with open(path) as f:
        for number, text in enumerate(f, 1):
            if text.rstrip().endswith(f"# <{tag}>"):
                return number
    raise AssertionError(f"no line tagged {tag} in {path}")


def assert_trace_error(fn, tag: str, *fragments: str) -> str:
    """Tracing kernel body `fn` raises an EnigmaError with `fragments`, at line `tag`.

    Returns the message, for further checks."""
    with pytest.raises(EnigmaError) as excinfo:
        enigma.kernel(fn).trace()
    text = str(excinfo.value)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    path = os.path.abspath(fn.__code__.co_filename)
    assert f"at {path}:{line_of(path, tag)}\n" in text, text
    assert "fix:" in text, text
    return text
