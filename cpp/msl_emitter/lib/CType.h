//===- CType.h - The C type a printed value has ---------------------------===//
//
// MLIR integers are signless; a C-like language is not. A CType is an MLIR
// scalar or vector type together with the signedness the emitter chose for it
// (SignednessAnalysis), i.e. exactly the type a printed variable is declared
// with. `index` prints as the 32-bit `int`/`uint`.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TARGET_CLIKE_CTYPE_H
#define ENIGMA_TARGET_CLIKE_CTYPE_H

#include "enigma/Target/CLike/CLikeTarget.h"
#include "mlir/IR/Types.h"
#include <optional>

namespace mlir::enigma {

struct CType {
  ScalarKind scalar = ScalarKind::Int;
  unsigned lanes = 1; // 1 for scalars, 2-4 for vectors

  /// The C type of a value of MLIR type `type` (a memref gives its element
  /// type); `isUnsigned` only matters for integers. None for types that have
  /// no C spelling (f64, i128, tensors, 5-lane vectors, ...).
  static std::optional<CType> get(Type type, bool isUnsigned);

  bool isBool() const { return scalar == ScalarKind::Bool; }
  bool isFloat() const { return scalar >= ScalarKind::Half; }
  bool isInteger() const { return !isBool() && !isFloat(); }
  bool isUnsigned() const;
  bool isVector() const { return lanes > 1; }
  /// Bits of one lane (bool: 1).
  unsigned bitWidth() const;

  /// The integer type of the same width and lanes with the given signedness
  /// (non-integers are returned unchanged).
  CType withSignedness(bool isUnsigned) const;
  /// One lane of this type.
  CType lane() const { return CType{scalar, 1}; }

  bool operator==(const CType &other) const {
    return scalar == other.scalar && lanes == other.lanes;
  }
  bool operator!=(const CType &other) const { return !(*this == other); }
};

} // namespace mlir::enigma

#endif // ENIGMA_TARGET_CLIKE_CTYPE_H
