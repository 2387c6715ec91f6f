//===- SimdOps.cpp - SIMD-group and quad-group functions ------------------===//
//
// Verifiers of enigma.simd_reduce and enigma.simd_shuffle: the element types
// Metal defines each function for (EnigmaSimdOps.td), and the generated enum
// definitions of EnigmaSimdEnums.td. Messages use the MSL function name,
// which is what the user called in the DSL.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaOps.h"

using namespace mlir;
using namespace mlir::enigma;

#include "enigma/Dialect/Enigma/EnigmaSimdEnums.cpp.inc"

/// `simd_` or `quad_`, the MSL prefix of `group`.
static llvm::StringRef prefixOf(LaneGroup group) {
  return group == LaneGroup::Simdgroup ? "simd_" : "quad_";
}

/// Whether `type` is a scalar or 2-4 lane vector whose elements are integers
/// of the given widths or floats f16/f32 (when `floats`).
static bool hasElements(Type type, llvm::ArrayRef<unsigned> intWidths,
                        bool floats) {
  if (auto vector = dyn_cast<VectorType>(type)) {
    if (vector.getRank() != 1 || vector.getNumElements() < 2 ||
        vector.getNumElements() > 4 || vector.isScalable())
      return false;
    type = vector.getElementType();
  }
  if (auto integer = dyn_cast<IntegerType>(type))
    return llvm::is_contained(intWidths, integer.getWidth());
  return floats && (type.isF16() || type.isF32());
}

static bool isBitwise(SimdReduceKind kind) {
  return kind == SimdReduceKind::And || kind == SimdReduceKind::Or ||
         kind == SimdReduceKind::Xor;
}

static bool isMinMax(SimdReduceKind kind) {
  return kind == SimdReduceKind::Min || kind == SimdReduceKind::Max;
}

LogicalResult SimdReduceOp::verify() {
  std::string name =
      (prefixOf(getGroup()) + stringifySimdReduceKind(getKind())).str();
  SimdReduceKind kind = getKind();
  if (getGroup() == LaneGroup::Quadgroup &&
      (kind == SimdReduceKind::PrefixExclusiveProduct ||
       kind == SimdReduceKind::PrefixInclusiveProduct))
    return emitError() << "Metal has no " << name << "; use the simdgroup form";
  Type type = getValue().getType();
  bool valid = isBitwise(kind) ? hasElements(type, {8, 16, 32}, false)
                               : hasElements(type, {16, 32}, true);
  if (!valid)
    return emitError() << name << " takes a scalar or 2-4 lane vector of "
                       << (isBitwise(kind) ? "char, uchar, short, ushort, int "
                                             "or uint"
                                           : "half, float, short, ushort, int "
                                             "or uint")
                       << ", not " << type;
  if (getIsUnsigned() &&
      (!isMinMax(kind) || !isa<IntegerType>(getElementTypeOrSelf(type))))
    return emitError() << "'unsigned' only applies to the integer min and max "
                          "functions, not "
                       << name << " on " << type;
  return success();
}

std::optional<bool> SimdReduceOp::getSignedness() {
  if (isMinMax(getKind()) &&
      isa<IntegerType>(getElementTypeOrSelf(getValue().getType())))
    return getIsUnsigned();
  return std::nullopt;
}

LogicalResult SimdShuffleOp::verify() {
  Type type = getValue().getType();
  if (!hasElements(type, {8, 16, 32}, true))
    return emitError() << prefixOf(getGroup())
                       << stringifySimdShuffleKind(getKind())
                       << " takes a scalar or 2-4 lane vector of half, float, "
                          "char, uchar, short, ushort, int or uint, not "
                       << type;
  return success();
}
