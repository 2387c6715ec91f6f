//===- CheckUniformProducts.cpp - Threadgroup matrix products are uniform -===//
//
// Every thread of a threadgroup must reach a threadgroup matrix product
// together, with the same operands: on CUDA the product's threads wait for
// each other on barriers, so a product that only some threads reach hangs
// the threadgroup. This pass finds the values that may differ between the
// threads of a threadgroup and refuses a product whose operands are such a
// value, or that sits in a branch or loop that such a value controls.
//
// A value is thread-varying if it is a builtin that names the thread (its
// position or index; a threadgroup's position, sizes and counts are
// uniform), the result of an atomic or a SIMD-group function, or computed
// from a thread-varying value: by an op, as a load's index, as a loop bound
// (the induction variable and the carried values), as a branch condition (the
// results), or carried through a loop or returned from a branch. A load at a
// uniform index is uniform. Loops are followed to a fixed point.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaPasses.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::enigma {
#define GEN_PASS_DEF_CHECKUNIFORMPRODUCTS
#include "enigma/Dialect/Enigma/EnigmaPasses.h.inc"
} // namespace mlir::enigma

using namespace mlir;
using namespace mlir::enigma;

namespace {

bool namesTheThread(BuiltinKind kind) {
  switch (kind) {
  case BuiltinKind::ThreadgroupPositionInGrid:
  case BuiltinKind::ThreadsPerThreadgroup:
  case BuiltinKind::ThreadsPerGrid:
  case BuiltinKind::ThreadgroupsPerGrid:
  case BuiltinKind::ThreadsPerSimdgroup:
  case BuiltinKind::SimdgroupsPerThreadgroup:
    return false;
  default:
    return true;
  }
}

/// The thread-varying values of a kernel (see the file comment).
class ThreadVarying {
public:
  explicit ThreadVarying(KernelOp kernel) {
    do {
      changed = false;
      kernel.walk([&](Operation *op) { visit(op); });
    } while (changed);
  }

  bool contains(Value value) const { return varying.contains(value); }
  bool any(ValueRange values) const {
    return llvm::any_of(values, [&](Value v) { return contains(v); });
  }

private:
  void mark(Value value) { changed |= varying.insert(value).second; }
  void markAll(ValueRange values) {
    for (Value value : values)
      mark(value);
  }

  void visit(Operation *op) {
    if (auto builtin = dyn_cast<BuiltinOp>(op)) {
      if (namesTheThread(builtin.getKind()))
        mark(builtin.getResult());
      return;
    }
    if (isa<AtomicLoadOp, AtomicRMWOp, AtomicCompareExchangeOp, SimdReduceOp,
            SimdShuffleOp>(op) ||
        any(op->getOperands()))
      markAll(op->getResults());
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      bool bounds =
          any({loop.getLowerBound(), loop.getUpperBound(), loop.getStep()});
      if (bounds)
        mark(loop.getInductionVar());
      auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
      for (auto [i, carried] : llvm::enumerate(loop.getRegionIterArgs()))
        if (bounds || contains(loop.getInitArgs()[i]) ||
            contains(yield.getOperand(i))) {
          mark(carried);
          mark(loop.getResult(i));
        }
    } else if (auto branch = dyn_cast<scf::IfOp>(op)) {
      for (Region *region : {&branch.getThenRegion(), &branch.getElseRegion()})
        if (!region->empty())
          for (auto [i, value] :
               llvm::enumerate(region->front().getTerminator()->getOperands()))
            if (contains(value))
              mark(branch.getResult(i));
    } else if (auto loop = dyn_cast<scf::WhileOp>(op)) {
      scf::ConditionOp condition = loop.getConditionOp();
      bool exits = contains(condition.getCondition());
      for (auto [i, arg] : llvm::enumerate(loop.getBeforeArguments()))
        if (contains(loop.getInits()[i]) ||
            contains(loop.getYieldOp().getOperand(i)))
          mark(arg);
      for (auto [i, value] : llvm::enumerate(condition.getArgs()))
        if (exits || contains(value)) {
          mark(loop.getAfterArguments()[i]);
          mark(loop.getResult(i));
        }
    }
  }

  llvm::DenseSet<Value> varying;
  bool changed = false;
};

/// The loop or branch around `op` that thread-varying values control, if any.
Operation *divergentParent(Operation *op, KernelOp kernel,
                           const ThreadVarying &varying) {
  for (Operation *parent = op->getParentOp(); parent && parent != kernel;
       parent = parent->getParentOp()) {
    if (auto branch = dyn_cast<scf::IfOp>(parent);
        branch && varying.contains(branch.getCondition()))
      return parent;
    if (auto loop = dyn_cast<scf::ForOp>(parent);
        loop && varying.any({loop.getLowerBound(), loop.getUpperBound(),
                             loop.getStep()}))
      return parent;
    if (auto loop = dyn_cast<scf::WhileOp>(parent);
        loop && varying.contains(loop.getConditionOp().getCondition()))
      return parent;
  }
  return nullptr;
}

struct CheckUniformProductsPass
    : public enigma::impl::CheckUniformProductsBase<CheckUniformProductsPass> {
  void runOnOperation() override {
    KernelOp kernel = getOperation();
    SmallVector<ThreadgroupMultiplyAccumulateOp> products;
    kernel.walk(
        [&](ThreadgroupMultiplyAccumulateOp p) { products.push_back(p); });
    if (products.empty())
      return;
    ThreadVarying varying(kernel);
    for (ThreadgroupMultiplyAccumulateOp product : products) {
      Value operands[] = {product.getAOffset(), product.getAStride(),
                          product.getARows(),   product.getBOffset(),
                          product.getBStride(), product.getBCols(),
                          product.getK()};
      if (varying.any(operands)) {
        product.emitError()
            << "a threadgroup matrix product's offsets, strides, extents and "
               "k must be the same for every thread of the threadgroup, and "
               "one of them depends on the thread";
        return signalPassFailure();
      }
      if (Operation *parent = divergentParent(product, kernel, varying)) {
        product.emitError()
            << "a threadgroup matrix product inside a "
            << (isa<scf::IfOp>(parent) ? "branch" : "loop")
            << " that depends on the thread: every thread of the threadgroup "
               "must reach it together (the threads that reach it would wait "
               "for the others)";
        return signalPassFailure();
      }
    }
  }
};

} // namespace
