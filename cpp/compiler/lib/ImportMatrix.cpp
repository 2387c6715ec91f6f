//===- ImportMatrix.cpp - Simdgroup matrices ------------------------------===//
//
// Handlers for the traced simdgroup matrix ops: `simdgroup_matrix_fill`
// (value), `simdgroup_matrix_load` (buffer, offset, elements_per_row, col,
// row), `simdgroup_matrix_store` (matrix, then the load's operands) and
// `simdgroup_multiply_accumulate` (a, b, c). The tracer gives the offsets as
// `uint`, so they become `index` values (getUintIndices); the `transpose`
// attribute is a JSON bool. The op verifiers check the types Metal allows
// and report them at the user's line.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"

using namespace mlir;
using namespace mlir::enigma;

namespace enigma {

LogicalResult Importer::importMatrixFill(const TracedOp &op,
                                         SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 1, 1)) || failed(requireValues(op)))
    return failure();
  auto type = dyn_cast_or_null<VectorType>(op.resultTypes[0]);
  if (!type)
    return error(op.loc, "'simdgroup_matrix_fill' needs a simdgroup matrix "
                         "result, got '" +
                             op.resultDtypes[0] + "'");
  results.push_back(SimdgroupMatrixFillOp::create(builder, op.loc, type,
                                                  op.operands[0].value));
  return success();
}

LogicalResult Importer::importMatrixLoad(const TracedOp &op,
                                         SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 5, 1)) || failed(requireOperandKind(op, 0, true)))
    return failure();
  auto type = dyn_cast_or_null<VectorType>(op.resultTypes[0]);
  if (!type)
    return error(op.loc, "'simdgroup_matrix_load' needs a simdgroup matrix "
                         "result, got '" +
                             op.resultDtypes[0] + "'");
  FailureOr<SmallVector<Value>> at = getUintIndices(op, {1, 2, 3, 4});
  if (failed(at))
    return failure();
  bool transpose = op.attrs.getBoolean("transpose").value_or(false);
  results.push_back(SimdgroupMatrixLoadOp::create(
      builder, op.loc, type, op.operands[0].value, (*at)[0], (*at)[1], (*at)[2],
      (*at)[3], transpose));
  return success();
}

LogicalResult Importer::importMatrixStore(const TracedOp &op,
                                          SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 6, 0)) || failed(requireOperandKind(op, 1, true)))
    return failure();
  if (op.operands[0].isBuffer())
    return error(op.loc, "'simdgroup_matrix_store' stores a matrix, not a "
                         "buffer");
  FailureOr<SmallVector<Value>> at = getUintIndices(op, {2, 3, 4, 5});
  if (failed(at))
    return failure();
  bool transpose = op.attrs.getBoolean("transpose").value_or(false);
  SimdgroupMatrixStoreOp::create(builder, op.loc, op.operands[0].value,
                                 op.operands[1].value, (*at)[0], (*at)[1],
                                 (*at)[2], (*at)[3], transpose);
  return success();
}

LogicalResult
Importer::importMatrixMultiplyAccumulate(const TracedOp &op,
                                         SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 3, 1)) || failed(requireValues(op)))
    return failure();
  results.push_back(SimdgroupMultiplyAccumulateOp::create(
      builder, op.loc, op.operands[0].value, op.operands[1].value,
      op.operands[2].value));
  return success();
}

} // namespace enigma
