//===- SimdPrinter.cpp - SIMD-group and quad-group function calls ---------===//
//
// Prints enigma.simd_reduce and enigma.simd_shuffle as the call a Metal
// programmer writes, `simd_sum(v3)` or `quad_shuffle_xor(v3, v4)`. The
// function name comes from the target's function table, under the key
// `enigma.<group>.<kind>` (e.g. `enigma.simdgroup.prefix_inclusive_sum`);
// the value is read with the signedness the call needs (integer min/max fix
// it, the others keep the result's), the lane as Metal's `ushort`.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

using namespace mlir;
using namespace mlir::enigma;

LogicalResult KernelEmitter::emitSimdFunction(Operation &op) {
  std::string key;
  std::optional<bool> signedness;
  if (auto reduce = dyn_cast<SimdReduceOp>(op)) {
    key = ("enigma." + stringifyLaneGroup(reduce.getGroup()) + "." +
           stringifySimdReduceKind(reduce.getKind()))
              .str();
    signedness = reduce.getSignedness();
  } else {
    auto shuffle = cast<SimdShuffleOp>(op);
    key = ("enigma." + stringifyLaneGroup(shuffle.getGroup()) + "." +
           stringifySimdShuffleKind(shuffle.getKind()))
              .str();
  }
  llvm::StringRef function = target.lookupFunction(key);
  if (function.empty())
    return unsupported(&op);

  Value value = op.getOperand(0);
  Value result = op.getResult(0);
  // The call returns the value's type: read it as the result is declared.
  CType valueType = signedness ? typeAs(value, *signedness) : typeOf(result);
  std::string arguments = operand(value, valueType);
  if (op.getNumOperands() == 2)
    arguments += ", " + operand(op.getOperand(1),
                                typeAs(op.getOperand(1), /*isUnsigned=*/true));
  noteLocation(&op);
  declare(result, function + "(" + arguments + ")");
  return success();
}
