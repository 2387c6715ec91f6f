//===- EnigmaOps.h - Enigma dialect operations ------------------*- C++ -*-===//
//
// The ops of the enigma dialect (EnigmaOps.td), plus the InsideKernel trait
// that several of them share. Including this header gives the dialect, its
// attributes and its ops.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_DIALECT_ENIGMA_ENIGMAOPS_H
#define ENIGMA_DIALECT_ENIGMA_ENIGMAOPS_H

#include "enigma/Dialect/Enigma/EnigmaAttrs.h"
#include "enigma/Dialect/Enigma/EnigmaDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::enigma {
/// Fails with a diagnostic unless `op` is nested in an `enigma.kernel`.
LogicalResult verifyInsideKernel(Operation *op);

/// Op trait: the op is only valid inside an `enigma.kernel`, at any depth.
template <typename ConcreteType>
class InsideKernel : public OpTrait::TraitBase<ConcreteType, InsideKernel> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return verifyInsideKernel(op);
  }
};
} // namespace mlir::enigma

// The types of the dialect (EnigmaTypes.td): !enigma.simdgroup_event.
#define GET_TYPEDEF_CLASSES
#include "enigma/Dialect/Enigma/EnigmaOpsTypes.h.inc"

// The MathFunction enum of enigma.math (EnigmaMathEnums.td).
#include "enigma/Dialect/Enigma/EnigmaMathEnums.h.inc"

// The LaneGroup, SimdReduceKind and SimdShuffleKind enums (EnigmaSimdEnums.td).
#include "enigma/Dialect/Enigma/EnigmaSimdEnums.h.inc"

#define GET_OP_CLASSES
#include "enigma/Dialect/Enigma/EnigmaOps.h.inc"

#endif // ENIGMA_DIALECT_ENIGMA_ENIGMAOPS_H
