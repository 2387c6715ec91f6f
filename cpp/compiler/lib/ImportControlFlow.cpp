//===- ImportControlFlow.cpp - Traced loops and branches -> scf -----------===//
//
// for -> scf.for (integer bounds; unsigned comparison for unsigned
// induction variables), if -> scf.if, while -> scf.while, and their
// terminators yield -> scf.yield and condition -> scf.condition. Each region
// is imported by Importer::importRegion into a block whose arguments are
// created here from the carried values.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace enigma {

static SmallVector<Value> getValues(ArrayRef<TracedValue> operands) {
  return llvm::map_to_vector(operands,
                             [](const TracedValue &v) { return v.value; });
}

LogicalResult Importer::importFor(const TracedOp &op,
                                  SmallVectorImpl<Value> &results) {
  if (failed(requireValues(op)))
    return failure();
  if (op.operands.size() < 3 || op.resultTypes.size() != op.operands.size() - 3)
    return error(op.loc, "traced 'for' op needs lo, hi, step and one initial "
                         "value per loop result");
  const TracedValue &lo = op.operands[0];
  for (const TracedValue &bound : ArrayRef(op.operands).take_front(3))
    if (!isa<IntegerType>(bound.value.getType()) ||
        bound.value.getType() != lo.value.getType())
      return error(op.loc, "loop bounds and step must be integers of one "
                           "type, got '" +
                               bound.dtype + "' and '" + lo.dtype + "'");

  SmallVector<Value> inits = getValues(ArrayRef(op.operands).drop_front(3));
  // The builder adds the induction variable and carried values as block
  // arguments, and a yield when nothing is carried: the traced region
  // brings its own.
  auto forOp = scf::ForOp::create(
      builder, op.loc, lo.value, op.operands[1].value, op.operands[2].value,
      inits, /*bodyBuilder=*/nullptr,
      /*unsignedCmp=*/mlir::enigma::isUnsignedMetalDtype(lo.dtype));
  Block *body = forOp.getBody();
  if (!body->empty())
    body->back().erase();
  if (failed(importRegion(op, 0, *body, /*defaultYield=*/inits.empty())))
    return failure();
  llvm::append_range(results, forOp.getResults());
  return success();
}

LogicalResult Importer::importIf(const TracedOp &op,
                                 SmallVectorImpl<Value> &results) {
  if (failed(requireValues(op)))
    return failure();
  if (op.operands.size() != 1 || !op.operands[0].value.getType().isInteger(1))
    return error(op.loc, "traced 'if' op needs one bool condition");
  // The else region may be absent or empty when nothing is produced.
  const llvm::json::Object *elseRegion =
      op.regions.size() > 1 ? op.regions[1].getAsObject() : nullptr;
  const llvm::json::Array *elseOps =
      elseRegion ? elseRegion->getArray("ops") : nullptr;
  bool hasElse = !op.resultTypes.empty() || (elseOps && !elseOps->empty());

  auto ifOp = scf::IfOp::create(builder, op.loc, op.resultTypes,
                                op.operands[0].value, /*addThenBlock=*/true,
                                /*addElseBlock=*/hasElse);
  bool defaultYield = op.resultTypes.empty();
  if (failed(importRegion(op, 0, ifOp.getThenRegion().front(), defaultYield)))
    return failure();
  if (hasElse &&
      failed(importRegion(op, 1, ifOp.getElseRegion().front(), defaultYield)))
    return failure();
  llvm::append_range(results, ifOp.getResults());
  return success();
}

LogicalResult Importer::importWhile(const TracedOp &op,
                                    SmallVectorImpl<Value> &results) {
  if (failed(requireValues(op)))
    return failure();
  SmallVector<Value> inits = getValues(op.operands);
  auto whileOp = scf::WhileOp::create(builder, op.loc, op.resultTypes, inits);
  // "before" receives the carried values and decides; "after" receives the
  // values scf.condition forwards (the loop's results) and yields the next
  // carried values.
  SmallVector<Location> beforeLocs(inits.size(), op.loc);
  SmallVector<Location> afterLocs(op.resultTypes.size(), op.loc);
  Block *before = builder.createBlock(&whileOp.getBefore(), {},
                                      TypeRange(ValueRange(inits)), beforeLocs);
  Block *after =
      builder.createBlock(&whileOp.getAfter(), {}, op.resultTypes, afterLocs);
  builder.setInsertionPointAfter(whileOp);
  if (failed(importRegion(op, 0, *before, /*defaultYield=*/false)) ||
      failed(importRegion(op, 1, *after, /*defaultYield=*/false)))
    return failure();
  llvm::append_range(results, whileOp.getResults());
  return success();
}

/// Terminators only make sense directly inside an scf op's region.
static bool isInsideScf(OpBuilder &builder) {
  Operation *parent = builder.getInsertionBlock()->getParentOp();
  return parent && isa<scf::SCFDialect>(parent->getDialect());
}

LogicalResult Importer::importYield(const TracedOp &op,
                                    SmallVectorImpl<Value> &results) {
  if (failed(requireValues(op)))
    return failure();
  if (!isInsideScf(builder))
    return error(op.loc, "'yield' outside a loop or if_ body");
  scf::YieldOp::create(builder, op.loc, getValues(op.operands));
  return success();
}

LogicalResult Importer::importCondition(const TracedOp &op,
                                        SmallVectorImpl<Value> &results) {
  if (failed(requireValues(op)))
    return failure();
  if (!isInsideScf(builder) || op.operands.empty() ||
      !op.operands[0].value.getType().isInteger(1))
    return error(op.loc, "a while_ condition must end in 'condition' with a "
                         "bool value, inside the while_ loop");
  scf::ConditionOp::create(builder, op.loc, op.operands[0].value,
                           getValues(ArrayRef(op.operands).drop_front()));
  return success();
}

} // namespace enigma
