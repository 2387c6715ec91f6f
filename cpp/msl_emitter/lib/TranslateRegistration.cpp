//===- TranslateRegistration.cpp - The --emit-msl translation -------------===//
//
// Registers `--emit-msl` for the tools (enigma-opt, enigma-translate), with
// `--emit-msl-locations=false` to drop the `// file:line` comments (useful
// when the input's locations are those of a .mlir file).
//
//===----------------------------------------------------------------------===//

#include "enigma/Target/MSL/MSLEmitter.h"

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

void mlir::enigma::registerMSLTranslation() {
  static llvm::cl::opt<bool> emitLocations(
      "emit-msl-locations",
      llvm::cl::desc("Precede the statements of each source line with a "
                     "`// file:line` comment in --emit-msl output"),
      llvm::cl::init(true));
  static TranslateFromMLIRRegistration registration(
      "emit-msl", "Translate legalized enigma-dialect MLIR to Metal",
      [](Operation *op, llvm::raw_ostream &os) {
        MSLEmitterOptions options;
        options.emitLocations = emitLocations;
        return translateToMSL(op, os, options);
      },
      [](DialectRegistry &registry) {
        registry.insert<EnigmaDialect, arith::ArithDialect, math::MathDialect,
                        memref::MemRefDialect, scf::SCFDialect,
                        vector::VectorDialect>();
      });
}
