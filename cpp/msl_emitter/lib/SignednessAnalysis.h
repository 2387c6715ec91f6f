//===- SignednessAnalysis.h - Recover int vs uint for signless MLIR -------===//
//
// MLIR integers are signless: signedness lives in the choice of op (divsi vs
// divui, ...) and in the `dtype` of parameters and threadgroup arrays
// (docs/architecture.md §2). The emitter must still declare every C variable
// as `int` or `uint`. This analysis picks, for each integer value, the
// signedness that makes the printed code read like what the user wrote; the
// printers then cast explicitly wherever an op's signedness differs from the
// chosen one, so a poor choice costs readability, never correctness.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TARGET_CLIKE_SIGNEDNESSANALYSIS_H
#define ENIGMA_TARGET_CLIKE_SIGNEDNESSANALYSIS_H

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>

namespace mlir::enigma {

/// The signedness (true: unsigned) with which `op` reads its integer operand
/// `operandIndex` (divui, cmpi ult, extui source, ...); None when the op's
/// semantics do not depend on it (addi, cmpi eq, ...).
std::optional<bool> getOperandSignedness(Operation *op, unsigned operandIndex);

/// The signedness of `op`'s integer result when the op itself fixes it
/// (divui, shrsi, fptoui, index_castui, ...); None otherwise.
std::optional<bool> getResultSignedness(Operation *op);

/// The operands whose signedness a signless op's result follows: the first
/// of them that is not a constant decides (addi, select's values, shli's lhs,
/// trunci, extsi, ...). Empty for other ops.
OperandRange getSignednessSources(Operation *op);

class SignednessAnalysis {
public:
  explicit SignednessAnalysis(KernelOp kernel);

  /// Whether the integer `value` prints as unsigned; for a memref, whether
  /// its elements do. Values nothing decides print as signed.
  bool isUnsigned(Value value) const;

private:
  /// Seeds and forward propagation over the whole kernel; true on change.
  bool propagateForward();
  /// Gives undecided values the signedness their first use asks for; true
  /// on change.
  bool applyUseHints();
  void forwardOp(Operation *op, bool &changed);
  void hintOperands(Operation *op, bool &changed);

  Value leader(Value value) const;
  std::optional<bool> lookup(Value value) const;
  /// Records `isUnsigned` for `value` unless already decided; true if new.
  bool decide(Value value, std::optional<bool> isUnsigned);

  KernelOp kernel;
  llvm::DenseMap<Value, bool> decided;
  /// Values printed as one variable (scf.for iter_arg and result, ...) share
  /// the decision of their leader.
  llvm::DenseMap<Value, Value> leaders;
};

} // namespace mlir::enigma

#endif // ENIGMA_TARGET_CLIKE_SIGNEDNESSANALYSIS_H
