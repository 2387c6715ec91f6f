//===- AtomicOps.cpp - Atomic and function-constant op verifiers ----------===//
//
// The rules Metal puts on atomics, checked once for the four atomic ops:
// a 1-D device buffer or threadgroup array of 32-bit integers, or of f32
// on device memory for load, store, exchange, add and sub; loads are not
// releases and stores are not acquires (as in C++); min/max agree with the
// signedness of the buffer's dtype. Also the function-constant verifier.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::enigma;

/// The Metal dtype recorded for `memref`'s elements (a kernel parameter's
/// `enigma.dtype`, a threadgroup array's dtype), or "" when not known here.
static StringRef getRecordedDtype(Value memref) {
  if (auto alloc = memref.getDefiningOp<ThreadgroupAllocOp>())
    return alloc.getDtype();
  if (auto arg = dyn_cast<BlockArgument>(memref))
    if (auto kernel = dyn_cast<KernelOp>(arg.getOwner()->getParentOp()))
      return kernel.getParamDtype(arg.getArgNumber());
  return "";
}

static bool isFloatKindAllowed(AtomicKind kind) {
  return kind == AtomicKind::Exchange || kind == AtomicKind::Add ||
         kind == AtomicKind::Sub;
}

/// The checks every atomic shares. `kind` is set for atomic_rmw only.
static LogicalResult verifyAtomic(Operation *op, Value memref,
                                  std::optional<AtomicKind> kind) {
  auto type = cast<MemRefType>(memref.getType());
  std::optional<AddressSpace> space = getAddressSpace(type);
  if (type.getRank() != 1 ||
      (space != AddressSpace::Device && space != AddressSpace::Threadgroup))
    return op->emitError() << "atomics need a device buffer or a "
                              "threadgroup array, got "
                           << type;
  Type element = type.getElementType();
  if (element.isF32()) {
    if (space == AddressSpace::Threadgroup)
      return op->emitError() << "Metal has no float atomics in threadgroup "
                                "memory; use a uint array and "
                                "atomic_compare_exchange_weak";
    if (isa<AtomicCompareExchangeOp>(op) ||
        (kind && !isFloatKindAllowed(*kind)))
      return op->emitError()
             << "Metal's atomic_float supports load, store, exchange, add "
                "and sub only";
    return success();
  }
  if (!element.isInteger(32))
    return op->emitError() << "atomics need 32-bit integer or float "
                              "elements (Metal's atomic_int, atomic_uint, "
                              "atomic_float), got "
                           << element;
  StringRef dtype = getRecordedDtype(memref);
  if (kind && !dtype.empty()) {
    bool isUnsigned = isUnsignedMetalDtype(dtype);
    bool wantsUnsigned = *kind == AtomicKind::MinU || *kind == AtomicKind::MaxU;
    bool wantsSigned = *kind == AtomicKind::MinS || *kind == AtomicKind::MaxS;
    if ((wantsUnsigned && !isUnsigned) || (wantsSigned && isUnsigned))
      return op->emitError()
             << "atomic " << stringifyAtomicKind(*kind) << " on a buffer of '"
             << dtype << "' compares with the other signedness";
  }
  return success();
}

LogicalResult AtomicLoadOp::verify() {
  MemoryOrder order = getOrder();
  if (order != MemoryOrder::Relaxed && order != MemoryOrder::Acquire)
    return emitError() << "an atomic load is relaxed or acquire, not "
                       << stringifyMemoryOrder(order);
  return verifyAtomic(*this, getMemref(), std::nullopt);
}

LogicalResult AtomicStoreOp::verify() {
  MemoryOrder order = getOrder();
  if (order != MemoryOrder::Relaxed && order != MemoryOrder::Release)
    return emitError() << "an atomic store is relaxed or release, not "
                       << stringifyMemoryOrder(order);
  return verifyAtomic(*this, getMemref(), std::nullopt);
}

LogicalResult AtomicRMWOp::verify() {
  return verifyAtomic(*this, getMemref(), getKind());
}

LogicalResult AtomicCompareExchangeOp::verify() {
  return verifyAtomic(*this, getMemref(), std::nullopt);
}

//===----------------------------------------------------------------------===//
// FunctionConstantOp
//===----------------------------------------------------------------------===//

LogicalResult FunctionConstantOp::verify() {
  Type type = getResult().getType();
  if (isa<VectorType>(type) ||
      getTypeForMetalDtype(getContext(), getDtype()) != type)
    return emitError() << "function constant " << getIndex() << " has dtype '"
                       << getDtype() << "', which is not a Metal scalar of "
                       << "its type " << type;
  StringRef name = getSymName();
  if (name.empty() ||
      !llvm::all_of(name,
                    [](char c) { return llvm::isAlnum(c) || c == '_'; }) ||
      llvm::isDigit(name.front()))
    return emitError() << "function constant name '" << name
                       << "' is not an identifier";
  // One index, one constant: every read agrees on its name and dtype.
  auto kernel = (*this)->getParentOfType<KernelOp>();
  WalkResult result = kernel.walk([&](FunctionConstantOp other) {
    bool sameIndex = other.getIndex() == getIndex();
    bool sameName = other.getSymName() == name;
    if (sameIndex != sameName || (sameIndex && other.getDtype() != getDtype()))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    return emitError() << "function constant " << getIndex() << " ('" << name
                       << "', " << getDtype()
                       << ") is declared differently elsewhere in the kernel";
  return success();
}
