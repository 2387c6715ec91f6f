//===- EnigmaSimdEnums.td - Kinds of SIMD-group functions -----*- tablegen -*-===//
//
// The lane group a SIMD function works across (SIMD-group or quad-group) and
// the function families of enigma.simd_reduce and enigma.simd_shuffle. Kept
// apart from EnigmaAttrs.td so that its enum declarations are generated on
// their own (EnigmaSimdEnums.h.inc).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_SIMD_ENUMS
#define ENIGMA_SIMD_ENUMS

include "mlir/IR/EnumAttr.td"

// The keyword is the MSL prefix's group: `simdgroup` prints `simd_...`,
// `quadgroup` prints `quad_...`.
def Enigma_LaneGroupAttr : I32EnumAttr<"LaneGroup",
    "the lanes a SIMD function works across", [
  I32EnumAttrCase<"Simdgroup", 0, "simdgroup">,
  I32EnumAttrCase<"Quadgroup", 1, "quadgroup">
]> {
  let cppNamespace = "::mlir::enigma";
}

// The keyword is the MSL name after the group prefix (`sum` is simd_sum).
def Enigma_SimdReduceKindAttr : I32EnumAttr<"SimdReduceKind",
    "a reduction or scan across the active lanes", [
  I32EnumAttrCase<"Sum", 0, "sum">,
  I32EnumAttrCase<"Product", 1, "product">,
  I32EnumAttrCase<"Min", 2, "min">,
  I32EnumAttrCase<"Max", 3, "max">,
  I32EnumAttrCase<"And", 4, "and">,
  I32EnumAttrCase<"Or", 5, "or">,
  I32EnumAttrCase<"Xor", 6, "xor">,
  I32EnumAttrCase<"PrefixExclusiveSum", 7, "prefix_exclusive_sum">,
  I32EnumAttrCase<"PrefixInclusiveSum", 8, "prefix_inclusive_sum">,
  I32EnumAttrCase<"PrefixExclusiveProduct", 9, "prefix_exclusive_product">,
  I32EnumAttrCase<"PrefixInclusiveProduct", 10, "prefix_inclusive_product">
]> {
  let cppNamespace = "::mlir::enigma";
}

def Enigma_SimdShuffleKindAttr : I32EnumAttr<"SimdShuffleKind",
    "a data movement between lanes", [
  I32EnumAttrCase<"Shuffle", 0, "shuffle">,
  I32EnumAttrCase<"ShuffleUp", 1, "shuffle_up">,
  I32EnumAttrCase<"ShuffleDown", 2, "shuffle_down">,
  I32EnumAttrCase<"ShuffleXor", 3, "shuffle_xor">,
  I32EnumAttrCase<"Broadcast", 4, "broadcast">
]> {
  let cppNamespace = "::mlir::enigma";
}

#endif // ENIGMA_SIMD_ENUMS
