//===- SignednessAnalysis.cpp - Recover int vs uint for signless MLIR -----===//
//
// Three sources decide an integer value's signedness, strongest first:
//   1. seeds: parameter and threadgroup dtypes, thread queries (uint), ops
//      whose result signedness is fixed (divui, fptosi, ...), `scf.for
//      unsigned` induction variables, loads (the buffer's dtype);
//   2. forward propagation through signless ops (addi, select, trunci, ...,
//      and the values an scf op carries), the first non-constant operand
//      deciding;
//   3. for values still undecided (typically loop counters that start at a
//      constant), the signedness their first use asks for (cmpi ult, divsi,
//      a store into a uint buffer, ...).
// Anything left is signed, like a Python int literal (i32).
//
//===----------------------------------------------------------------------===//

#include "SignednessAnalysis.h"

#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::enigma;

static bool isUnsignedPredicate(arith::CmpIPredicate predicate) {
  using P = arith::CmpIPredicate;
  return predicate == P::ult || predicate == P::ule || predicate == P::ugt ||
         predicate == P::uge;
}

static bool isSignedPredicate(arith::CmpIPredicate predicate) {
  using P = arith::CmpIPredicate;
  return predicate == P::slt || predicate == P::sle || predicate == P::sgt ||
         predicate == P::sge;
}

std::optional<bool> mlir::enigma::getOperandSignedness(Operation *op,
                                                       unsigned operandIndex) {
  // Shifts read the amount as unsigned whatever the op; only the shifted
  // value's signedness matters.
  if (isa<arith::ShRSIOp, arith::ShRUIOp>(op) && operandIndex != 0)
    return std::nullopt;
  if (auto math = dyn_cast<MathOp>(op))
    return math.getArgSignedness(operandIndex);
  // SIMD functions: an integer min/max fixes the value's signedness; the
  // lane of a shuffle is Metal's ushort.
  if (auto reduce = dyn_cast<SimdReduceOp>(op))
    return reduce.getSignedness();
  if (isa<SimdShuffleOp>(op))
    return operandIndex == 1 ? std::optional<bool>(true) : std::nullopt;
  // The unpack functions read a Metal uint.
  if (isa<UnpackSnorm4x8ToFloatOp, UnpackUnorm4x8ToFloatOp,
          UnpackSnorm2x16ToFloatOp, UnpackUnorm2x16ToFloatOp,
          UnpackUnorm4x8SrgbToFloatOp, UnpackUnorm10a2ToFloatOp>(op))
    return true;
  if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    if (isUnsignedPredicate(cmp.getPredicate()))
      return true;
    if (isSignedPredicate(cmp.getPredicate()))
      return false;
    return std::nullopt;
  }
  if (isa<arith::DivSIOp, arith::RemSIOp, arith::MinSIOp, arith::MaxSIOp,
          arith::FloorDivSIOp, arith::CeilDivSIOp, arith::ShRSIOp,
          arith::ExtSIOp, arith::SIToFPOp, arith::IndexCastOp, math::AbsIOp>(
          op))
    return false;
  if (isa<arith::DivUIOp, arith::RemUIOp, arith::MinUIOp, arith::MaxUIOp,
          arith::CeilDivUIOp, arith::ShRUIOp, arith::ExtUIOp, arith::UIToFPOp,
          arith::IndexCastUIOp>(op))
    return true;
  return std::nullopt;
}

std::optional<bool> mlir::enigma::getResultSignedness(Operation *op) {
  if (isa<arith::DivSIOp, arith::RemSIOp, arith::MinSIOp, arith::MaxSIOp,
          arith::FloorDivSIOp, arith::CeilDivSIOp, arith::ShRSIOp,
          arith::FPToSIOp, arith::IndexCastOp, math::AbsIOp>(op))
    return false;
  if (isa<arith::DivUIOp, arith::RemUIOp, arith::MinUIOp, arith::MaxUIOp,
          arith::CeilDivUIOp, arith::ShRUIOp, arith::FPToUIOp,
          arith::IndexCastUIOp>(op))
    return true;
  if (isa<BuiltinOp>(op))
    return true; // Metal's thread queries are uint.
  if (auto constant = dyn_cast<FunctionConstantOp>(op))
    return isUnsignedMetalDtype(constant.getDtype());
  if (auto math = dyn_cast<MathOp>(op))
    return math.getResultSignedness();
  if (auto reduce = dyn_cast<SimdReduceOp>(op))
    return reduce.getSignedness();
  // The pack functions answer a Metal uint.
  if (isa<PackFloatToSnorm4x8Op, PackFloatToUnorm4x8Op, PackFloatToSnorm2x16Op,
          PackFloatToUnorm2x16Op, PackFloatToSrgbUnorm4x8Op,
          PackFloatToUnorm10a2Op>(op))
    return true;
  return std::nullopt;
}

