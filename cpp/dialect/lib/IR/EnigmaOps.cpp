//===- EnigmaOps.cpp - Enigma dialect operations --------------------------===//
//
// Verifiers and SSA result names of the enigma ops other than the kernel
// (KernelOp.cpp), and the generated op definitions.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::enigma;

LogicalResult mlir::enigma::verifyInsideKernel(Operation *op) {
  if (op->getParentOfType<KernelOp>())
    return success();
  return op->emitError() << "'" << op->getName()
                         << "' can only be used inside an enigma.kernel";
}

//===----------------------------------------------------------------------===//
// BuiltinOp
//===----------------------------------------------------------------------===//

LogicalResult BuiltinOp::verify() {
  BuiltinKind kind = getKind();
  if (hasDim(kind) && !getDim())
    return emitError() << stringifyBuiltinKind(kind)
                       << " is a uint3 query: it needs a dim (x, y or z)";
  if (!hasDim(kind) && getDim())
    return emitError() << stringifyBuiltinKind(kind)
                       << " is a uint query: it takes no dim (got "
                       << stringifyDim(*getDim()) << ")";
  return success();
}

/// `%thread_position_in_grid_x = enigma.builtin thread_position_in_grid x`.
void BuiltinOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  std::string name = stringifyBuiltinKind(getKind()).str();
  if (std::optional<Dim> dim = getDim())
    name += ("_" + stringifyDim(*dim)).str();
  setNameFn(getResult(), name);
}

//===----------------------------------------------------------------------===//
// ThreadgroupAllocOp
//===----------------------------------------------------------------------===//

LogicalResult ThreadgroupAllocOp::verify() {
  MemRefType type = getType();
  if (type.getRank() != 1 || type.getNumElements() <= 0 ||
      !type.getLayout().isIdentity())
    return emitError() << "threadgroup_alloc needs a positive number of "
                          "elements and a 1-D array, got "
                       << type;
  if (getAddressSpace(type) != AddressSpace::Threadgroup)
    return emitError() << "threadgroup_alloc must return memory in "
                          "#enigma.address_space<threadgroup>, got "
                       << type;
  Type element = type.getElementType();
  if (!isMetalValueType(element))
    return emitError() << "threadgroup_alloc element type " << element
                       << " is not a Metal scalar or vector type";
  if (getTypeForMetalDtype(getContext(), getDtype()) != element)
    return emitError() << "threadgroup_alloc dtype '" << getDtype()
                       << "' does not match its element type " << element;
  return success();
}

uint64_t ThreadgroupAllocOp::getSizeInBytes() {
  return getType().getNumElements() *
         getMetalSizeInBytes(getType().getElementType());
}

void ThreadgroupAllocOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  setNameFn(getResult(), "tg");
}

#define GET_OP_CLASSES
#include "enigma/Dialect/Enigma/EnigmaOps.cpp.inc"
