//===- Spelling.cpp - Types, conversions and literals of a C-like target --===//
//
// Literals are where a C-like printer most easily goes wrong: `-2147483648`
// is not an int literal, `1.5` is a double, a half needs its own suffix, and
// NaN or infinity have no decimal form. Every literal is spelled here, in the
// type the reading op expects, so that no implicit conversion changes it.
//
//===----------------------------------------------------------------------===//

#include "Spelling.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include <charconv>

using namespace mlir;
using namespace mlir::enigma;

std::string mlir::enigma::spellType(const CLikeTarget &target, CType type) {
  llvm::StringRef scalar = target.scalarTypes[unsigned(type.scalar)];
  if (!type.isVector())
    return scalar.str();
  return llvm::formatv(target.vectorType, scalar, type.lanes).str();
}

std::string mlir::enigma::spellCast(const CLikeTarget &target, CType type,
                                    llvm::StringRef expr) {
  const char *format =
      type.isVector() && target.vectorCast ? target.vectorCast : target.cast;
  return llvm::formatv(format, spellType(target, type), expr).str();
}

/// The integer `bits` read as the scalar `type` (bool or integer).
static std::string spellInteger(const CLikeTarget &target, llvm::APInt bits,
                                CType type) {
  if (type.isBool())
    return bits.isZero() ? "false" : "true";
  // `index` constants are 64-bit but print as 32-bit int/uint.
  llvm::APInt value = bits.sextOrTrunc(type.bitWidth());
  const char *format = target.literals[unsigned(type.scalar)];
  bool isSigned = !type.isUnsigned();
  // `-2147483648` negates a literal that does not fit in int (it would be a
  // long); the minimum is spelled as a difference that stays in the type.
  if (isSigned && value.isMinSignedValue() && type.bitWidth() >= 32) {
    std::string plusOne = llvm::toString(value + 1, 10, /*Signed=*/true);
    return llvm::formatv("({0} - {1})", llvm::formatv(format, plusOne),
                         llvm::formatv(format, "1"))
        .str();
  }
  return llvm::formatv(format, llvm::toString(value, 10, isSigned)).str();
}

/// The shortest decimal that reads back as `value`, with a `.` or exponent
/// so that a suffix makes it a floating literal ("1" -> "1.0").
static std::string shortestDecimal(float value) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  (void)error; // 64 characters always suffice for a float.
  std::string text(buffer, end);
  if (text.find_first_of(".e") == std::string::npos)
    text += ".0";
  return text;
}

/// The floating-point `value` as the scalar float `type`. Half and bfloat
/// values are exact floats, so they are spelled from the float decimal: any
/// rounding chain (decimal -> float -> half) then gives back the value.
static std::string spellFloat(const CLikeTarget &target,
                              const llvm::APFloat &value, CType type) {
  auto asType = [&](llvm::StringRef floatExpr) {
    if (type.scalar == ScalarKind::Float)
      return floatExpr.str();
    return spellCast(target, type, floatExpr);
  };
  if (value.isNaN()) {
    llvm::APInt bits = value.bitcastToAPInt();
    if (bits == llvm::APFloat::getQNaN(value.getSemantics()).bitcastToAPInt())
      return asType(target.nan);
    // A NaN with a sign or payload keeps its exact bits.
    CType bitsType{bits.getBitWidth() == 16 ? ScalarKind::UShort
                                            : ScalarKind::UInt};
    return llvm::formatv(target.bitcast, spellType(target, type),
                         spellInteger(target, bits, bitsType))
        .str();
  }
  if (value.isInfinity())
    return asType(((value.isNegative() ? "-" : "") + target.infinity).str());
  llvm::APFloat asFloat = value;
  bool losesInfo = false;
  asFloat.convert(llvm::APFloat::IEEEsingle(),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return llvm::formatv(target.literals[unsigned(type.scalar)],
                       shortestDecimal(asFloat.convertToFloat()))
      .str();
}

/// One scalar element of a constant.
static std::string spellElement(const CLikeTarget &target, Attribute value,
                                CType type) {
  if (auto integer = dyn_cast<IntegerAttr>(value))
    return spellInteger(target, integer.getValue(), type);
  return spellFloat(target, cast<FloatAttr>(value).getValue(), type);
}

std::string mlir::enigma::spellLiteral(const CLikeTarget &target,
                                       Attribute value, CType type) {
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense)
    return spellElement(target, value, type);
  CType lane = type.lane();
  if (dense.isSplat())
    return spellCast(
        target, type,
        spellElement(target, dense.getSplatValue<Attribute>(), lane));
  SmallVector<std::string> lanes;
  for (Attribute element : dense.getValues<Attribute>())
    lanes.push_back(spellElement(target, element, lane));
  return spellCast(target, type, llvm::join(lanes, ", "));
}

std::string mlir::enigma::spellNumber(const CLikeTarget &target, int64_t value,
                                      CType type) {
  if (type.isFloat())
    return llvm::formatv(target.literals[unsigned(type.scalar)],
                         shortestDecimal(float(value)))
        .str();
  return spellInteger(target, llvm::APInt(64, value, /*isSigned=*/true),
                      type.lane());
}
