//===- TracedIRImporter.h - Traced-IR JSON -> enigma MLIR -------*- C++ -*-===//
//
// Imports the plain-data form of a traced kernel (docs/architecture.md §1) as
// a module holding one enigma.kernel, with each op located at the user's
// Python file:line. Malformed input is reported, never asserted on.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_COMPILER_TRACEDIRIMPORTER_H
#define ENIGMA_COMPILER_TRACEDIRIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace enigma {

/// Parses `tracedJson` and builds the kernel in `context`, which must have
/// the dialects of mlir::enigma::registerAllDialects loaded. On bad input,
/// reports an error through the context's diagnostic engine (at the op's
/// location when it has one) and returns null. The result is not verified.
mlir::OwningOpRef<mlir::ModuleOp>
importTracedKernel(llvm::StringRef tracedJson, mlir::MLIRContext *context);

} // namespace enigma

#endif // ENIGMA_COMPILER_TRACEDIRIMPORTER_H
