//===- ImportSimd.cpp - SIMD-group and quad-group functions ---------------===//
//
// Handlers for the traced `simd_reduce` and `simd_shuffle` ops (attrs
// `group`: simdgroup | quadgroup, `kind`: the function after its `simd_` /
// `quad_` prefix). The value's dtype says whether an integer min/max
// compares unsigned; the op verifiers check the types Metal allows and
// report them at the user's line.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::enigma;

namespace enigma {

/// The `group` attribute of a traced SIMD op.
static FailureOr<LaneGroup> getLaneGroup(Importer &importer,
                                         const TracedOp &op) {
  FailureOr<StringRef> name = importer.getStringAttr(op, "group");
  if (failed(name))
    return failure();
  if (std::optional<LaneGroup> group = symbolizeLaneGroup(*name))
    return *group;
  return importer.error(op.loc, "SIMD op group must be simdgroup or "
                                "quadgroup, got '" +
                                    *name + "'");
}

LogicalResult Importer::importSimdReduce(const TracedOp &op,
                                         SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 1, 1)) || failed(requireValues(op)))
    return failure();
  FailureOr<LaneGroup> group = getLaneGroup(*this, op);
  FailureOr<StringRef> kindName = getStringAttr(op, "kind");
  if (failed(group) || failed(kindName))
    return failure();
  std::optional<SimdReduceKind> kind = symbolizeSimdReduceKind(*kindName);
  if (!kind)
    return error(op.loc, "unknown SIMD reduction '" + *kindName + "'");
  const TracedValue &value = op.operands[0];
  bool isUnsigned =
      (*kind == SimdReduceKind::Min || *kind == SimdReduceKind::Max) &&
      isa<IntegerType>(getElementTypeOrSelf(value.value)) &&
      isUnsignedMetalDtype(value.dtype);
  results.push_back(SimdReduceOp::create(builder, op.loc, *group, *kind,
                                         value.value, isUnsigned));
  return success();
}

LogicalResult Importer::importSimdShuffle(const TracedOp &op,
                                          SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 2, 1)) || failed(requireValues(op)))
    return failure();
  FailureOr<LaneGroup> group = getLaneGroup(*this, op);
  FailureOr<StringRef> kindName = getStringAttr(op, "kind");
  if (failed(group) || failed(kindName))
    return failure();
  std::optional<SimdShuffleKind> kind = symbolizeSimdShuffleKind(*kindName);
  if (!kind)
    return error(op.loc, "unknown SIMD shuffle '" + *kindName + "'");
  const TracedValue &lane = op.operands[1];
  if (!lane.value.getType().isInteger(16))
    return error(op.loc, "the lane of a SIMD shuffle must be a ushort, got '" +
                             lane.dtype + "' (the tracer must convert it)");
  results.push_back(SimdShuffleOp::create(builder, op.loc, *group, *kind,
                                          op.operands[0].value, lane.value));
  return success();
}

} // namespace enigma
