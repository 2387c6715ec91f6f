//===- HoistThreadgroupAllocs.cpp - Threadgroup memory at kernel scope ----===//
//
// MSL declares threadgroup arrays at kernel scope, while the DSL's
// threadgroup_alloc may be called inside loops and branches. This pass moves
// every allocation to the top of the kernel so the emitter only prints.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaPasses.h"

namespace mlir::enigma {
#define GEN_PASS_DEF_HOISTTHREADGROUPALLOCS
#include "enigma/Dialect/Enigma/EnigmaPasses.h.inc"
} // namespace mlir::enigma

using namespace mlir;
using namespace mlir::enigma;

namespace {
struct HoistThreadgroupAllocsPass
    : public enigma::impl::HoistThreadgroupAllocsBase<
          HoistThreadgroupAllocsPass> {
  void runOnOperation() override {
    KernelOp kernel = getOperation();
    // Collect first (in pre-order, i.e. source order) so the walk never sees
    // an op it already moved.
    SmallVector<ThreadgroupAllocOp> allocs;
    kernel.walk<WalkOrder::PreOrder>(
        [&](ThreadgroupAllocOp alloc) { allocs.push_back(alloc); });

    // Allocations have no operands, so any position in the entry block
    // dominates all their uses.
    Block &entry = kernel.getBody().front();
    Operation *previous = nullptr;
    for (ThreadgroupAllocOp alloc : allocs) {
      if (previous)
        alloc->moveAfter(previous);
      else
        alloc->moveBefore(&entry, entry.begin());
      previous = alloc;
    }
  }
};
} // namespace
