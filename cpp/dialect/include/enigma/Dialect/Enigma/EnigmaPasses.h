//===- EnigmaPasses.h - Passes and the default pipeline ---------*- C++ -*-===//
//
// The enigma passes (EnigmaPasses.td) and the pipeline every compile runs:
// canonicalize, CSE, then the enigma passes that prepare a kernel for the
// read-only emitters (docs/architecture.md §2).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_DIALECT_ENIGMA_ENIGMAPASSES_H
#define ENIGMA_DIALECT_ENIGMA_ENIGMAPASSES_H

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::enigma {

#define GEN_PASS_DECL
#include "enigma/Dialect/Enigma/EnigmaPasses.h.inc"

/// Adds the default pipeline to `pm`, which runs on a module (or anything
/// holding enigma.kernel ops): canonicalize, CSE,
/// enigma-hoist-threadgroup-allocs, enigma-check-uniform-products. The pass
/// manager verifies after each pass.
void buildDefaultPipeline(OpPassManager &pm);

/// Registers `--enigma-default-pipeline` for the opt tool.
void registerDefaultPipeline();

#define GEN_PASS_REGISTRATION
#include "enigma/Dialect/Enigma/EnigmaPasses.h.inc"

} // namespace mlir::enigma

#endif // ENIGMA_DIALECT_ENIGMA_ENIGMAPASSES_H
