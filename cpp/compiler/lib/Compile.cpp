//===- Compile.cpp - Traced kernel in, MLIR and MSL out -------------------===//
//
// The compile driver behind enigma._core: import -> verify -> default
// pipeline -> kernel interface -> MSL. Compiles must be fast (the vector add
// end to end well under 10 ms, SPEC §6), so each thread keeps one
// MLIRContext with every dialect loaded and one initialized pass manager;
// each call still builds, and drops, its own module.
//
//===----------------------------------------------------------------------===//

#include "enigma/Compiler/Compile.h"
#include "DiagnosticCollector.h"
#include "enigma/Compiler/TracedIRImporter.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/EnigmaPasses.h"
#include "enigma/InitAllDialects.h"
#include "enigma/Target/CUDA/CUDAEmitter.h"
#include "enigma/Target/MSL/MSLEmitter.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include <chrono>

using namespace mlir;

namespace enigma {
namespace {
/// What one thread reuses across compiles. The pass manager initializes its
/// passes (e.g. canonicalization patterns) on first run only.
struct CompilerSession {
  CompilerSession()
      : context(getRegistry(), MLIRContext::Threading::DISABLED),
        pipeline(&context, ModuleOp::getOperationName()) {
    context.loadAllAvailableDialects();
    // Diagnostics reach Python users: no dump of the failing op in MLIR
    // syntax, the message and the source line say what is wrong.
    context.printOpOnDiagnostic(false);
    mlir::enigma::buildDefaultPipeline(pipeline);
  }

  static DialectRegistry getRegistry() {
    DialectRegistry registry;
    mlir::enigma::registerAllDialects(registry);
    return registry;
  }

  MLIRContext context;
  PassManager pipeline;
};
/// Microseconds elapsed since `start`; resets `start` to now.
double lap(std::chrono::steady_clock::time_point &start) {
  auto now = std::chrono::steady_clock::now();
  double us = std::chrono::duration<double, std::micro>(now - start).count();
  start = now;
  return us;
}
} // namespace

/// Adds an error at the kernel's location when a stage failed without
/// saying why, so a failed compile always carries a diagnostic.
static void ensureError(CompileResult &result,
                        const DiagnosticCollector &collector,
                        llvm::StringRef stage) {
  if (collector.hadError())
    return;
  Diagnostic &diagnostic = result.diagnostics.emplace_back();
  diagnostic.severity = "error";
  diagnostic.message =
      ("internal compiler error: " + stage + " failed without a diagnostic")
          .str();
}

CompileResult compileTracedKernel(llvm::StringRef tracedJson,
                                  const CompileOptions &options) {
  thread_local CompilerSession session;
  CompileResult result;
  DiagnosticCollector collector(&session.context, result.diagnostics);
  auto clock = std::chrono::steady_clock::now();

  OwningOpRef<ModuleOp> module =
      importTracedKernel(tracedJson, &session.context);
  result.timings.importUs = lap(clock);
  if (!module) {
    ensureError(result, collector, "importing the traced IR");
    return result;
  }
  bool pipelineFailed =
      failed(verify(*module)) || failed(session.pipeline.run(*module));
  result.timings.passesUs = lap(clock);
  if (pipelineFailed) {
    ensureError(result, collector, "the MLIR pipeline");
    return result;
  }

  auto kernel = *module->getOps<mlir::enigma::KernelOp>().begin();
  result.interface = mlir::enigma::analyzeKernelInterface(kernel);
  llvm::raw_string_ostream mlirStream(result.mlir);
  module->print(mlirStream);

  if (options.target == CompileTarget::CUDA) {
    mlir::enigma::CUDAEmitterOptions cudaOptions;
    cudaOptions.emitLocations = options.emitLocations;
    llvm::raw_string_ostream cudaStream(result.cuda);
    if (failed(
            mlir::enigma::translateToCUDA(*module, cudaStream, cudaOptions))) {
      ensureError(result, collector, "CUDA emission");
      return result;
    }
  } else {
    mlir::enigma::MSLEmitterOptions mslOptions;
    mslOptions.emitLocations = options.emitLocations;
    llvm::raw_string_ostream mslStream(result.msl);
    if (failed(mlir::enigma::translateToMSL(*module, mslStream, mslOptions))) {
      ensureError(result, collector, "MSL emission");
      return result;
    }
  }
  result.timings.emitUs = lap(clock);
  result.ok = !collector.hadError();
  return result;
}

} // namespace enigma
