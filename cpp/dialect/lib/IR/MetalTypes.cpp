//===- MetalTypes.cpp - Metal dtype names <-> MLIR types ------------------===//
//
// Metal names a vector by its element name and lane count ("float4"), so a
// dtype is parsed as an element spelling plus an optional 2-4 suffix.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

/// Splits "uint4" into ("uint", 4); a scalar has 0 lanes.
static std::pair<StringRef, unsigned> splitLanes(StringRef dtype) {
  if (dtype.size() > 1) {
    char last = dtype.back();
    if (last >= '2' && last <= '4')
      return {dtype.drop_back(), unsigned(last - '0')};
  }
  return {dtype, 0};
}

Type mlir::enigma::getTypeForMetalDtype(MLIRContext *context, StringRef dtype) {
  Builder b(context);
  // The handle of an async copy (EnigmaAsyncCopyOps.td).
  if (dtype == "simdgroup_event")
    return SimdgroupEventType::get(context);
  // A simdgroup matrix (`simdgroup_float8x8`) is the only 2-D vector.
  if (dtype.consume_front("simdgroup_") && dtype.consume_back("8x8")) {
    Type element = getTypeForMetalDtype(context, dtype);
    if (!element || !(element.isF32() || element.isF16() || element.isBF16()))
      return Type();
    return VectorType::get({8, 8}, element);
  }
  // A threadgroup matrix (`threadgroup_float128x256`); the ops verify R, C.
  if (dtype.consume_front("threadgroup_float")) {
    auto [rows, cols] = dtype.split('x');
    unsigned r = 0, c = 0;
    if (rows.getAsInteger(10, r) || cols.getAsInteger(10, c) || !r || !c)
      return Type();
    return VectorType::get({r, c}, b.getF32Type());
  }
  auto [element, lanes] = splitLanes(dtype);
  Type scalar = llvm::StringSwitch<Type>(element)
                    .Case("float", b.getF32Type())
                    .Case("half", b.getF16Type())
                    .Case("bfloat", b.getBF16Type())
                    .Case("bool", b.getI1Type())
                    .Cases({"char", "uchar"}, b.getI8Type())
                    .Cases({"short", "ushort"}, b.getI16Type())
                    .Cases({"int", "uint"}, b.getI32Type())
                    .Cases({"long", "ulong"}, b.getI64Type())
                    .Default(Type());
  if (!scalar || lanes == 0)
    return scalar;
  return VectorType::get({lanes}, scalar);
}

bool mlir::enigma::isUnsignedMetalDtype(StringRef dtype) {
  StringRef element = splitLanes(dtype).first;
  return llvm::is_contained({"uchar", "ushort", "uint", "ulong", "bool"},
                            element);
}

static bool isMetalScalarType(Type type) {
  if (type.isF32() || type.isF16() || type.isBF16())
    return true;
  auto integer = dyn_cast<IntegerType>(type);
  return integer && integer.isSignless() &&
         llvm::is_contained({1u, 8u, 16u, 32u, 64u}, integer.getWidth());
}

bool mlir::enigma::isMetalValueType(Type type) {
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.getRank() == 1 && !vector.isScalable() &&
           vector.getNumElements() >= 2 && vector.getNumElements() <= 4 &&
           isMetalScalarType(vector.getElementType());
  return isMetalScalarType(type);
}

uint64_t mlir::enigma::getMetalSizeInBytes(Type type) {
  if (auto vector = dyn_cast<VectorType>(type)) {
    // MSL pads 3-lane vectors to the size (and alignment) of 4 lanes.
    int64_t lanes = vector.getNumElements() == 3 ? 4 : vector.getNumElements();
    return lanes * getMetalSizeInBytes(vector.getElementType());
  }
  // bool occupies a whole byte.
  return std::max<uint64_t>(1, type.getIntOrFloatBitWidth() / 8);
}
