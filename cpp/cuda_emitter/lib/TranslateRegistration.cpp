//===- TranslateRegistration.cpp - The --emit-cuda translation ------------===//
//
// Registers `--emit-cuda` for the tools (enigma-opt, enigma-translate), with
// `--emit-cuda-locations=false` to drop the `// file:line` comments (useful
// when the input's locations are those of a .mlir file).
//
//===----------------------------------------------------------------------===//

#include "enigma/Target/CUDA/CUDAEmitter.h"

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;

void mlir::enigma::registerCUDATranslation() {
  static llvm::cl::opt<bool> emitLocations(
      "emit-cuda-locations",
      llvm::cl::desc("Precede the statements of each source line with a "
                     "`// file:line` comment in --emit-cuda output"),
      llvm::cl::init(true));
  static TranslateFromMLIRRegistration registration(
      "emit-cuda", "Translate legalized enigma-dialect MLIR to CUDA C++",
      [](Operation *op, llvm::raw_ostream &os) {
        CUDAEmitterOptions options;
        options.emitLocations = emitLocations;
        return translateToCUDA(op, os, options);
      },
      [](DialectRegistry &registry) {
        registry.insert<EnigmaDialect, arith::ArithDialect, math::MathDialect,
                        memref::MemRefDialect, scf::SCFDialect,
                        vector::VectorDialect>();
      });
}
