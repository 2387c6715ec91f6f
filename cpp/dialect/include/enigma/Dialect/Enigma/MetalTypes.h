//===- MetalTypes.h - Metal dtype names <-> MLIR types ----------*- C++ -*-===//
//
// The one mapping between Metal type spellings ("float", "uint4", "bool")
// and the builtin MLIR types that carry them (f32, vector<4xi32>, i1), used
// by the kernel verifier, the JSON importer and the emitters. MLIR integers
// are signless, so the dtype string is what records signedness.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_DIALECT_ENIGMA_METALTYPES_H
#define ENIGMA_DIALECT_ENIGMA_METALTYPES_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace mlir::enigma {

/// The MLIR type of a Metal scalar or vector (2-4 lanes) dtype, e.g. "half"
/// -> f16, "uint3" -> vector<3xi32>, of a simdgroup matrix
/// ("simdgroup_half8x8" -> vector<8x8xf16>), of a threadgroup matrix
/// ("threadgroup_float128x256" -> vector<128x256xf32>) or of an async copy's
/// "simdgroup_event"; a null Type for anything else.
Type getTypeForMetalDtype(MLIRContext *context, llvm::StringRef dtype);

/// Whether integers of this dtype behave as unsigned (`uchar ushort uint
/// ulong`, their vectors, and `bool`, whose values 0/1 widen and compare as
/// unsigned). False for signed integers and floats.
bool isUnsignedMetalDtype(llvm::StringRef dtype);

/// Whether `type` is a type a Metal value can have here: f32 f16 bf16 i1 i8
/// i16 i32 i64, or a vector of 2-4 of them.
bool isMetalValueType(Type type);

/// Bytes a value of `type` occupies in Metal memory (a 3-lane vector takes
/// the room of 4, as in MSL; bool takes 1 byte). `type` must satisfy
/// isMetalValueType.
uint64_t getMetalSizeInBytes(Type type);

} // namespace mlir::enigma

#endif // ENIGMA_DIALECT_ENIGMA_METALTYPES_H
