//===- ThreadgroupMatrixOps.cpp - Threadgroup matrix verifiers ------------===//
//
// Verifiers of the threadgroup matrix ops (EnigmaThreadgroupMatrixOps.td):
// a threadgroup matrix is R x C of f32 with R in {64, 128} and C in {64, 128,
// 256}; a multiply-accumulate reads half or bfloat device buffers (the
// inputs of tensor cores) and a store writes a float, half or bfloat device
// buffer. A kernel runs its threadgroup matrices with 2R + 128 threads, so all
// of them share R: every matrix starts at a fill (loops only carry it), so each
// fill is compared with the kernel's first.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaOps.h"

using namespace mlir;
using namespace mlir::enigma;

/// Fails unless `type` has a threadgroup matrix shape.
static LogicalResult verifyShape(Operation *op, VectorType type) {
  ArrayRef<int64_t> shape = type.getShape();
  if ((shape[0] != 64 && shape[0] != 128) ||
      (shape[1] != 64 && shape[1] != 128 && shape[1] != 256))
    return op->emitOpError()
           << "needs a threadgroup matrix of 64 or 128 rows and 64, 128 or "
              "256 columns, got "
           << type;
  return success();
}

/// Fails unless `memref` is a 1-D device buffer whose element type
/// satisfies `isAllowed`; `what` names it and `allowed` the types.
template <typename Predicate>
static LogicalResult verifyBuffer(Operation *op, Value memref, StringRef what,
                                  Predicate isAllowed, StringRef allowed) {
  auto type = cast<MemRefType>(memref.getType());
  std::optional<AddressSpace> space = getAddressSpace(type);
  if (type.getRank() != 1 || space != AddressSpace::Device)
    return op->emitOpError()
           << "needs " << what << " in a 1-D device buffer, got " << type;
  if (!isAllowed(type.getElementType()))
    return op->emitOpError() << "needs " << what << " of " << allowed
                             << ", got " << type.getElementType();
  return success();
}

LogicalResult ThreadgroupMatrixFillOp::verify() {
  if (failed(verifyShape(*this, getType())))
    return failure();
  auto kernel = (*this)->getParentOfType<KernelOp>();
  if (!kernel)
    return success(); // InsideKernel reports it
  // The kernel's first fill sets R; a fill that differs is the error.
  ThreadgroupMatrixFillOp first;
  kernel.walk([&](ThreadgroupMatrixFillOp fill) {
    first = fill;
    return WalkResult::interrupt();
  });
  int64_t rows = getType().getShape()[0];
  int64_t firstRows = first.getType().getShape()[0];
  if (rows != firstRows)
    return emitOpError()
           << "makes a " << rows
           << "-row threadgroup matrix in a kernel whose first "
              "threadgroup matrix has "
           << firstRows
           << " rows; a kernel runs with 2 * rows + 128 threads, so "
              "all its threadgroup matrices need the same rows";
  return success();
}

LogicalResult ThreadgroupMultiplyAccumulateOp::verify() {
  if (failed(verifyShape(*this, getType())))
    return failure();
  auto isInput = [](Type type) { return type.isF16() || type.isBF16(); };
  if (failed(verifyBuffer(*this, getA(), "a", isInput,
                          "f16 or bf16 (tensor-core inputs are half or "
                          "bfloat)")))
    return failure();
  return verifyBuffer(*this, getB(), "b", isInput,
                      "f16 or bf16 (tensor-core inputs are half or bfloat)");
}

LogicalResult ThreadgroupMatrixStoreOp::verify() {
  if (failed(verifyShape(*this, getValue().getType())))
    return failure();
  return verifyBuffer(
      *this, getMemref(), "the destination",
      [](Type type) { return type.isF32() || type.isF16() || type.isBF16(); },
      "f32, f16 or bf16");
}
