//===- VectorAccessOps.cpp - Vector load/store verifiers ------------------===//
//
// Verifiers of enigma.vector_load and enigma.vector_store
// (EnigmaVectorAccessOps.td): a 1-D device buffer or threadgroup array whose
// element type is the vector's, 2 or 4 lanes (a 3-lane Metal vector is padded
// to 4 and so does not cover 3 consecutive elements), no bool lanes (Metal's
// bool vectors have no fixed memory layout), and a constant offset that is a
// multiple of the lane count (the address must be aligned to the vector).
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::enigma;

static LogicalResult verifyVectorAccess(Operation *op, VectorType vector,
                                        Value memref, Value offset) {
  auto type = cast<MemRefType>(memref.getType());
  std::optional<AddressSpace> space = getAddressSpace(type);
  if (type.getRank() != 1 || !space ||
      (*space != AddressSpace::Device && *space != AddressSpace::Threadgroup))
    return op->emitOpError()
           << "needs a 1-D device buffer or threadgroup array, got " << type;
  if (vector.getRank() != 1 ||
      (vector.getNumElements() != 2 && vector.getNumElements() != 4))
    return op->emitOpError()
           << "moves 2 or 4 consecutive elements, not a " << vector;
  if (vector.getElementType().isInteger(1))
    return op->emitOpError() << "cannot move bool vectors (Metal gives them "
                                "no fixed memory layout)";
  if (vector.getElementType() != type.getElementType())
    return op->emitOpError()
           << "moves " << vector.getElementType()
           << " elements, but the buffer holds " << type.getElementType();
  APInt constant;
  if (matchPattern(offset, m_ConstantInt(&constant)) &&
      constant.getSExtValue() % vector.getNumElements() != 0)
    return op->emitOpError()
           << "offset " << constant.getSExtValue()
           << " is not a multiple of the lane count " << vector.getNumElements()
           << " (the address would be misaligned)";
  return success();
}

LogicalResult VectorLoadOp::verify() {
  return verifyVectorAccess(*this, getType(), getMemref(), getOffset());
}

LogicalResult VectorStoreOp::verify() {
  return verifyVectorAccess(*this, getValue().getType(), getMemref(),
                            getOffset());
}
