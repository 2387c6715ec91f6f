//===- InitAllPasses.h - Every pass the enigma tools offer ------*- C++ -*-===//
//
// Registers the enigma passes, the default pipeline and the upstream
// transforms it is made of (canonicalize, cse, ...) for command-line use.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_INITALLPASSES_H
#define ENIGMA_INITALLPASSES_H

#include "enigma/Dialect/Enigma/EnigmaPasses.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::enigma {

inline void registerAllPasses() {
  registerTransformsPasses();
  registerEnigmaPasses();
  registerDefaultPipeline();
}

} // namespace mlir::enigma

#endif // ENIGMA_INITALLPASSES_H
