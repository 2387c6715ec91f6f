//===- enigma-translate.cpp - The Enigma translation driver ---------------===//
//
// mlir-translate for Enigma: `enigma-translate --emit-msl kernel.mlir` prints
// the MSL of every enigma.kernel in the input, `--emit-cuda` its CUDA C++.
// Translations out of MLIR are not passes, so this is mlirTranslateMain,
// beside the MlirOptMain enigma-opt.
//
//===----------------------------------------------------------------------===//

#include "enigma/Target/CUDA/CUDAEmitter.h"
#include "enigma/Target/MSL/MSLEmitter.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::enigma::registerMSLTranslation();
  mlir::enigma::registerCUDATranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "Enigma translation driver\n"));
}
