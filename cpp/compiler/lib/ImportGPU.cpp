//===- ImportGPU.cpp - Memory, thread-query and barrier ops ---------------===//
//
// Handlers for the traced ops that touch memory or the GPU's execution
// model: buffer load/store (memref with an index cast chosen by the index's
// signedness), thread and grid queries, barriers and threadgroup arrays.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::enigma;

namespace enigma {

/// Checks the buffer and index operands of a load or store and returns the
/// index as an `index` value (MLIR's memref subscript type).
FailureOr<Value> getBufferIndex(Importer &importer, const TracedOp &op) {
  const TracedValue &buffer = op.operands[0];
  const TracedValue &index = op.operands[1];
  if (!buffer.isBuffer())
    return importer.error(op.loc, "'" + op.kind + "' needs a buffer, got a '" +
                                      buffer.dtype + "' value");
  if (!isa<IntegerType>(index.value.getType()))
    return importer.error(op.loc, "buffer index must be an integer, got '" +
                                      index.dtype + "'");
  OpBuilder &b = importer.builder;
  if (isUnsignedMetalDtype(index.dtype))
    return arith::IndexCastUIOp::create(b, op.loc, b.getIndexType(),
                                        index.value)
        .getResult();
  return arith::IndexCastOp::create(b, op.loc, b.getIndexType(), index.value)
      .getResult();
}

LogicalResult Importer::importLoad(const TracedOp &op,
                                   SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 2, 1)))
    return failure();
  FailureOr<Value> index = getBufferIndex(*this, op);
  if (failed(index))
    return failure();
  results.push_back(
      memref::LoadOp::create(builder, op.loc, op.operands[0].value, *index));
  return success();
}

LogicalResult Importer::importStore(const TracedOp &op,
                                    SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 3, 0)))
    return failure();
  FailureOr<Value> index = getBufferIndex(*this, op);
  if (failed(index))
    return failure();
  const TracedValue &buffer = op.operands[0];
  const TracedValue &value = op.operands[2];
  if (value.isBuffer() ||
      value.value.getType() !=
          cast<MemRefType>(buffer.value.getType()).getElementType())
    return error(op.loc, "cannot store a '" + value.dtype +
                             "' value into a buffer of '" + buffer.dtype +
                             "' (the tracer must convert it first)");
  memref::StoreOp::create(builder, op.loc, value.value, buffer.value, *index);
  return success();
}

LogicalResult Importer::importBuiltin(const TracedOp &op,
                                      SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 0, 1)))
    return failure();
  FailureOr<StringRef> name = getStringAttr(op, "name");
  if (failed(name))
    return failure();
  std::optional<BuiltinKind> kind = symbolizeBuiltinKind(*name);
  if (!kind)
    return error(op.loc, "unknown thread or grid query '" + *name + "'");
  DimAttr dim;
  if (std::optional<StringRef> dimName = op.attrs.getString("dim")) {
    std::optional<Dim> parsed = symbolizeDim(*dimName);
    if (!parsed)
      return error(op.loc, "dim must be \"x\", \"y\" or \"z\", got \"" +
                               *dimName + "\"");
    dim = DimAttr::get(context, *parsed);
  }
  // A dim given to a uint query (or missing on a uint3 one) is reported by
  // the op's verifier, in the same words.
  results.push_back(BuiltinOp::create(builder, op.loc, builder.getI32Type(),
                                      BuiltinKindAttr::get(context, *kind),
                                      dim));
  return success();
}

LogicalResult Importer::importBarrier(const TracedOp &op,
                                      SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 0, 0)))
    return failure();
  FailureOr<StringRef> scope = getStringAttr(op, "scope");
  FailureOr<StringRef> flagsName = getStringAttr(op, "flags");
  if (failed(scope) || failed(flagsName))
    return failure();
  std::optional<MemFlags> flags = symbolizeMemFlags(*flagsName);
  if (!flags)
    return error(op.loc, "unknown barrier mem_flags '" + *flagsName +
                             "' (use mem_none, mem_device, mem_threadgroup, "
                             "mem_device_and_threadgroup or mem_texture)");
  if (*scope == "threadgroup")
    ThreadgroupBarrierOp::create(builder, op.loc, *flags);
  else if (*scope == "simdgroup")
    SimdgroupBarrierOp::create(builder, op.loc, *flags);
  else
    return error(op.loc, "barrier scope must be threadgroup or simdgroup, "
                         "got '" +
                             *scope + "'");
  return success();
}

LogicalResult
Importer::importThreadgroupAlloc(const TracedOp &op,
                                 SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 0, 1)))
    return failure();
  FailureOr<StringRef> dtype = getStringAttr(op, "dtype");
  if (failed(dtype))
    return failure();
  FailureOr<MemRefType> type =
      getArrayType(op, *dtype, AddressSpace::Threadgroup);
  if (failed(type))
    return failure();
  results.push_back(
      ThreadgroupAllocOp::create(builder, op.loc, *type, *dtype).getResult());
  return success();
}

} // namespace enigma
