//===- ImportCast.cpp - Traced conversions -> arith casts -----------------===//
//
// A traced `cast` is an MSL value conversion (`float(x)`, `uint(b)`), which
// the tracer has made explicit. Each becomes the one arith op with the same
// semantics, chosen by the source and target dtypes' signedness: MLIR
// integers are signless, so `int` -> `uint` is no op at all.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using mlir::enigma::isUnsignedMetalDtype;

namespace enigma {

/// `element`, or a vector of it shaped like `shapeLike`.
static Type withElementType(Type shapeLike, Type element) {
  if (auto vector = dyn_cast<VectorType>(shapeLike))
    return VectorType::get(vector.getShape(), element);
  return element;
}

/// Converts `x` lane by lane to `type` (same shape as `x`).
static Value buildConversion(OpBuilder &b, Location loc, Value x,
                             bool srcUnsigned, Type type, bool dstUnsigned) {
  Type src = getElementTypeOrSelf(x.getType());
  Type dst = getElementTypeOrSelf(type);
  if (src == dst)
    return x; // only the signedness changes, which MLIR does not record
  auto srcFloat = dyn_cast<FloatType>(src);
  auto dstFloat = dyn_cast<FloatType>(dst);

  // To bool: x != 0 (true for NaN, as in MSL).
  if (dst.isInteger(1)) {
    Value zero = buildZero(b, loc, x.getType());
    if (srcFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (srcFloat && dstFloat) {
    // half <-> bfloat have the same width but different formats: widen to
    // float (exact) and round once.
    if (srcFloat.getWidth() == dstFloat.getWidth())
      return arith::TruncFOp::create(
          b, loc, type,
          arith::ExtFOp::create(b, loc, withElementType(type, b.getF32Type()),
                                x));
    if (srcFloat.getWidth() < dstFloat.getWidth())
      return arith::ExtFOp::create(b, loc, type, x);
    return arith::TruncFOp::create(b, loc, type, x);
  }
  // bool counts as unsigned: true becomes 1, never -1.
  if (dstFloat && srcUnsigned)
    return arith::UIToFPOp::create(b, loc, type, x);
  if (dstFloat)
    return arith::SIToFPOp::create(b, loc, type, x);
  if (srcFloat && dstUnsigned)
    return arith::FPToUIOp::create(b, loc, type, x);
  if (srcFloat)
    return arith::FPToSIOp::create(b, loc, type, x);
  if (src.getIntOrFloatBitWidth() > dst.getIntOrFloatBitWidth())
    return arith::TruncIOp::create(b, loc, type, x);
  if (srcUnsigned)
    return arith::ExtUIOp::create(b, loc, type, x);
  return arith::ExtSIOp::create(b, loc, type, x);
}

LogicalResult Importer::importCast(const TracedOp &op,
                                   SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 1, 1)) || failed(requireValues(op)))
    return failure();
  const TracedValue &x = op.operands[0];
  Type type = op.resultTypes[0];
  StringRef dtype = op.resultDtypes[0];
  bool srcUnsigned = isUnsignedMetalDtype(x.dtype);
  bool dstUnsigned = isUnsignedMetalDtype(dtype);
  auto srcVector = dyn_cast<VectorType>(x.value.getType());
  auto dstVector = dyn_cast<VectorType>(type);

  if (srcVector && (!dstVector || srcVector.getShape() != dstVector.getShape()))
    return error(op.loc, "cannot convert a '" + x.dtype + "' value to '" +
                             dtype + "': the number of lanes differs");
  if (dstVector && !srcVector) {
    // MSL converts a scalar to a vector by repeating it in every lane.
    Value lane = buildConversion(builder, op.loc, x.value, srcUnsigned,
                                 dstVector.getElementType(), dstUnsigned);
    results.push_back(
        vector::BroadcastOp::create(builder, op.loc, dstVector, lane));
    return success();
  }
  results.push_back(buildConversion(builder, op.loc, x.value, srcUnsigned, type,
                                    dstUnsigned));
  return success();
}

/// `as_type<T>(x)`: the same bits read as another type of the same size.
/// The tracer has checked the sizes; arith.bitcast needs the same lane count
/// and element width, and bool has no bit pattern to reinterpret.
LogicalResult Importer::importBitcast(const TracedOp &op,
                                      SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 1, 1)) || failed(requireValues(op)))
    return failure();
  const TracedValue &x = op.operands[0];
  Type type = op.resultTypes[0];
  if (!arith::BitcastOp::areCastCompatible(x.value.getType(), type) ||
      getElementTypeOrSelf(type).isInteger(1))
    return error(op.loc, "as_type cannot reinterpret a '" + x.dtype +
                             "' value as '" + op.resultDtypes[0] +
                             "': the types must have the same size");
  results.push_back(arith::BitcastOp::create(builder, op.loc, type, x.value));
  return success();
}

} // namespace enigma
