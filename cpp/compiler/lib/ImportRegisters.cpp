//===- ImportRegisters.cpp - Per-thread arrays (register_tensor) ----------===//
//
// A traced `register_alloc` is a small array private to each thread: an
// upstream `memref.alloca` in Metal's thread address space, whose semantics
// (storage that lives until the enclosing scope ends) are exactly a C local
// array's. MLIR integers are signless, so the element's Metal dtype rides on
// the op as an `enigma.dtype` attribute, as it does on kernel arguments.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::enigma;

namespace enigma {

LogicalResult Importer::importRegisterAlloc(const TracedOp &op,
                                            SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 0, 1)))
    return failure();
  FailureOr<StringRef> dtype = getStringAttr(op, "dtype");
  if (failed(dtype))
    return failure();
  FailureOr<MemRefType> type = getArrayType(op, *dtype, AddressSpace::Thread);
  if (failed(type))
    return failure();
  auto alloca = memref::AllocaOp::create(builder, op.loc, *type);
  alloca->setAttr(KernelOp::getParamDtypeAttrName(),
                  builder.getStringAttr(*dtype));
  results.push_back(alloca.getResult());
  return success();
}

} // namespace enigma
