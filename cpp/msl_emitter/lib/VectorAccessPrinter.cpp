//===- VectorAccessPrinter.cpp - Vector loads and stores ------------------===//
//
// enigma.vector_load / enigma.vector_store print as a dereference of the
// element pointer cast to a vector pointer, as Metal code reads a float4 out
// of a float buffer:
//
//   float4 v5 = *(device const float4*)(a + v3);
//   *(device float4*)(c + v3) = v5;
//
// A threadgroup array needs a `threadgroup` pointer. The cpu device compiles
// the same MSL as host C++, where the word `threadgroup` declares
// per-threadgroup storage and so cannot appear in a pointer type; a kernel
// with threadgroup vector accesses is therefore preceded by a macro that
// spells the pointer's address space for each compiler (target table
// `threadgroupVectorPrelude`).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::enigma;

static bool isThreadgroup(Value memref) {
  return getAddressSpace(memref.getType()) ==
         std::optional<AddressSpace>(AddressSpace::Threadgroup);
}

void KernelEmitter::declareVectorAccessPrelude() {
  auto threadgroupAccess = [](Operation *op) {
    Value memref;
    if (auto load = dyn_cast<VectorLoadOp>(op))
      memref = load.getMemref();
    else if (auto store = dyn_cast<VectorStoreOp>(op))
      memref = store.getMemref();
    return memref && isThreadgroup(memref) ? WalkResult::interrupt()
                                           : WalkResult::advance();
  };
  if (kernel.walk(threadgroupAccess).wasInterrupted())
    os << target.threadgroupVectorPrelude;
}

LogicalResult KernelEmitter::emitVectorAccess(Operation &op) {
  if (!operandsPrintable(&op))
    return unsupported(&op);
  auto load = dyn_cast<VectorLoadOp>(op);
  auto store = dyn_cast<VectorStoreOp>(op);
  Value memref = load ? load.getMemref() : store.getMemref();
  Value offset = load ? load.getOffset() : store.getOffset();
  Value vector = load ? load.getResult() : store.getValue();
  // An atomic array is declared with an atomic element type.
  if (isAtomicArray(memref))
    return unsupported(&op, "vector access to an atomically used array");
  const char *format = isThreadgroup(memref) ? target.threadgroupVectorAccess
                       : load                ? target.deviceVectorLoad
                                             : target.deviceVectorStore;
  std::string element = llvm::formatv(format, typeName(typeOf(vector)),
                                      pointerAt(memref, offset));
  noteLocation(&op);
  if (load)
    declare(load.getResult(), element);
  else
    line(element + " = " + operand(store.getValue()) + ";");
  return success();
}