OperandRange mlir::enigma::getSignednessSources(Operation *op) {
  OperandRange operands = op->getOperands();
  if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::AndIOp,
          arith::OrIOp, arith::XOrIOp, arith::TruncIOp, arith::ExtSIOp,
          arith::ExtUIOp, math::CountLeadingZerosOp, math::CountTrailingZerosOp,
          math::CtPopOp, vector::BroadcastOp>(op))
    return operands;
  // Lanes read and vectors built keep their vector's (lanes') signedness.
  if (isa<vector::ShuffleOp, vector::FromElementsOp>(op))
    return operands;
  if (isa<vector::ExtractOp>(op))
    return operands.take_front(1);
  if (isa<arith::ShLIOp, SimdReduceOp, SimdShuffleOp>(op))
    return operands.take_front(1);
  if (isa<arith::SelectOp>(op))
    return operands.drop_front(1);
  return operands.take_front(0);
}

static bool isTracked(Value value) {
  // A memref stands for its elements; a vector for its lanes.
  Type type = value.getType();
  if (auto memref = dyn_cast<MemRefType>(type))
    type = memref.getElementType();
  type = getElementTypeOrSelf(type);
  return type.isIndex() || (type.isInteger() && !type.isInteger(1));
}

static bool isConstant(Value value) {
  return isa_and_nonnull<arith::ConstantOp>(value.getDefiningOp());
}

SignednessAnalysis::SignednessAnalysis(KernelOp kernel) : kernel(kernel) {
  // An scf result is printed as the same variable as the region argument
  // that carries it, so both must get one signedness.
  kernel.walk([&](Operation *op) {
    if (auto loop = dyn_cast<scf::ForOp>(op))
      for (auto [arg, result] :
           llvm::zip(loop.getRegionIterArgs(), loop.getResults()))
        leaders[result] = arg;
    if (auto loop = dyn_cast<scf::WhileOp>(op))
      for (auto [arg, result] :
           llvm::zip(loop.getAfterArguments(), loop.getResults()))
        leaders[result] = arg;
  });

  Block &body = kernel.getBody().front();
  for (BlockArgument arg : body.getArguments())
    decide(arg, isUnsignedMetalDtype(kernel.getParamDtype(arg.getArgNumber())));

  while (propagateForward()) {
  }
  while (applyUseHints())
    while (propagateForward()) {
    }
}

Value SignednessAnalysis::leader(Value value) const {
  auto it = leaders.find(value);
  return it == leaders.end() ? value : it->second;
}

std::optional<bool> SignednessAnalysis::lookup(Value value) const {
  auto it = decided.find(leader(value));
  if (it == decided.end())
    return std::nullopt;
  return it->second;
}

bool SignednessAnalysis::isUnsigned(Value value) const {
  return lookup(value).value_or(false);
}

bool SignednessAnalysis::decide(Value value, std::optional<bool> isUnsigned) {
  if (!isUnsigned || !isTracked(value) || isConstant(value))
    return false;
  return decided.try_emplace(leader(value), *isUnsigned).second;
}

/// The decision of the first non-constant value of `values` that has one.
static std::optional<bool>
firstDecided(ValueRange values,
             llvm::function_ref<std::optional<bool>(Value)> lookup) {
  for (Value value : values)
    if (!isConstant(value))
      if (std::optional<bool> isUnsigned = lookup(value))
        return isUnsigned;
  return std::nullopt;
}

bool SignednessAnalysis::propagateForward() {
  bool changed = false;
  kernel.walk<WalkOrder::PreOrder>(
      [&](Operation *op) { forwardOp(op, changed); });
  return changed;
}

