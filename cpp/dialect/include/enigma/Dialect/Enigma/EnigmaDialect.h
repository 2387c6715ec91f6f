//===- EnigmaDialect.h - The enigma dialect ---------------------*- C++ -*-===//
//
// Declares the enigma dialect class (generated from EnigmaDialect.td). Most
// users want EnigmaOps.h, which includes this and the attributes.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_DIALECT_ENIGMA_ENIGMADIALECT_H
#define ENIGMA_DIALECT_ENIGMA_ENIGMADIALECT_H

#include "mlir/IR/Dialect.h"

#include "enigma/Dialect/Enigma/EnigmaOpsDialect.h.inc"

#endif // ENIGMA_DIALECT_ENIGMA_ENIGMADIALECT_H
