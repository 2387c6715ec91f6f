//===- enigma-opt.cpp - The Enigma optimizer driver -----------------------===//
//
// mlir-opt for Enigma: parses enigma-dialect MLIR (with the upstream dialects
// a kernel body uses), runs passes or pipelines such as
// --enigma-default-pipeline, and prints the result. The lit tests drive it.
// MSL emission is a translation, so it lives in enigma-translate --emit-msl.
//
//===----------------------------------------------------------------------===//

#include "enigma/InitAllDialects.h"
#include "enigma/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::enigma::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::enigma::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Enigma optimizer driver\n", registry));
}
