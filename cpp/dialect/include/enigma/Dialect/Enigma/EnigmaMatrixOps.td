//===- EnigmaMatrixOps.td - Simdgroup matrices -------------*- tablegen -*-===//
//
// Metal's simdgroup matrices (`simdgroup_float8x8`, `simdgroup_half8x8`,
// `simdgroup_bfloat8x8`): 8x8 tiles that the 32 lanes of a SIMD-group hold
// together. A value of one is the builtin `vector<8x8xT>` (T = f32, f16,
// bf16): no other Metal value is a 2-D vector, so the type alone says
// "simdgroup matrix" to every stage. Included from EnigmaOps.td.
//
// None of the ops is Pure: they are SIMD-group cooperative (all lanes must
// reach them together), so no pass may move them across control flow.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_MATRIX_OPS
#define ENIGMA_MATRIX_OPS

// The value of a simdgroup matrix; the verifiers require the 8x8 shape.
defvar Enigma_SimdgroupMatrix = VectorOfRankAndType<[2], [F32, F16, BF16]>;

class Enigma_MatrixOp<string mnemonic, list<Trait> traits = []>
    : Enigma_Op<mnemonic, !listconcat(traits, [Enigma_InsideKernel])> {
  let hasVerifier = 1;
}

def Enigma_SimdgroupMatrixFillOp : Enigma_MatrixOp<"simdgroup_matrix_fill"> {
  let summary = "a simdgroup matrix with every element set to one value";
  let description = [{
    MSL `make_filled_simdgroup_matrix<T, 8, 8>(value)`. `value` has the
    element type of the result.

    ```mlir
    %m = enigma.simdgroup_matrix_fill %x : f32 -> vector<8x8xf32>
    ```
  }];
  let arguments = (ins AnyFloat:$value);
  let results = (outs Enigma_SimdgroupMatrix:$result);
  let assemblyFormat = "$value attr-dict `:` type($value) `->` type($result)";
}

def Enigma_SimdgroupMatrixLoadOp : Enigma_MatrixOp<"simdgroup_matrix_load"> {
  let summary = "loads an 8x8 simdgroup matrix from a buffer";
  let description = [{
    MSL `simdgroup_load(m, buffer + offset, elements_per_row,
    ulong2(col, row), transpose)`: element (r, c) of the result is
    `buffer[offset + (row + r) * elements_per_row + col + c]` (with
    `transpose`, element (c, r)). The buffer is a device buffer or a
    threadgroup array whose element type is the matrix's.

    ```mlir
    %m = enigma.simdgroup_matrix_load %buf[%off] stride %n origin(%c, %r)
        : memref<?xf32, #enigma.address_space<device>> -> vector<8x8xf32>
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "the buffer", [MemRead]>:$memref,
                       Index:$offset, Index:$elementsPerRow, Index:$col,
                       Index:$row, UnitAttr:$transpose);
  let results = (outs Enigma_SimdgroupMatrix:$result);
  let assemblyFormat = [{
    $memref `[` $offset `]` `stride` $elementsPerRow `origin` `(` $col `,` $row `)`
    (`transpose` $transpose^)? attr-dict `:` type($memref) `->` type($result)
  }];
}

def Enigma_SimdgroupMatrixStoreOp : Enigma_MatrixOp<"simdgroup_matrix_store"> {
  let summary = "stores an 8x8 simdgroup matrix into a buffer";
  let description = [{
    MSL `simdgroup_store(m, buffer + offset, elements_per_row,
    ulong2(col, row), transpose)`, the inverse of
    `enigma.simdgroup_matrix_load`.

    ```mlir
    enigma.simdgroup_matrix_store %m, %buf[%off] stride %n origin(%c, %r)
        : vector<8x8xf32>, memref<?xf32, #enigma.address_space<device>>
    ```
  }];
  let arguments = (ins Enigma_SimdgroupMatrix:$value,
                       Arg<AnyMemRef, "the buffer", [MemWrite]>:$memref,
                       Index:$offset, Index:$elementsPerRow, Index:$col,
                       Index:$row, UnitAttr:$transpose);
  let assemblyFormat = [{
    $value `,` $memref `[` $offset `]` `stride` $elementsPerRow `origin` `(` $col `,` $row `)`
    (`transpose` $transpose^)? attr-dict `:` type($value) `,` type($memref)
  }];
}

// The inputs share one type and the accumulator another: Metal's overloads
// take float accumulators with half or bfloat inputs (the verifier allows
// exactly those pairs besides all-equal).
def Enigma_SimdgroupMultiplyAccumulateOp
    : Enigma_MatrixOp<"simdgroup_multiply_accumulate",
                      [AllTypesMatch<["a", "b"]>,
                       AllTypesMatch<["c", "result"]>]> {
  let summary = "a * b + c on simdgroup matrices";
  let description = [{
    MSL `simdgroup_multiply_accumulate(d, a, b, c)`: the matrix product of
    `a` and `b` plus `c`, all 8x8. `a` and `b` have one element type and `c`
    and the result another: either all four are equal, or the inputs are
    half or bfloat and the accumulator float.

    ```mlir
    %d = enigma.simdgroup_multiply_accumulate %a, %b, %c
        : vector<8x8xf32> -> vector<8x8xf32>
    %e = enigma.simdgroup_multiply_accumulate %x, %y, %d
        : vector<8x8xbf16> -> vector<8x8xf32>
    ```
  }];
  let arguments = (ins Enigma_SimdgroupMatrix:$a, Enigma_SimdgroupMatrix:$b,
                       Enigma_SimdgroupMatrix:$c);
  let results = (outs Enigma_SimdgroupMatrix:$result);
  // The input type, then the accumulator's (b and c follow from the traits).
  let assemblyFormat =
      "$a `,` $b `,` $c attr-dict `:` type($a) `->` type($result)";
}

#endif // ENIGMA_MATRIX_OPS
