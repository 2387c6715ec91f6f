//===- AsyncCopyOps.cpp - SIMD-group async copies -------------------------===//
//
// The definitions of the dialect's types (EnigmaTypes.td, generated into
// EnigmaOpsTypes.cpp.inc) and the verifier of enigma.async_copy: one side a
// device buffer, the other a threadgroup array, of one element type.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::enigma;

#define GET_TYPEDEF_CLASSES
#include "enigma/Dialect/Enigma/EnigmaOpsTypes.cpp.inc"

LogicalResult AsyncCopyOp::verify() {
  auto dst = cast<MemRefType>(getDst().getType());
  auto src = cast<MemRefType>(getSrc().getType());
  std::optional<AddressSpace> dstSpace = getAddressSpace(dst);
  std::optional<AddressSpace> srcSpace = getAddressSpace(src);
  bool deviceToThreadgroup =
      dstSpace == AddressSpace::Threadgroup && srcSpace == AddressSpace::Device;
  bool threadgroupToDevice =
      dstSpace == AddressSpace::Device && srcSpace == AddressSpace::Threadgroup;
  if (dst.getRank() != 1 || src.getRank() != 1 ||
      !(deviceToThreadgroup || threadgroupToDevice))
    return emitOpError() << "copies between a 1-D device buffer and a "
                            "threadgroup array, got "
                         << src << " to " << dst;
  if (dst.getElementType() != src.getElementType())
    return emitOpError() << "copies " << src.getElementType()
                         << " elements into a buffer of "
                         << dst.getElementType();
  return success();
}
