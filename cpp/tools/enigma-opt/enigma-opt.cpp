//===- enigma-opt.cpp - The Enigma optimizer driver -----------------------===//
//
// mlir-opt for Enigma: parses enigma-dialect MLIR (with the upstream dialects
// a kernel body uses), runs passes or pipelines such as
// --enigma-default-pipeline, and prints the result. With --emit-msl the
// result is printed as MSL instead (the translation enigma-translate
// --emit-msl runs), so `enigma-opt --enigma-default-pipeline --emit-msl`
// shows what a kernel becomes; --emit-cuda prints CUDA C++ the same way.
// The lit tests drive it.
//
//===----------------------------------------------------------------------===//

#include "enigma/InitAllDialects.h"
#include "enigma/InitAllPasses.h"
#include "enigma/Target/CUDA/CUDAEmitter.h"
#include "enigma/Target/MSL/MSLEmitter.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

static llvm::cl::opt<bool>
    emitMSL("emit-msl", llvm::cl::init(false),
            llvm::cl::desc("Print the result of the passes as MSL"));
static llvm::cl::opt<bool>
    emitCUDA("emit-cuda", llvm::cl::init(false),
             llvm::cl::desc("Print the result of the passes as CUDA C++"));

/// Runs the passes into a string, then prints the resulting module as MSL
/// (or CUDA with `cuda`). The intermediate text keeps its locations
/// (--mlir-print-debuginfo) so the `// file:line` comments still point into
/// the input file.
static mlir::LogicalResult runThenEmit(llvm::StringRef inputFile,
                                       llvm::StringRef outputFile,
                                       mlir::DialectRegistry &registry,
                                       bool cuda) {
  auto &options = llvm::cl::getRegisteredOptions();
  if (auto *debugInfo = static_cast<llvm::cl::opt<bool> *>(
          options.lookup("mlir-print-debuginfo")))
    debugInfo->setValue(true);
  std::string error;
  auto input = mlir::openInputFile(inputFile, &error);
  auto output = mlir::openOutputFile(outputFile, &error);
  if (!input || !output) {
    llvm::errs() << error << "\n";
    return mlir::failure();
  }
  std::string optimized;
  llvm::raw_string_ostream optimizedStream(optimized);
  auto config = mlir::MlirOptMainConfig::createFromCLOptions();
  if (failed(mlir::MlirOptMain(optimizedStream, std::move(input), registry,
                               config)))
    return mlir::failure();
  mlir::MLIRContext context(registry);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(optimized, &context);
  if (!module)
    return mlir::failure();
  if (failed(cuda ? mlir::enigma::translateToCUDA(*module, output->os())
                  : mlir::enigma::translateToMSL(*module, output->os())))
    return mlir::failure();
  output->keep();
  return mlir::success();
}

int main(int argc, char **argv) {
  mlir::enigma::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::enigma::registerAllDialects(registry);
  auto [inputFile, outputFile] = mlir::registerAndParseCLIOptions(
      argc, argv, "Enigma optimizer driver\n", registry);
  if (emitMSL || emitCUDA)
    return mlir::asMainReturnCode(
        runThenEmit(inputFile, outputFile, registry, emitCUDA));
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, inputFile, outputFile, registry));
}
