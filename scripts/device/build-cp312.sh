#!/usr/bin/env bash
# Builds what the lent GPU machine (Python 3.12, no MLIR) needs to import enigma:
# a cp312 `enigma/_core` (MLIR and LLVM linked in statically, so self-contained)
# and libenigma_cpu, then stages a runnable package under build/device/stage.
# Run it HERE, from the repo root; the lead carries build/device/stage to the
# device and runs scripts/device/run-gpu.sh there (docs/cuda.md "Running on the
# lent GPU").
#
#   bash scripts/device/build-cp312.sh            # -j2 by default; JOBS=1 to override
#
# Python 3.12's headers come from ../shared/device/python3.12-include.tgz (the
# device's own); a local python3.12 interpreter only satisfies CMake's FindPython
# (ENIGMA_PY312=/path/to/python3.12 picks one; pyenv's 3.12 otherwise).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=$ROOT/build/device
STAGE=$BUILD/stage
JOBS=${JOBS:-2}
TGZ=${ENIGMA_PY312_INCLUDE_TGZ:-/work/shared/device/python3.12-include.tgz}
PY312=${ENIGMA_PY312:-$(command -v python3.12 2>/dev/null || true)}
if [[ -z "$PY312" || ! -x "$PY312" ]] || ! "$PY312" -c pass 2>/dev/null; then
  PY312=$(ls /root/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | head -1 || true)
fi
[[ -x "$PY312" ]] || { echo "no python3.12 interpreter: set ENIGMA_PY312" >&2; exit 1; }
[[ -f "$TGZ" ]] || { echo "missing $TGZ (Python 3.12 headers of the device)" >&2; exit 1; }

mkdir -p "$BUILD/py312-include"
tar xzf "$TGZ" -C "$BUILD/py312-include"
INCLUDE=$BUILD/py312-include/python3.12
[[ -f "$INCLUDE/Python.h" ]] || { echo "no Python.h in $TGZ" >&2; exit 1; }
# Debian's pyconfig.h includes the multiarch one, which the archive lacks: take the local
# 3.12's (a release build for x86_64 Linux, the same configuration as the device's).
MULTIARCH=$BUILD/py312-include/x86_64-linux-gnu/python3.12
if grep -q "x86_64-linux-gnu/python3.12/pyconfig.h" "$INCLUDE/pyconfig.h" && [[ ! -f "$MULTIARCH/pyconfig.h" ]]; then
  mkdir -p "$MULTIARCH"
  cp "$("$PY312" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/pyconfig.h" "$MULTIARCH/"
fi

PYBIND11_DIR=$("$ROOT/.venv/bin/python" -c 'import pybind11; print(pybind11.get_cmake_dir())')
SUFFIX=.cpython-312-x86_64-linux-gnu.so
cmake -S "$ROOT" -B "$BUILD/cmake" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DSKBUILD=ON \
  -DCMAKE_CXX_FLAGS="-isystem $BUILD/py312-include" \
  -DPython_EXECUTABLE="$PY312" \
  -DPython_INCLUDE_DIR="$INCLUDE" \
  -DPython3_EXECUTABLE="$PY312" \
  -DPython3_INCLUDE_DIR="$INCLUDE" \
  -DPYTHON_MODULE_EXTENSION="$SUFFIX" \
  -DPython_SOABI=cpython-312-x86_64-linux-gnu \
  -Dpybind11_DIR="$PYBIND11_DIR" >"$BUILD/cmake.log"
cmake --build "$BUILD/cmake" -j "$JOBS" --target _core enigma_cpu

CORE=$(find "$BUILD/cmake/cpp/bindings" -maxdepth 1 -name "_core*.so" | head -1)
[[ "$CORE" == *"$SUFFIX" ]] || { echo "built $CORE, not *$SUFFIX" >&2; exit 1; }
rm -rf "$STAGE" && mkdir -p "$STAGE/enigma/lib"
# The package's Python sources as they are now, without caches.
(cd "$ROOT/python" && tar cf - --exclude=__pycache__ --exclude='*.so' enigma) | tar xf - -C "$STAGE"
cp "$CORE" "$STAGE/enigma/"
cp "$BUILD/cmake/cpp/cpu_runtime/libenigma_cpu.so" "$STAGE/enigma/lib/"
strip --strip-unneeded "$STAGE/enigma/$(basename "$CORE")" "$STAGE/enigma/lib/libenigma_cpu.so"
if ldd "$STAGE/enigma/$(basename "$CORE")" | grep -E "libLLVM|libMLIR|not found"; then
  echo "the staged _core links MLIR/LLVM dynamically or misses a library" >&2; exit 1
fi
du -sh "$STAGE"
echo "staged: $STAGE (carry build/device/stage; run scripts/device/run-gpu.sh there)"
