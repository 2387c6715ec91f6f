#!/usr/bin/env bash
# Type-checks the Metal device of libEnigmaRuntime on a machine without Metal:
# compiles Checks/Metal.swift (Apple's documented Metal signatures, no
# behaviour) as a module named Metal, then type-checks every source of the
# package against it, so `#if canImport(Metal)` code is compiled too.
# On macOS the real Metal module is there and `swift build` covers it.
# Usage: swift/EnigmaRuntime/Checks/typecheck-metal.sh [path/to/swiftc]
set -euo pipefail
package="$(cd "$(dirname "$0")/.." && pwd)"
swiftc="${1:-swiftc}"
if [ "$(uname -s)" = "Darwin" ]; then
  echo "typecheck-metal: macOS has the real Metal module; swift build checks MetalDevice.swift"
  exit 0
fi
stub="$(mktemp -d)"
trap 'rm -rf "$stub"' EXIT
"$swiftc" -emit-module -parse-as-library -module-name Metal \
  -o "$stub/Metal.swiftmodule" "$package/Checks/Metal.swift"
"$swiftc" -typecheck -module-name EnigmaRuntime -I "$stub" -I "$package/include" \
  "$package"/Sources/EnigmaRuntime/*.swift
echo "typecheck-metal: MetalDevice.swift type-checks against Apple's Metal signatures"
