//===- Compile.h - Traced kernel in, MLIR and MSL out ---------------------===//
//
// The C++ core's one entry point for Python: it takes the traced IR as JSON
// (docs/architecture.md §1), imports it as enigma-dialect MLIR with the user's
// source locations, runs the pass pipeline and emits MSL. Failures never
// throw or abort: they come back as diagnostics with the user's file:line.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_COMPILER_COMPILE_H
#define ENIGMA_COMPILER_COMPILE_H

#include "enigma/Dialect/Enigma/KernelInterface.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace enigma {

/// The source language a compile emits.
enum class CompileTarget { MSL, CUDA };

struct CompileOptions {
  bool emitLocations = true; // `// file:line` comments in the MSL
  CompileTarget target = CompileTarget::MSL;
};

struct Diagnostic {
  std::string severity; // "error" | "warning" | "note" | "remark"
  std::string message;
  std::string file; // the user's Python file, empty when unknown
  unsigned line = 0;
  unsigned column = 0;
};

/// Wall-clock time of each stage of one compile, in microseconds
/// (benchmarks/compile_latency.py reports them).
struct StageTimings {
  double importUs = 0; // JSON -> MLIR module
  double passesUs = 0; // verify + the default pipeline
  double emitUs = 0;   // MSL emission (and printing the MLIR)
};

struct CompileResult {
  bool ok = false;
  std::string mlir; // after the pipeline
  std::string msl;  // with CompileTarget::MSL
  std::string cuda; // with CompileTarget::CUDA (docs/cuda.md)
  mlir::enigma::KernelInterface interface;
  std::vector<Diagnostic> diagnostics;
  StageTimings timings;
};

/// Compiles one traced kernel. Thread-safe: each call owns its MLIRContext.
CompileResult compileTracedKernel(llvm::StringRef tracedJson,
                                  const CompileOptions &options);

} // namespace enigma

#endif // ENIGMA_COMPILER_COMPILE_H
