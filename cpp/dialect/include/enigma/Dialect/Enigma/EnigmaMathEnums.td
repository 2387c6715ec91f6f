//===- EnigmaMathEnums.td - Metal functions of enigma.math ---*- tablegen -*-===//
//
// The Metal functions that `enigma.math` computes: those with no upstream
// MLIR op of the same semantics (math.sqrt, arith.minnumf, math.ctpop... are
// used for the others). Kept apart from EnigmaAttrs.td so that its enum
// declarations are generated on their own (EnigmaMathEnums.h.inc).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_MATH_ENUMS
#define ENIGMA_MATH_ENUMS

include "mlir/IR/EnumAttr.td"

// The keyword of each case is the DSL's name; the MSL spelling is the
// emitter's (e.g. add_sat prints as `addsat`).
def Enigma_MathFunctionAttr : I32EnumAttr<"MathFunction",
    "a Metal function computed by enigma.math", [
  // Float functions (float, half, bfloat; scalar or vector).
  I32EnumAttrCase<"Sign", 0, "sign">,
  I32EnumAttrCase<"Saturate", 1, "saturate">,
  I32EnumAttrCase<"Fract", 2, "fract">,
  I32EnumAttrCase<"Step", 3, "step">,
  I32EnumAttrCase<"Mix", 4, "mix">,
  I32EnumAttrCase<"Smoothstep", 5, "smoothstep">,
  I32EnumAttrCase<"Signbit", 6, "signbit">,
  // Float or integer.
  I32EnumAttrCase<"Clamp", 7, "clamp">,
  // Integer functions (char .. ulong; scalar or vector).
  I32EnumAttrCase<"ReverseBits", 8, "reverse_bits">,
  I32EnumAttrCase<"AbsDiff", 9, "abs_diff">,
  I32EnumAttrCase<"AddSat", 10, "add_sat">,
  I32EnumAttrCase<"SubSat", 11, "sub_sat">,
  I32EnumAttrCase<"MulHi", 12, "mul_hi">,
  I32EnumAttrCase<"Rotate", 13, "rotate">,
  I32EnumAttrCase<"MadSat", 14, "mad_sat">,
  I32EnumAttrCase<"ExtractBits", 15, "extract_bits">,
  I32EnumAttrCase<"InsertBits", 16, "insert_bits">
]> {
  let cppNamespace = "::mlir::enigma";
}

#endif // ENIGMA_MATH_ENUMS
