"""lit configuration for Enigma's FileCheck tests (dialect, passes, MSL emission).

Run from the repository root with the build's tools:

    ENIGMA_BUILD_DIR=build/dev .venv/bin/lit -v tests/lit

The tools (enigma-opt, enigma-translate) are looked up in ENIGMA_BUILD_DIR when
it is set, then on PATH (where `pip install` puts them); FileCheck comes from
LLVM 22. A tool that cannot be found makes the tests using it fail.
"""

# `config` and `lit_config` are globals that lit defines for this file.
# ruff: noqa: F821

import os
import shutil

import lit.formats

config.name = "Enigma"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)

REPO_ROOT = os.path.dirname(os.path.dirname(config.test_source_root))
BUILD_DIR = os.environ.get("ENIGMA_BUILD_DIR")
if BUILD_DIR and not os.path.isabs(BUILD_DIR):
    BUILD_DIR = os.path.join(REPO_ROOT, BUILD_DIR)
TOOLS = ["enigma-opt", "enigma-translate"]
LLVM_BIN = "/usr/lib/llvm-22/bin"

# lit writes its scratch files under the exec root: keep them out of the sources.
config.test_exec_root = os.path.join(BUILD_DIR or os.path.join(REPO_ROOT, "build"), "lit")


def tool_dirs():
    """Folders holding the tools, in search order: the build tree, then PATH."""
    dirs = []
    if BUILD_DIR:
        dirs += [os.path.join(BUILD_DIR, "cpp", "tools", tool) for tool in TOOLS]
        dirs.append(os.path.join(BUILD_DIR, "bin"))
    return [d for d in dirs if os.path.isdir(d)]


search_path = os.pathsep.join(tool_dirs() + [os.environ.get("PATH", ""), LLVM_BIN])
config.environment["PATH"] = search_path
for tool in TOOLS + ["FileCheck"]:
    found = shutil.which(tool, path=search_path)
    if found:
        lit_config.note(f"using {found}")
    else:
        lit_config.warning(f"{tool} not found (set ENIGMA_BUILD_DIR to the build directory)")
