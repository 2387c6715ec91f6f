//===- Spelling.h - Types, conversions and literals of a C-like target ----===//
//
// The leaves of every printed expression: type names, explicit conversions
// and literals, spelled through a CLikeTarget table.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TARGET_CLIKE_SPELLING_H
#define ENIGMA_TARGET_CLIKE_SPELLING_H

#include "CType.h"
#include "mlir/IR/Attributes.h"
#include <string>

namespace mlir::enigma {

/// `float`, `uint4`, ...
std::string spellType(const CLikeTarget &target, CType type);

/// An explicit value conversion of `expr` (an atom) to `type`: `float(v3)`.
std::string spellCast(const CLikeTarget &target, CType type,
                      llvm::StringRef expr);

/// The literal of an `arith.constant` value as `type` reads it, e.g. i32 -1
/// as `-1` (int) or `4294967295u` (uint), f16 1.5 as `1.5h`, a vector splat
/// as `float4(1.5f)`. The result is an atom or starts with `-`.
std::string spellLiteral(const CLikeTarget &target, Attribute value,
                         CType type);

/// A small integer constant (0, 1, -1) in `type`, integer or float.
std::string spellNumber(const CLikeTarget &target, int64_t value, CType type);

} // namespace mlir::enigma

#endif // ENIGMA_TARGET_CLIKE_SPELLING_H
