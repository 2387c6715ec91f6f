//===- EnigmaFunctionConstantOps.td - Function constants ------*- tablegen -*-===//
//
// Metal function constants: scalars whose values are given when the
// pipeline is created (at dispatch, in the DSL), so the kernel is
// specialized for them. Included by EnigmaOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_FUNCTION_CONSTANT_OPS
#define ENIGMA_FUNCTION_CONSTANT_OPS

def Enigma_FunctionConstantOp : Enigma_Op<"function_constant", [
    Pure, Enigma_InsideKernel
  ]> {
  let summary = "a value given when the kernel is specialized";
  let description = [{
    MSL `constant T name [[function_constant(index)]];` at program scope,
    read by the kernel. `dtype` is the Metal scalar type (it records the
    signedness of integers); `name` is the MSL identifier. A kernel may read
    a constant at several places: every op of one index must agree on its
    name and dtype.

    ```mlir
    %block = enigma.function_constant 0 "block" "uint" : i32
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$index,
                       StrAttr:$sym_name,
                       StrAttr:$dtype);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$index $sym_name $dtype attr-dict `:` type($result)";
  let hasVerifier = 1;
}

#endif // ENIGMA_FUNCTION_CONSTANT_OPS