void SignednessAnalysis::forwardOp(Operation *op, bool &changed) {
  auto lookupFn = [&](Value value) { return lookup(value); };
  auto decideFrom = [&](Value value, ValueRange sources) {
    changed |= decide(value, firstDecided(sources, lookupFn));
  };

  if (op->getNumResults() == 1) {
    Value result = op->getResult(0);
    changed |= decide(result, getResultSignedness(op));
    decideFrom(result, getSignednessSources(op));
  }
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](ThreadgroupAllocOp alloc) {
        changed |=
            decide(alloc.getResult(), isUnsignedMetalDtype(alloc.getDtype()));
      })
      .Case([&](memref::AllocaOp alloca) {
        // A per-thread array (register_tensor) carries its element dtype.
        if (auto dtype = alloca->getAttrOfType<StringAttr>(
                KernelOp::getParamDtypeAttrName()))
          changed |= decide(alloca.getResult(),
                            isUnsignedMetalDtype(dtype.getValue()));
      })
      .Case([&](memref::LoadOp load) {
        changed |= decide(load.getResult(), lookup(load.getMemRef()));
      })
      // An atomic returns a value of its atomic type, the buffer's.
      .Case([&](AtomicLoadOp load) {
        changed |= decide(load.getResult(), lookup(load.getMemref()));
      })
      .Case([&](AtomicRMWOp rmw) {
        changed |= decide(rmw.getResult(), lookup(rmw.getMemref()));
      })
      .Case([&](AtomicCompareExchangeOp exchange) {
        changed |= decide(exchange.getOld(), lookup(exchange.getMemref()));
      })
      .Case([&](scf::ForOp loop) {
        changed |= decide(loop.getInductionVar(), loop.getUnsignedCmp());
        auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
        for (auto [i, arg] : llvm::enumerate(loop.getRegionIterArgs()))
          decideFrom(arg, {loop.getInitArgs()[i], yield.getOperand(i)});
      })
      .Case([&](scf::IfOp ifOp) {
        for (auto [i, result] : llvm::enumerate(ifOp.getResults()))
          decideFrom(result, {ifOp.thenYield().getOperand(i),
                              ifOp.elseYield().getOperand(i)});
      })
      .Case([&](scf::WhileOp loop) {
        scf::ConditionOp condition = loop.getConditionOp();
        scf::YieldOp yield = loop.getYieldOp();
        for (auto [i, arg] : llvm::enumerate(loop.getBeforeArguments()))
          decideFrom(arg, {loop.getInits()[i], yield.getOperand(i)});
        for (auto [i, arg] : llvm::enumerate(loop.getAfterArguments()))
          decideFrom(arg, condition.getArgs()[i]);
      });
}

bool SignednessAnalysis::applyUseHints() {
  bool changed = false;
  kernel.walk<WalkOrder::PreOrder>(
      [&](Operation *op) { hintOperands(op, changed); });
  return changed;
}

void SignednessAnalysis::hintOperands(Operation *op, bool &changed) {
  // What the op itself asks of each operand (divui, cmpi slt, ...).
  for (OpOperand &operand : op->getOpOperands())
    changed |= decide(operand.get(),
                      getOperandSignedness(op, operand.getOperandNumber()));
  // A signless op's sources read as its result does.
  if (op->getNumResults() == 1)
    for (Value source : getSignednessSources(op))
      changed |= decide(source, lookup(op->getResult(0)));

  auto hintAll = [&](ValueRange values, ValueRange like) {
    for (auto [value, target] : llvm::zip(values, like))
      changed |= decide(value, lookup(target));
  };
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](arith::CmpIOp cmp) {
        // Equality has no signedness: compare like the other operand.
        changed |= decide(cmp.getLhs(), lookup(cmp.getRhs()));
        changed |= decide(cmp.getRhs(), lookup(cmp.getLhs()));
      })
      .Case([&](memref::StoreOp store) {
        changed |= decide(store.getValueToStore(), lookup(store.getMemRef()));
      })
      .Case([&](AtomicStoreOp store) {
        changed |= decide(store.getValue(), lookup(store.getMemref()));
      })
      .Case([&](AtomicRMWOp rmw) {
        changed |= decide(rmw.getValue(), lookup(rmw.getMemref()));
      })
      .Case([&](AtomicCompareExchangeOp exchange) {
        changed |= decide(exchange.getExpected(), lookup(exchange.getMemref()));
        changed |= decide(exchange.getDesired(), lookup(exchange.getMemref()));
      })
      .Case([&](scf::ForOp loop) {
        Value iv = loop.getInductionVar();
        hintAll({loop.getLowerBound(), loop.getUpperBound(), loop.getStep()},
                {iv, iv, iv});
        hintAll(loop.getInitArgs(), loop.getRegionIterArgs());
      })
      .Case([&](scf::WhileOp loop) {
        hintAll(loop.getInits(), loop.getBeforeArguments());
      })
      .Case([&](scf::YieldOp yield) {
        Operation *parent = yield->getParentOp();
        if (auto loop = dyn_cast<scf::ForOp>(parent))
          hintAll(yield.getOperands(), loop.getRegionIterArgs());
        else if (auto loop = dyn_cast<scf::WhileOp>(parent))
          hintAll(yield.getOperands(), loop.getBeforeArguments());
        else
          hintAll(yield.getOperands(), parent->getResults());
      })
      .Case([&](scf::ConditionOp condition) {
        auto loop = cast<scf::WhileOp>(condition->getParentOp());
        hintAll(condition.getArgs(), loop.getAfterArguments());
      });
}
