#!/usr/bin/env bash
# Installs the Debian 12 packages Enigma builds against (SPEC §3), only those
# missing, so a second run is a no-op. Uses sudo when not root.
set -euo pipefail

# macOS (docs/macos.md): Homebrew instead of apt. Its `llvm` formula is LLVM 22
# with MLIR, clang, FileCheck and clang-format; the Makefile points the build
# at it. Xcode (for `swift` and `xcrun metal`) is not installed from here.
if [ "$(uname -s)" = "Darwin" ]; then
  if ! command -v brew >/dev/null 2>&1; then
    echo "macOS needs Homebrew (https://brew.sh) to install LLVM/MLIR 22 and Boost" >&2
    exit 1
  fi
  LLVM_FORMULA="${ENIGMA_LLVM_FORMULA:-llvm}"
  missing=()
  for pkg in "$LLVM_FORMULA" boost zstd cmake ninja; do
    brew list --formula "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Homebrew packages: ${missing[*]}"
    brew install "${missing[@]}"
  fi
  version="$("$(brew --prefix "$LLVM_FORMULA")/bin/llvm-config" --version)"
  case "$version" in
    22.*) ;;
    *)
      echo "Homebrew's $LLVM_FORMULA is LLVM $version; Enigma builds against LLVM/MLIR 22:" \
        "run ENIGMA_LLVM_FORMULA=llvm@22 make ..." >&2
      exit 1
      ;;
  esac
  exit 0
fi

PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22
  clang-format-22 libzstd-dev libboost-context-dev cmake ninja-build
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
