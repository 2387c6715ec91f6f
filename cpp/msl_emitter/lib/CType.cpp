//===- CType.cpp - The C type a printed value has -------------------------===//
//
// Maps MLIR builtin types plus a signedness to the scalar kinds of a C-like
// target, and answers width/signedness questions about them.
//
//===----------------------------------------------------------------------===//

#include "CType.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::enigma;

/// The scalar kind of an integer of `width` bits; None for other widths.
static std::optional<ScalarKind> integerKind(unsigned width, bool isUnsigned) {
  switch (width) {
  case 1:
    return ScalarKind::Bool;
  case 8:
    return isUnsigned ? ScalarKind::UChar : ScalarKind::Char;
  case 16:
    return isUnsigned ? ScalarKind::UShort : ScalarKind::Short;
  case 32:
    return isUnsigned ? ScalarKind::UInt : ScalarKind::Int;
  case 64:
    return isUnsigned ? ScalarKind::ULong : ScalarKind::Long;
  default:
    return std::nullopt;
  }
}

static std::optional<ScalarKind> scalarKind(Type type, bool isUnsigned) {
  if (type.isIndex())
    return integerKind(32, isUnsigned);
  if (auto integer = dyn_cast<IntegerType>(type))
    return integerKind(integer.getWidth(), isUnsigned);
  if (type.isF32())
    return ScalarKind::Float;
  if (type.isF16())
    return ScalarKind::Half;
  if (type.isBF16())
    return ScalarKind::BFloat;
  return std::nullopt;
}

std::optional<CType> CType::get(Type type, bool isUnsigned) {
  if (auto memref = dyn_cast<MemRefType>(type))
    type = memref.getElementType();
  unsigned lanes = 1;
  if (auto vector = dyn_cast<VectorType>(type)) {
    // C-like targets have vectors of 2 to 4 lanes (float2 .. float4).
    if (vector.getRank() != 1 || vector.isScalable() ||
        vector.getNumElements() < 2 || vector.getNumElements() > 4)
      return std::nullopt;
    lanes = vector.getNumElements();
    type = vector.getElementType();
  }
  std::optional<ScalarKind> kind = scalarKind(type, isUnsigned);
  if (!kind)
    return std::nullopt;
  return CType{*kind, lanes};
}

bool CType::isUnsigned() const {
  switch (scalar) {
  case ScalarKind::UChar:
  case ScalarKind::UShort:
  case ScalarKind::UInt:
  case ScalarKind::ULong:
    return true;
  default:
    return false;
  }
}

unsigned CType::bitWidth() const {
  switch (scalar) {
  case ScalarKind::Bool:
    return 1;
  case ScalarKind::Char:
  case ScalarKind::UChar:
    return 8;
  case ScalarKind::Short:
  case ScalarKind::UShort:
  case ScalarKind::Half:
  case ScalarKind::BFloat:
    return 16;
  case ScalarKind::Int:
  case ScalarKind::UInt:
  case ScalarKind::Float:
    return 32;
  case ScalarKind::Long:
  case ScalarKind::ULong:
    return 64;
  }
  return 0;
}

CType CType::withSignedness(bool isUnsigned) const {
  if (!isInteger())
    return *this;
  return CType{*integerKind(bitWidth(), isUnsigned), lanes};
}
