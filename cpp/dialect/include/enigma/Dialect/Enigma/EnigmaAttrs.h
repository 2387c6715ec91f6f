//===- EnigmaAttrs.h - Enigma enums and attributes --------------*- C++ -*-===//
//
// The BuiltinKind, Dim, MemFlags and AddressSpace enums with their
// stringify/symbolize helpers, and their attributes, including the
// `#enigma.address_space<...>` memref memory space (EnigmaAttrs.td).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_DIALECT_ENIGMA_ENIGMAATTRS_H
#define ENIGMA_DIALECT_ENIGMA_ENIGMAATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "enigma/Dialect/Enigma/EnigmaEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "enigma/Dialect/Enigma/EnigmaAttrs.h.inc"

namespace mlir::enigma {
/// The Metal address space of `type`'s memory space, if it is a memref in one.
std::optional<AddressSpace> getAddressSpace(Type type);
} // namespace mlir::enigma

#endif // ENIGMA_DIALECT_ENIGMA_ENIGMAATTRS_H
