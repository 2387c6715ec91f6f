//===- KernelInterface.cpp - What a kernel exposes to its callers ---------===//
//
// Computes the parameter table, builtin inputs and resource use of a kernel
// in one read-only walk. Buffer access is derived from memory effects, so it
// covers memref.load/store and any later op that reads or writes a buffer
// (atomics, vector loads) without a list of op names to keep in sync.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/KernelInterface.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/BitVector.h"

using namespace mlir;
using namespace mlir::enigma;

static BufferAccess combine(BufferAccess a, BufferAccess b) {
  if (a == BufferAccess::None || a == b)
    return b;
  if (b == BufferAccess::None)
    return a;
  return BufferAccess::ReadWrite;
}

/// How `user` accesses the memory behind its operand `buffer`. An op whose
/// effects are unknown is assumed to read and write it.
static BufferAccess getAccess(Operation *user, Value buffer) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(user);
  if (!effects)
    return BufferAccess::ReadWrite;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffectsOnValue(buffer, instances);
  BufferAccess access = BufferAccess::None;
  for (const MemoryEffects::EffectInstance &instance : instances) {
    if (isa<MemoryEffects::Read>(instance.getEffect()))
      access = combine(access, BufferAccess::Read);
    else if (isa<MemoryEffects::Write>(instance.getEffect()))
      access = combine(access, BufferAccess::Write);
  }
  return access;
}

/// The access of every use of `buffer`, following views of it.
static BufferAccess getBufferAccess(Value buffer) {
  BufferAccess access = BufferAccess::None;
  SmallVector<Value> worklist = {buffer};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (auto view = dyn_cast<ViewLikeOpInterface>(user);
          view && view.getViewSource() == value) {
        llvm::append_range(worklist, user->getResults());
        continue;
      }
      access = combine(access, getAccess(user, value));
    }
  }
  return access;
}

/// Records the alignment a vector load or store needs of its buffer, when
/// that buffer is a kernel parameter (a threadgroup array is aligned by its
/// declaration).
static void noteVectorAlignment(KernelInterface &interface, Operation *op) {
  Value memref = isa<VectorLoadOp>(op) ? cast<VectorLoadOp>(op).getMemref()
                                       : cast<VectorStoreOp>(op).getMemref();
  auto vector =
      cast<VectorType>(isa<VectorLoadOp>(op) ? op->getResult(0).getType()
                                             : op->getOperand(0).getType());
  auto arg = dyn_cast<BlockArgument>(memref);
  if (!arg || !isa<KernelOp>(arg.getOwner()->getParentOp()))
    return;
  unsigned bytes = vector.getNumElements() *
                   vector.getElementType().getIntOrFloatBitWidth() / 8;
  unsigned &alignment = interface.params[arg.getArgNumber()].vectorAlignment;
  alignment = std::max(alignment, bytes);
}

KernelInterface mlir::enigma::analyzeKernelInterface(KernelOp kernel) {
  KernelInterface interface;
  interface.name = kernel.getSymName().str();
  Block &entry = kernel.getBody().front();
  for (unsigned index = 0, e = kernel.getNumArguments(); index < e; ++index) {
    bool isBuffer = kernel.isBufferParam(index);
    interface.params.push_back(
        {kernel.getParamName(index).str(), kernel.getParamDtype(index).str(),
         isBuffer, index,
         isBuffer ? getBufferAccess(entry.getArgument(index))
                  : BufferAccess::Read});
  }

  // Collected as a set, reported in BuiltinKind order (the MSL ABI order).
  llvm::BitVector usedBuiltins(getMaxEnumValForBuiltinKind() + 1);
  kernel.walk([&](Operation *op) {
    if (auto builtin = dyn_cast<BuiltinOp>(op))
      usedBuiltins.set(static_cast<unsigned>(builtin.getKind()));
    else if (isa<ThreadgroupBarrierOp, SimdgroupBarrierOp, SimdReduceOp,
                 SimdShuffleOp>(op))
      interface.usesBarriers = true;
    if (isa<SimdReduceOp, SimdShuffleOp, SimdgroupMatrixFillOp,
            SimdgroupMatrixLoadOp, SimdgroupMatrixStoreOp,
            SimdgroupMultiplyAccumulateOp>(op))
      interface.usesSimdgroups = true;
    else if (auto fill = dyn_cast<ThreadgroupMatrixFillOp>(op)) {
      // Threadgroup matrices are cooperative: the threads synchronize.
      interface.requiredThreads = 2 * fill.getType().getShape()[0] + 128;
      interface.usesBarriers = true;
    } else if (auto alloc = dyn_cast<ThreadgroupAllocOp>(op))
      interface.threadgroupMemoryBytes += alloc.getSizeInBytes();
    else if (auto constant = dyn_cast<FunctionConstantOp>(op))
      interface.functionConstants.push_back(
          {static_cast<unsigned>(constant.getIndex()),
           constant.getSymName().str(), constant.getDtype().str()});
    else if (isa<VectorLoadOp, VectorStoreOp>(op))
      noteVectorAlignment(interface, op);
  });
  // One row per index (the verifier makes every read of an index agree).
  llvm::sort(interface.functionConstants,
             [](const FunctionConstant &a, const FunctionConstant &b) {
               return a.index < b.index;
             });
  interface.functionConstants.erase(
      llvm::unique(interface.functionConstants,
                   [](const FunctionConstant &a, const FunctionConstant &b) {
                     return a.index == b.index;
                   }),
      interface.functionConstants.end());
  for (unsigned kind : usedBuiltins.set_bits())
    interface.builtins.push_back(
        stringifyBuiltinKind(static_cast<BuiltinKind>(kind)).str());
  return interface;
}

const char *mlir::enigma::stringifyBufferAccess(BufferAccess access) {
  switch (access) {
  case BufferAccess::None:
    return "none";
  case BufferAccess::Read:
    return "read";
  case BufferAccess::Write:
    return "write";
  case BufferAccess::ReadWrite:
    return "read_write";
  }
  llvm_unreachable("unknown BufferAccess");
}
