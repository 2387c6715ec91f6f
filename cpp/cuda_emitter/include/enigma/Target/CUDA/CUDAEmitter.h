//===- CUDAEmitter.h - Translate legalized Enigma MLIR to CUDA C++ --------===//
//
// The CUDA emitter prints the same legalized IR as the MSL emitter, through
// the same C-like printer, as CUDA C++ that NVRTC compiles: one
// `extern "C" __global__` function per kernel, taking its buffers as
// pointers, its Scalars by value and an EnigmaLaunch record (the Metal grid)
// last. It fails with a diagnostic naming the op for anything without a
// CUDA lowering yet (docs/cuda.md lists the coverage).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TARGET_CUDA_CUDAEMITTER_H
#define ENIGMA_TARGET_CUDA_CUDAEMITTER_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
class Operation;
namespace enigma {

struct CUDAEmitterOptions {
  /// Emit `// file:line` comments tying statements to the Python source.
  bool emitLocations = true;
};

/// Prints every `enigma.kernel` in `op` (a module or a single kernel) as
/// CUDA C++, preceded by the Enigma CUDA prelude.
LogicalResult translateToCUDA(Operation *op, llvm::raw_ostream &os,
                              const CUDAEmitterOptions &options = {});

/// Rewrites the ops in `root` that CUDA cannot print as they are (vector
/// shuffles) into ops it can; translateToCUDA runs it before printing.
LogicalResult legalizeForCUDA(Operation *root);

/// Registers the `--emit-cuda` translation for enigma-opt / enigma-translate.
void registerCUDATranslation();

} // namespace enigma
} // namespace mlir

#endif // ENIGMA_TARGET_CUDA_CUDAEMITTER_H
