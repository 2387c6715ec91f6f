"""A stand-in for macOS's `xcrun` (metal, metallib), so the toolchain step runs on Linux.

test_metal_toolchain.py puts an `xcrun` wrapper running this script first on
PATH. FAKE_XCRUN_MODE picks what the tools do, each the way Xcode's do it:
  ok               `metal -c` writes AIR bytes, `metallib` a library: known contents
  error            `metal` rejects the MSL line holding FAKE_XCRUN_ERROR_AT, with
                   clang's diagnostic (file:line:col, source line, caret)
  crash            `metal` prints a crash report and dies of SIGSEGV
  silent           `metal` succeeds but writes nothing
  metallib-error   `metallib` fails
  no-metal         `xcrun --find metal` fails (the Command Line Tools alone)
  no-component     `metal` exists but its toolchain component is not downloaded
Every tool run (not --find) is appended to FAKE_XCRUN_LOG as a JSON line.
"""

import json
import os
import resource
import signal
import sys

AIR_MAGIC = b"AIR\0"
LIB_MAGIC = b"MTLB"


def main(argv: list[str]) -> int:
    mode = os.environ.get("FAKE_XCRUN_MODE", "ok")
    if argv[:2] == ["-sdk", "macosx"]:
        argv = argv[2:]
    if argv[:1] == ["--find"]:
        if mode == "no-metal" and argv[1] == "metal":
            print(
                f'xcrun: error: unable to find utility "{argv[1]}",'
                " not a developer tool or in PATH",
                file=sys.stderr,
            )
            return 72
        print(f"/Applications/Xcode.app/Contents/Developer/usr/bin/{argv[1]}")
        return 0
    with open(os.environ["FAKE_XCRUN_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(argv) + "\n")
    tool, args = argv[0], argv[1:]
    if tool == "metal" and mode == "no-component":
        print(
            "error: cannot execute tool 'metal' due to missing Metal Toolchain; use:"
            " xcodebuild -downloadComponent MetalToolchain",
            file=sys.stderr,
        )
        return 1
    if args == ["--version"]:
        print(
            "Apple metal version 32023.850 (metalfe-32023.850.10)\nTarget: air64-apple-darwin24.6.0"
        )
        return 0
    output = args[args.index("-o") + 1]
    if tool == "metal":
        return metal(args[args.index("-c") + 1], output, mode)
    if tool == "metallib":
        if mode == "metallib-error":
            print("metallib: error: input file is not a valid AIR file", file=sys.stderr)
            return 1
        with open(args[0], "rb") as air, open(output, "wb") as lib:
            lib.write(LIB_MAGIC + air.read())
        return 0
    print(f'xcrun: error: unable to find utility "{tool}"', file=sys.stderr)
    return 72


def metal(source: str, output: str, mode: str) -> int:
    with open(source, encoding="utf-8") as f:
        text = f.read()
    if mode == "error":
        marker = os.environ["FAKE_XCRUN_ERROR_AT"]
        number, line = next((i + 1, s) for i, s in enumerate(text.splitlines()) if marker in s)
        column = line.index(marker) + 1
        print(
            f"{source}:{number}:{column}: error: use of undeclared identifier 'frobnicate'\n"
            f"{line}\n{' ' * (column - 1)}^\n1 error generated.",
            file=sys.stderr,
        )
        return 1
    if mode == "crash":
        print(
            "PLEASE submit a bug report to https://developer.apple.com/bug-reporting/\n"
            "Stack dump:\n0.\tProgram arguments: metal -c " + source,
            file=sys.stderr,
        )
        sys.stderr.flush()
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file left behind
        os.kill(os.getpid(), signal.SIGSEGV)
    if mode == "silent":
        return 0
    with open(output, "wb") as air:
        air.write(AIR_MAGIC + text.encode())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
