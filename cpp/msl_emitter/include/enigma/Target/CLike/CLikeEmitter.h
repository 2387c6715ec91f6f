//===- CLikeEmitter.h - Print legalized Enigma MLIR as C-like source ------===//
//
// The one printer behind every C-like target: it walks the kernels of a
// legalized module and prints them in the spelling of a CLikeTarget table.
// Each target's public entry point (translateToMSL, ...) is this call with
// its table.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TARGET_CLIKE_CLIKEEMITTER_H
#define ENIGMA_TARGET_CLIKE_CLIKEEMITTER_H

#include "enigma/Target/CLike/CLikeTarget.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
class Operation;
namespace enigma {

/// Prints every `enigma.kernel` in `op` (a module or a single kernel) in the
/// spelling of `target`. Nothing is written to `os` unless all kernels print;
/// otherwise a diagnostic names the first op without a rule.
LogicalResult translateToCLike(Operation *op, llvm::raw_ostream &os,
                               const CLikeTarget &target, bool emitLocations);

} // namespace enigma
} // namespace mlir

#endif // ENIGMA_TARGET_CLIKE_CLIKEEMITTER_H
