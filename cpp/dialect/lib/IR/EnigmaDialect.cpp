//===- EnigmaDialect.cpp - The enigma dialect -----------------------------===//
//
// Registers the enigma ops and attributes with the dialect.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaDialect.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"

using namespace mlir;
using namespace mlir::enigma;

#include "enigma/Dialect/Enigma/EnigmaOpsDialect.cpp.inc"

void EnigmaDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "enigma/Dialect/Enigma/EnigmaOps.cpp.inc"
      >();
  registerAttributes();
  addTypes<
#define GET_TYPEDEF_LIST
#include "enigma/Dialect/Enigma/EnigmaOpsTypes.cpp.inc"
      >();
}
