"""Fixtures for the Swift tests of swift/EnigmaRuntime (run by `make swift-build`).

The XCTest end-to-end tests run a real kernel on the runtime's test device,
which executes cpu-device kernel objects through libenigma_cpu. XCTest cannot
run Enigma's Python compiler, so this script compiles a small kernel for the
cpu device (the object lands in the usual object cache, so a second run is a
cache hit) and prints the environment the tests read, one NAME=value a line:

    ENIGMA_TEST_CPU_RUNTIME=/.../enigma/lib/libenigma_cpu.so
    ENIGMA_TEST_KERNEL_OBJECT=/.../cpu/<sha256>.so

The kernel, `swift_fixture_add(a, b, c, n)`, computes c[i] = a[i] + b[i] for
i < n: three float buffers and one uint Scalar, so both buffer and inline-bytes
arguments are exercised. The Swift test (TestDeviceTests.swift) relies on this
signature.

Usage: `.venv/bin/python scripts/make-swift-test-fixtures.py`
"""

import enigma
from enigma import Scalar, f32, u32
from enigma.runtime.cpu.build import build_object
from enigma.runtime.cpu.library import library_path


@enigma.kernel
def swift_fixture_add(a: f32, b: f32, c: f32, n: Scalar(u32)):
    i = enigma.thread_position_in_grid
    with enigma.if_(i < n):
        c[i] = a[i] + b[i]


def main() -> None:
    compiled = enigma.compile(swift_fixture_add, emit_only=True)
    kernel_object, _ = build_object(compiled)
    print(f"ENIGMA_TEST_CPU_RUNTIME={library_path()}")
    print(f"ENIGMA_TEST_KERNEL_OBJECT={kernel_object}")


if __name__ == "__main__":
    main()
