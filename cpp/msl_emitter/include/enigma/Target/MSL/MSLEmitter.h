//===- MSLEmitter.h - Translate legalized Enigma MLIR to MSL --------------===//
//
// The MSL emitter is a read-only printer over IR that the pass pipeline has
// already legalized: it changes nothing, and fails with a diagnostic naming
// the op and its type when it meets an op it has no rule for.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TARGET_MSL_MSLEMITTER_H
#define ENIGMA_TARGET_MSL_MSLEMITTER_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
class Operation;
namespace enigma {

struct MSLEmitterOptions {
  /// Emit `// file:line` comments tying statements to the Python source.
  bool emitLocations = true;
};

/// Prints every `enigma.kernel` in `op` (a module or a single kernel) as MSL.
LogicalResult translateToMSL(Operation *op, llvm::raw_ostream &os,
                             const MSLEmitterOptions &options = {});

/// Registers the `--emit-msl` translation for enigma-opt / mlir-translate.
void registerMSLTranslation();

} // namespace enigma
} // namespace mlir

#endif // ENIGMA_TARGET_MSL_MSLEMITTER_H
