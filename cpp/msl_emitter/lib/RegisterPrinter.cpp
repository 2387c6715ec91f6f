//===- RegisterPrinter.cpp - Per-thread arrays (register_tensor) ----------===//
//
// A `memref.alloca` in the thread address space is a local array of the
// kernel function, declared where the alloca is (a loop body declares it per
// iteration, as the tracer's scopes allow). Every C-like target spells a
// local array the same way, so this needs no target table entry; MSL's
// `thread` qualifier is implicit for locals and is left out, as Metal
// programmers do. Loads and stores index it like any array.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "enigma/Dialect/Enigma/EnigmaAttrs.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"

using namespace mlir;
using namespace mlir::enigma;

LogicalResult KernelEmitter::emitThreadArray(memref::AllocaOp alloca) {
  MemRefType type = alloca.getType();
  std::optional<CType> element =
      CType::get(type, signedness.isUnsigned(alloca.getResult()));
  if (!element || !type.hasStaticShape() || type.getRank() != 1 ||
      getAddressSpace(type) != AddressSpace::Thread ||
      !alloca.getDynamicSizes().empty() || !alloca.getSymbolOperands().empty())
    return unsupported(alloca, "array (only 1-D per-thread arrays print)");
  noteLocation(alloca);
  std::string name = freshName();
  bind(alloca.getResult(), name);
  line(typeName(*element) + " " + name + "[" +
       std::to_string(type.getDimSize(0)) + "];");
  return success();
}
