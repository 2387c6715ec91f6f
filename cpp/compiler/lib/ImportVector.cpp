//===- ImportVector.cpp - Vector construction, lanes and functions --------===//
//
// Handlers for the traced vector ops (docs/architecture.md §1):
//   vector_construct -> vector.from_elements (the lanes of vector parts are
//                       read with vector.extract first, as MSL's
//                       `float4(v.xy, z, w)` takes them);
//   vector_extract   -> vector.extract, at a constant or a traced lane;
//   vector_swizzle   -> vector.shuffle of the vector with itself;
//   vector_function  -> the enigma op named like the Metal function
//                       (enigma.dot, enigma.pack_float_to_unorm4x8, ...),
//                       whose ODS verifier checks the operand types.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/OperationSupport.h"

using namespace mlir;

namespace enigma {

/// The vector operand `op.operands[0]`, or an error naming the op.
static FailureOr<VectorType> getVectorOperand(Importer &importer,
                                              const TracedOp &op) {
  if (op.operands.empty() || op.resultTypes.size() != 1)
    return importer.error(op.loc, "traced '" + op.kind +
                                      "' op needs a vector operand and one "
                                      "result");
  auto vector = dyn_cast<VectorType>(op.operands[0].value.getType());
  if (!vector)
    return importer.error(op.loc, "'" + op.kind + "' needs a vector, got '" +
                                      op.operands[0].dtype + "'");
  return vector;
}

LogicalResult Importer::importVectorConstruct(const TracedOp &op,
                                              SmallVectorImpl<Value> &results) {
  if (failed(requireValues(op)) || op.resultTypes.size() != 1)
    return failure();
  auto type = dyn_cast<VectorType>(op.resultTypes[0]);
  if (!type)
    return error(op.loc, "traced 'vector_construct' op must build a vector, "
                         "not '" +
                             op.resultDtypes[0] + "'");
  Type element = type.getElementType();
  SmallVector<Value> lanes;
  for (const TracedValue &part : op.operands) {
    auto vector = dyn_cast<VectorType>(part.value.getType());
    if ((vector ? vector.getElementType() : part.value.getType()) != element)
      return error(op.loc, "a '" + op.resultDtypes[0] +
                               "' cannot be built from a '" + part.dtype +
                               "' (the tracer must convert it first)");
    if (!vector) {
      lanes.push_back(part.value);
      continue;
    }
    for (int64_t lane = 0; lane < vector.getNumElements(); ++lane)
      lanes.push_back(
          vector::ExtractOp::create(builder, op.loc, part.value, lane));
  }
  if (int64_t(lanes.size()) != type.getNumElements())
    return error(op.loc, "a '" + op.resultDtypes[0] + "' needs " +
                             Twine(type.getNumElements()) + " lanes, got " +
                             Twine(lanes.size()));
  results.push_back(
      vector::FromElementsOp::create(builder, op.loc, type, lanes));
  return success();
}

LogicalResult Importer::importVectorExtract(const TracedOp &op,
                                            SmallVectorImpl<Value> &results) {
  FailureOr<VectorType> vector = getVectorOperand(*this, op);
  if (failed(vector) || failed(requireValues(op)))
    return failure();
  Value source = op.operands[0].value;
  if (op.operands.size() == 2) {
    // A traced lane: an `index`, cast with the lane value's signedness.
    const TracedValue &lane = op.operands[1];
    if (!isa<IntegerType>(lane.value.getType()))
      return error(op.loc, "a vector lane index must be an integer, got '" +
                               lane.dtype + "'");
    Value index =
        mlir::enigma::isUnsignedMetalDtype(lane.dtype)
            ? Value(arith::IndexCastUIOp::create(
                  builder, op.loc, builder.getIndexType(), lane.value))
            : Value(arith::IndexCastOp::create(
                  builder, op.loc, builder.getIndexType(), lane.value));
    results.push_back(vector::ExtractOp::create(builder, op.loc, source,
                                                OpFoldResult(index)));
    return success();
  }
  std::optional<int64_t> lane = op.attrs.getInteger("lane");
  if (op.operands.size() != 1 || !lane)
    return error(op.loc, "traced 'vector_extract' op needs a vector and a "
                         "traced lane, or a vector and a 'lane' attribute");
  if (*lane < 0 || *lane >= vector->getNumElements())
    return error(op.loc, "lane " + Twine(*lane) + " does not exist in a '" +
                             op.operands[0].dtype + "'");
  results.push_back(vector::ExtractOp::create(builder, op.loc, source, *lane));
  return success();
}

LogicalResult Importer::importVectorSwizzle(const TracedOp &op,
                                            SmallVectorImpl<Value> &results) {
  FailureOr<VectorType> vector = getVectorOperand(*this, op);
  if (failed(vector) || failed(requireValues(op)))
    return failure();
  const llvm::json::Array *lanes = op.attrs.getArray("lanes");
  if (op.operands.size() != 1 || !lanes)
    return error(op.loc, "traced 'vector_swizzle' op needs one vector and a "
                         "'lanes' attribute");
  SmallVector<int64_t> mask;
  for (const llvm::json::Value &json : *lanes) {
    std::optional<int64_t> lane = json.getAsInteger();
    if (!lane || *lane < 0 || *lane >= vector->getNumElements())
      return error(op.loc, "a swizzle of a '" + op.operands[0].dtype +
                               "' reads a lane it does not have");
    mask.push_back(*lane);
  }
  // Both shuffle operands are the vector: mask entries index its lanes.
  Value source = op.operands[0].value;
  results.push_back(vector::ShuffleOp::create(
      builder, op.loc, source, source, builder.getDenseI64ArrayAttr(mask)));
  return success();
}

LogicalResult Importer::importVectorFunction(const TracedOp &op,
                                             SmallVectorImpl<Value> &results) {
  FailureOr<StringRef> fn = getStringAttr(op, "fn");
  if (failed(fn) || failed(requireValues(op)))
    return failure();
  std::string opName = ("enigma." + *fn).str();
  if (!RegisteredOperationName::lookup(opName, context) ||
      op.resultTypes.size() != 1)
    return error(op.loc, "unknown vector function '" + *fn + "'");
  // Built generically: the op's ODS verifier checks the operand and result
  // types (the tracer has already given them the Metal signature).
  OperationState state(op.loc, opName);
  for (const TracedValue &operand : op.operands)
    state.addOperands(operand.value);
  state.addTypes(op.resultTypes);
  results.push_back(builder.create(state)->getResult(0));
  return success();
}

} // namespace enigma
