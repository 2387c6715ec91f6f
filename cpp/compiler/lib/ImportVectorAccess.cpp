//===- ImportVectorAccess.cpp - Traced vector loads and stores ------------===//
//
// Handlers for the traced `vector_load` (operands: buffer, element offset;
// result: a 2- or 4-lane vector of the buffer's element type) and
// `vector_store` (buffer, element offset, vector) ops, which become
// enigma.vector_load / enigma.vector_store. Their rules (lanes, element
// type, alignment of a constant offset) are the ops' verifiers'.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"

using namespace mlir;
using namespace mlir::enigma;

namespace enigma {

LogicalResult Importer::importVectorLoad(const TracedOp &op,
                                         SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 2, 1)))
    return failure();
  FailureOr<Value> offset = getBufferIndex(*this, op);
  if (failed(offset))
    return failure();
  if (!isa<VectorType>(op.resultTypes[0]))
    return error(op.loc, "'vector_load' gives a vector, not a '" +
                             op.resultDtypes[0] + "'");
  results.push_back(VectorLoadOp::create(builder, op.loc, op.resultTypes[0],
                                         op.operands[0].value, *offset));
  return success();
}

LogicalResult Importer::importVectorStore(const TracedOp &op,
                                          SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 3, 0)))
    return failure();
  FailureOr<Value> offset = getBufferIndex(*this, op);
  if (failed(offset))
    return failure();
  const TracedValue &value = op.operands[2];
  if (value.isBuffer() || !isa<VectorType>(value.value.getType()))
    return error(op.loc,
                 "'vector_store' stores a vector, not a '" + value.dtype + "'");
  VectorStoreOp::create(builder, op.loc, value.value, op.operands[0].value,
                        *offset);
  return success();
}

} // namespace enigma
