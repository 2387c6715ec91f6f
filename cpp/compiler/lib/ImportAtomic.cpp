//===- ImportAtomic.cpp - Traced atomics and function constants -----------===//
//
// Handlers for the traced `atomic_load`, `atomic_store`, `atomic_rmw` and
// `atomic_compare_exchange_weak` ops (enigma.atomic_*), and for
// `function_constant`. The tracer names min/max without signedness: it is
// the buffer's dtype that decides between mins/minu, as for arith ops. The
// Metal rules (which dtypes, which orders) are the ops' verifiers'.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::enigma;

namespace enigma {

/// The `order` attribute of an atomic, or an error naming the valid ones.
static FailureOr<MemoryOrder> getOrder(Importer &importer, const TracedOp &op) {
  FailureOr<StringRef> name = importer.getStringAttr(op, "order");
  if (failed(name))
    return failure();
  if (std::optional<MemoryOrder> order = symbolizeMemoryOrder(*name))
    return *order;
  return importer.error(op.loc, "unknown memory order '" + *name +
                                    "' (use relaxed, acquire, release or "
                                    "acq_rel)");
}

/// Checks that operand `index` of `op` is a value of the buffer's element
/// type (the tracer converts it first).
static LogicalResult requireElementValue(Importer &importer, const TracedOp &op,
                                         unsigned index) {
  const TracedValue &buffer = op.operands[0];
  const TracedValue &value = op.operands[index];
  if (!value.isBuffer() &&
      value.value.getType() ==
          cast<MemRefType>(buffer.value.getType()).getElementType())
    return success();
  return importer.error(op.loc, "atomic on a buffer of '" + buffer.dtype +
                                    "' got a '" + value.dtype +
                                    "' operand (the tracer must convert it)");
}

LogicalResult Importer::importAtomicLoad(const TracedOp &op,
                                         SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 2, 1)))
    return failure();
  FailureOr<Value> index = getBufferIndex(*this, op);
  FailureOr<MemoryOrder> order = getOrder(*this, op);
  if (failed(index) || failed(order))
    return failure();
  results.push_back(AtomicLoadOp::create(builder, op.loc, op.operands[0].value,
                                         *index, *order));
  return success();
}

LogicalResult Importer::importAtomicStore(const TracedOp &op,
                                          SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 3, 0)))
    return failure();
  FailureOr<Value> index = getBufferIndex(*this, op);
  FailureOr<MemoryOrder> order = getOrder(*this, op);
  if (failed(index) || failed(order) ||
      failed(requireElementValue(*this, op, 2)))
    return failure();
  AtomicStoreOp::create(builder, op.loc, op.operands[2].value,
                        op.operands[0].value, *index, *order);
  return success();
}

LogicalResult Importer::importAtomicRMW(const TracedOp &op,
                                        SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 3, 1)))
    return failure();
  FailureOr<Value> index = getBufferIndex(*this, op);
  FailureOr<MemoryOrder> order = getOrder(*this, op);
  FailureOr<StringRef> kindName = getStringAttr(op, "kind");
  if (failed(index) || failed(order) || failed(kindName) ||
      failed(requireElementValue(*this, op, 2)))
    return failure();
  bool isUnsigned = isUnsignedMetalDtype(op.operands[0].dtype);
  std::optional<AtomicKind> kind =
      llvm::StringSwitch<std::optional<AtomicKind>>(*kindName)
          .Case("exchange", AtomicKind::Exchange)
          .Case("add", AtomicKind::Add)
          .Case("sub", AtomicKind::Sub)
          .Case("min", isUnsigned ? AtomicKind::MinU : AtomicKind::MinS)
          .Case("max", isUnsigned ? AtomicKind::MaxU : AtomicKind::MaxS)
          .Case("and", AtomicKind::And)
          .Case("or", AtomicKind::Or)
          .Case("xor", AtomicKind::Xor)
          .Default(std::nullopt);
  if (!kind)
    return error(op.loc, "unknown atomic operation '" + *kindName + "'");
  results.push_back(AtomicRMWOp::create(builder, op.loc, *kind,
                                        op.operands[2].value,
                                        op.operands[0].value, *index, *order));
  return success();
}

LogicalResult
Importer::importAtomicCompareExchange(const TracedOp &op,
                                      SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 4, 2)))
    return failure();
  FailureOr<Value> index = getBufferIndex(*this, op);
  FailureOr<MemoryOrder> order = getOrder(*this, op);
  if (failed(index) || failed(order) ||
      failed(requireElementValue(*this, op, 2)) ||
      failed(requireElementValue(*this, op, 3)))
    return failure();
  auto exchange = AtomicCompareExchangeOp::create(
      builder, op.loc, op.operands[0].value, *index, op.operands[2].value,
      op.operands[3].value, *order);
  results.push_back(exchange.getOld());
  results.push_back(exchange.getSuccess());
  return success();
}

LogicalResult
Importer::importFunctionConstant(const TracedOp &op,
                                 SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 0, 1)))
    return failure();
  FailureOr<StringRef> name = getStringAttr(op, "name");
  std::optional<int64_t> index = op.attrs.getInteger("index");
  if (failed(name))
    return failure();
  if (!index || *index < 0 || *index > 65535)
    return error(op.loc, "a function constant needs an index in 0..65535");
  results.push_back(FunctionConstantOp::create(
      builder, op.loc, op.resultTypes[0], static_cast<int32_t>(*index), *name,
      op.resultDtypes[0]));
  return success();
}

} // namespace enigma
