//===- DefaultPipeline.cpp - The pipeline every compile runs --------------===//
//
// canonicalize -> CSE -> enigma passes (the last one a check). Cleanup comes
// first so that the enigma passes, and the emitters after them, see folded,
// deduplicated IR.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::enigma::buildDefaultPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<KernelOp>(createHoistThreadgroupAllocs());
  pm.addNestedPass<KernelOp>(createCheckUniformProducts());
}

void mlir::enigma::registerDefaultPipeline() {
  PassPipelineRegistration<>(
      "enigma-default-pipeline",
      "The pipeline every Enigma compile runs: canonicalize, cse, "
      "enigma-hoist-threadgroup-allocs, enigma-check-uniform-products",
      buildDefaultPipeline);
}
