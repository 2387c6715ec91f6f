//===- EnigmaMathOps.td - Metal functions without an upstream op -*- tablegen -*-===//
//
// `enigma.math`: one op for the Metal functions that no arith/math op
// computes with Metal's semantics, selected by a MathFunction case. A single
// op keeps the importer and the emitter table-driven (one row per function),
// and its verifier holds the arity and operand rules of every function.
// Included from EnigmaOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_MATH_OPS
#define ENIGMA_MATH_OPS

include "enigma/Dialect/Enigma/EnigmaMathEnums.td"

def Enigma_MathOp : Enigma_Op<"math", [Pure]> {
  let summary = "a Metal math, common or integer function";
  let description = [{
    Computes Metal function `fn` lane by lane, with the MSL standard library's
    semantics:

    * float (`sign saturate fract signbit`: 1 operand; `step`: 2; `mix
      smoothstep`: 3): operands of one float type; `signbit` answers `i1`
      (or a vector of `i1`), the others the operand type;
    * `clamp(x, lo, hi)`: float or integer operands of one type;
    * integer (`reverse_bits`: 1; `abs_diff add_sat sub_sat mul_hi rotate`:
      2; `mad_sat`: 3): operands of one integer type; `extract_bits(x, offset,
      bits)` and `insert_bits(base, insert, offset, bits)` take the offset and
      bit count as `i32` (Metal `uint`).

    MLIR integers are signless, so `unsigned` says the integer operands are
    Metal's unsigned types (`uchar` .. `ulong`); the result of `abs_diff` is
    always unsigned, as in Metal.

    ```mlir
    %s = enigma.math saturate(%x) : (f32) -> f32
    %a = enigma.math add_sat(%p, %q) unsigned : (i8, i8) -> i8
    %b = enigma.math extract_bits(%v, %offset, %bits) : (i64, i32, i32) -> i64
    ```
  }];
  let arguments = (ins Enigma_MathFunctionAttr:$fn,
                       Variadic<AnyTypeOf<[AnySignlessInteger, AnyFloat,
                                           VectorOfAnyRankOf<[AnySignlessInteger,
                                                              AnyFloat]>]>>:$args,
                       UnitAttr:$isUnsigned);
  let results = (outs AnyType:$result);
  let assemblyFormat = [{
    $fn `(` $args `)` (`unsigned` $isUnsigned^)? attr-dict `:`
    functional-type($args, $result)
  }];
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The signedness integer operand `index` is read with (offsets and bit
    /// counts are uint); nullopt for float operands.
    std::optional<bool> getArgSignedness(unsigned index);
    /// The signedness of an integer result; nullopt for float or bool ones.
    std::optional<bool> getResultSignedness();
  }];
}

#endif // ENIGMA_MATH_OPS
