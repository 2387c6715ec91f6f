//===- EnigmaAttrs.cpp - Enigma enums and attributes ----------------------===//
//
// Generated enum and attribute definitions (EnigmaAttrs.td) and their
// registration with the dialect.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaAttrs.h"
#include "enigma/Dialect/Enigma/EnigmaDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::enigma;

#include "enigma/Dialect/Enigma/EnigmaEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "enigma/Dialect/Enigma/EnigmaAttrs.cpp.inc"

void EnigmaDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "enigma/Dialect/Enigma/EnigmaAttrs.cpp.inc"
      >();
}

std::optional<AddressSpace> mlir::enigma::getAddressSpace(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref)
    return std::nullopt;
  if (auto space = dyn_cast_or_null<AddressSpaceAttr>(memref.getMemorySpace()))
    return space.getValue();
  return std::nullopt;
}
