//===- DiagnosticCollector.h - MLIR diagnostics -> plain data ---*- C++ -*-===//
//
// Private to the compiler library. While alive, captures every diagnostic
// the context emits (importer errors, verifier failures, pass failures) as
// enigma::Diagnostic records located at the user's Python file:line, so
// nothing is printed to stderr and Python can render them.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_COMPILER_LIB_DIAGNOSTICCOLLECTOR_H
#define ENIGMA_COMPILER_LIB_DIAGNOSTICCOLLECTOR_H

#include "enigma/Compiler/Compile.h"
#include "mlir/IR/Diagnostics.h"

namespace enigma {

class DiagnosticCollector {
public:
  DiagnosticCollector(mlir::MLIRContext *context,
                      std::vector<Diagnostic> &diagnostics);

  bool hadError() const { return errorCount > 0; }

private:
  void record(mlir::Diagnostic &diagnostic, llvm::StringRef severity);

  std::vector<Diagnostic> &diagnostics;
  unsigned errorCount = 0;
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace enigma

#endif // ENIGMA_COMPILER_LIB_DIAGNOSTICCOLLECTOR_H
