//===- ImportThreadgroupMatrix.cpp - Threadgroup matrices -----------------===//
//
// Handlers for the traced threadgroup matrix ops: `threadgroup_matrix_fill`
// (value), `threadgroup_multiply_accumulate` (a, a_offset, a_stride, a_rows,
// b, b_offset, b_stride, b_cols, k, c, thread) and
// `threadgroup_matrix_store` (matrix, buffer, offset, stride, rows, cols,
// thread). The tracer gives the integers as `uint` (the thread is
// thread_index_in_threadgroup), so they become `index` values
// (getUintIndices). The op verifiers check shapes and buffers and report them
// at the user's line.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"

using namespace mlir;
using namespace mlir::enigma;

namespace enigma {

LogicalResult
Importer::importThreadgroupMatrixFill(const TracedOp &op,
                                      SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 1, 1)) || failed(requireValues(op)))
    return failure();
  auto type = dyn_cast_or_null<VectorType>(op.resultTypes[0]);
  if (!type || type.getRank() != 2)
    return error(op.loc, "'threadgroup_matrix_fill' needs a threadgroup "
                         "matrix result, got '" +
                             op.resultDtypes[0] + "'");
  results.push_back(ThreadgroupMatrixFillOp::create(builder, op.loc, type,
                                                    op.operands[0].value));
  return success();
}

LogicalResult
Importer::importThreadgroupMultiplyAccumulate(const TracedOp &op,
                                              SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 11, 1)) ||
      failed(requireOperandKind(op, 0, true)) ||
      failed(requireOperandKind(op, 4, true)) ||
      failed(requireOperandKind(op, 9, false)))
    return failure();
  FailureOr<SmallVector<Value>> at =
      getUintIndices(op, {1, 2, 3, 5, 6, 7, 8, 10});
  if (failed(at))
    return failure();
  results.push_back(ThreadgroupMultiplyAccumulateOp::create(
      builder, op.loc, op.operands[9].value.getType(), op.operands[0].value,
      (*at)[0], (*at)[1], (*at)[2], op.operands[4].value, (*at)[3], (*at)[4],
      (*at)[5], (*at)[6], op.operands[9].value, (*at)[7]));
  return success();
}

LogicalResult
Importer::importThreadgroupMatrixStore(const TracedOp &op,
                                       SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 7, 0)) ||
      failed(requireOperandKind(op, 0, false)) ||
      failed(requireOperandKind(op, 1, true)))
    return failure();
  FailureOr<SmallVector<Value>> at = getUintIndices(op, {2, 3, 4, 5, 6});
  if (failed(at))
    return failure();
  ThreadgroupMatrixStoreOp::create(builder, op.loc, op.operands[0].value,
                                   op.operands[1].value, (*at)[0], (*at)[1],
                                   (*at)[2], (*at)[3], (*at)[4]);
  return success();
}

} // namespace enigma
