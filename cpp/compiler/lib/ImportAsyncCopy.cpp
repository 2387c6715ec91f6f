//===- ImportAsyncCopy.cpp - SIMD-group async copies ----------------------===//
//
// Handlers for the traced `async_copy` (dst, dst offset, dst elements per
// row, src, src offset, src elements per row, cols, rows; the sizes are
// `uint`, cast to `index`) whose result is a `simdgroup_event`, and
// `async_copy_wait` (the events). The 1-D copies of the DSL are traced as
// one-row tiles. The op verifier checks the buffers at the user's line.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::enigma;

namespace enigma {

LogicalResult Importer::importAsyncCopy(const TracedOp &op,
                                        SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 8, 1)))
    return failure();
  SmallVector<Value, 8> operands;
  for (auto [i, operand] : llvm::enumerate(op.operands)) {
    bool wantBuffer = i == 0 || i == 3;
    if (operand.isBuffer() != wantBuffer ||
        (!wantBuffer && operand.dtype != "uint"))
      return error(op.loc, "'async_copy' operand " + Twine(i) + " must be " +
                               (wantBuffer ? "a buffer" : "a uint") +
                               ", got '" + operand.dtype + "'");
    operands.push_back(
        wantBuffer ? operand.value
                   : arith::IndexCastUIOp::create(
                         builder, op.loc, builder.getIndexType(), operand.value)
                         .getResult());
  }
  results.push_back(
      AsyncCopyOp::create(builder, op.loc, SimdgroupEventType::get(context),
                          operands[0], operands[1], operands[2], operands[3],
                          operands[4], operands[5], operands[6], operands[7]));
  return success();
}

LogicalResult Importer::importAsyncCopyWait(const TracedOp &op,
                                            SmallVectorImpl<Value> &results) {
  SmallVector<Value> events;
  for (const TracedValue &event : op.operands) {
    if (!isa<SimdgroupEventType>(event.value.getType()))
      return error(op.loc, "'async_copy_wait' waits for async copy events, "
                           "got a '" +
                               event.dtype + "' value");
    events.push_back(event.value);
  }
  AsyncCopyWaitOp::create(builder, op.loc, events);
  return success();
}

} // namespace enigma
