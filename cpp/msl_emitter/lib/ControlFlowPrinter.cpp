//===- ControlFlowPrinter.cpp - scf loops and conditionals as C -----------===//
//
// Values an scf op carries become C variables declared before the statement:
// a loop's iter_args (initialized from the inits, reassigned at the yield)
// are also its results, an `scf.if`'s results are assigned in each branch,
// and `scf.while` becomes `while (true) { before; if (!cond) break; after; }`
// with one variable set per region. Yields are parallel assignments: values
// that a yield both reads and overwrites (a swap) are copied first.
// Simdgroup matrices are carried too, as `simdgroup_float8x8` variables.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::enigma;

std::string KernelEmitter::carriedTypeName(Value value) const {
  if (isMatrixType(value.getType()))
    return matrixTypeName(cast<VectorType>(value.getType()));
  return typeName(typeOf(value));
}

std::string KernelEmitter::carriedOperand(Value value, Value variable) {
  if (isMatrixType(variable.getType()))
    return names.lookup(value);
  return operand(value, typeOf(variable));
}

void KernelEmitter::declareCarried(ValueRange values, ValueRange aliases,
                                   ValueRange inits) {
  for (auto [index, value] : llvm::enumerate(values)) {
    std::string name = freshName();
    bind(value, name);
    if (!aliases.empty())
      bind(aliases[index], name);
    std::string declaration = carriedTypeName(value) + " " + name;
    if (!inits.empty())
      declaration += " = " + carriedOperand(inits[index], value);
    line(declaration + ";");
  }
}

void KernelEmitter::assignCarried(ValueRange variables, ValueRange values) {
  // Values that are themselves variables of this assignment must be read
  // before any of them is written.
  llvm::SmallPtrSet<void *, 8> written;
  for (auto [variable, value] : llvm::zip(variables, values))
    if (variable != value)
      written.insert(variable.getAsOpaquePointer());

  SmallVector<std::string> sources;
  for (auto [variable, value] : llvm::zip(variables, values)) {
    std::string source = carriedOperand(value, variable);
    if (variable != value && written.contains(value.getAsOpaquePointer())) {
      std::string copy = freshName();
      line(carriedTypeName(variable) + " " + copy + " = " + source + ";");
      source = copy;
    }
    sources.push_back(source);
  }
  for (auto [variable, value, source] : llvm::zip(variables, values, sources))
    if (variable != value)
      line(names[variable] + " = " + source + ";");
}

LogicalResult KernelEmitter::emitFor(scf::ForOp loop) {
  noteLocation(loop);
  declareCarried(loop.getRegionIterArgs(), loop.getResults(),
                 loop.getInitArgs());
  Value iv = loop.getInductionVar();
  CType ivType = typeOf(iv);
  std::string name = freshName();
  bind(iv, name);
  line("for (" + typeName(ivType) + " " + name + " = " +
       operand(loop.getLowerBound(), ivType) + "; " + name + " < " +
       operand(loop.getUpperBound(), ivType) + "; " + name +
       " += " + operand(loop.getStep(), ivType) + ") {");
  ++indent;
  if (failed(emitBlock(*loop.getBody())))
    return failure();
  assignCarried(loop.getRegionIterArgs(),
                loop.getBody()->getTerminator()->getOperands());
  --indent;
  line("}");
  return success();
}

LogicalResult KernelEmitter::emitIf(scf::IfOp ifOp) {
  noteLocation(ifOp);
  declareCarried(ifOp.getResults(), {}, {});
  line("if (" + operand(ifOp.getCondition()) + ") {");
  ++indent;
  if (failed(emitBlock(*ifOp.thenBlock())))
    return failure();
  assignCarried(ifOp.getResults(), ifOp.thenYield().getOperands());
  --indent;
  Block *elseBlock = ifOp.elseBlock();
  // An else that only yields nothing prints nothing.
  if (elseBlock &&
      !(elseBlock->getOperations().size() == 1 && ifOp.getNumResults() == 0)) {
    line("} else {");
    ++indent;
    if (failed(emitBlock(*elseBlock)))
      return failure();
    assignCarried(ifOp.getResults(), ifOp.elseYield().getOperands());
    --indent;
  }
  line("}");
  return success();
}

LogicalResult KernelEmitter::emitWhile(scf::WhileOp loop) {
  noteLocation(loop);
  declareCarried(loop.getBeforeArguments(), {}, loop.getInits());
  declareCarried(loop.getAfterArguments(), loop.getResults(), {});
  line("while (true) {");
  ++indent;
  if (failed(emitBlock(loop.getBefore().front())))
    return failure();
  // The forwarded values are the results when the loop exits here.
  scf::ConditionOp condition = loop.getConditionOp();
  assignCarried(loop.getAfterArguments(), condition.getArgs());
  line("if (!" + operand(condition.getCondition()) + ") break;");
  if (failed(emitBlock(loop.getAfter().front())))
    return failure();
  assignCarried(loop.getBeforeArguments(), loop.getYieldOp().getOperands());
  --indent;
  line("}");
  return success();
}
