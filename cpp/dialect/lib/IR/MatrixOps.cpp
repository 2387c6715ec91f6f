//===- MatrixOps.cpp - Simdgroup matrix verifiers -------------------------===//
//
// Verifiers of the simdgroup matrix ops (EnigmaMatrixOps.td): Metal's
// simdgroup matrices used here are 8x8 of float, half or bfloat, and a
// load or store moves elements of the matrix's own type between it and a
// device buffer or threadgroup array; a multiply-accumulate may sum half or
// bfloat inputs into float. Messages use the MSL names the user
// wrote in the DSL.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaOps.h"

using namespace mlir;
using namespace mlir::enigma;

/// Fails unless `type` is an 8x8 matrix.
static LogicalResult verifyShape(Operation *op, VectorType type) {
  if (type.getShape() != ArrayRef<int64_t>{8, 8})
    return op->emitOpError() << "needs an 8x8 simdgroup matrix (Metal's "
                                "simdgroup_float8x8 and kin), got "
                             << type;
  return success();
}

/// Checks a load or store: the shape, and a device or threadgroup buffer of
/// the matrix's element type.
static LogicalResult verifyAccess(Operation *op, VectorType matrix,
                                  Value memref) {
  if (failed(verifyShape(op, matrix)))
    return failure();
  auto type = cast<MemRefType>(memref.getType());
  std::optional<AddressSpace> space = getAddressSpace(type);
  if (type.getRank() != 1 || !space ||
      (*space != AddressSpace::Device && *space != AddressSpace::Threadgroup))
    return op->emitOpError()
           << "needs a 1-D device buffer or threadgroup array, got " << type;
  if (type.getElementType() != matrix.getElementType())
    return op->emitOpError()
           << "moves " << matrix.getElementType()
           << " elements, but the buffer holds " << type.getElementType();
  return success();
}

LogicalResult SimdgroupMatrixFillOp::verify() {
  if (failed(verifyShape(*this, getType())))
    return failure();
  if (getValue().getType() != getType().getElementType())
    return emitOpError() << "fills a matrix of " << getType().getElementType()
                         << " with a " << getValue().getType() << " value";
  return success();
}

LogicalResult SimdgroupMatrixLoadOp::verify() {
  return verifyAccess(*this, getType(), getMemref());
}

LogicalResult SimdgroupMatrixStoreOp::verify() {
  return verifyAccess(*this, getValue().getType(), getMemref());
}

/// Metal's overloads: a, b, c of one type, or half or bfloat inputs with a
/// float accumulator.
LogicalResult SimdgroupMultiplyAccumulateOp::verify() {
  VectorType input = getA().getType();
  if (failed(verifyShape(*this, input)) ||
      failed(verifyShape(*this, getType())))
    return failure();
  Type in = input.getElementType(), acc = getType().getElementType();
  if (in == acc || (acc.isF32() && (in.isF16() || in.isBF16())))
    return success();
  return emitOpError() << "multiplies " << in << " matrices into a " << acc
                       << " accumulator; the accumulator must have the inputs' "
                          "type, or be f32 with f16 or bf16 inputs";
}
