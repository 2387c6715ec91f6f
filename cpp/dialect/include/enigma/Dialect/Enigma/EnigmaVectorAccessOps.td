//===- EnigmaVectorAccessOps.td - Vector loads and stores ----*- tablegen -*-===//
//
// Loads and stores of 2 or 4 consecutive elements of a scalar buffer as one
// vector value, as Metal code does with `*(device const float4*)(a + i)`.
// They are what `Tensor.load()`/`.store()` emit for a contiguous fragment.
// The element offset must be a multiple of the lane count, so that, with the
// buffer's base aligned to 16 bytes, the address is aligned to the vector's
// size as Metal requires; the tracer emits these ops only where it proved
// that (a constant offset is checked here too). 3-lane vectors are excluded:
// Metal pads them to 4 lanes, so they do not cover 3 consecutive elements.
// Included by EnigmaOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_VECTOR_ACCESS_OPS
#define ENIGMA_VECTOR_ACCESS_OPS

class Enigma_VectorAccessOp<string mnemonic>
    : Enigma_Op<mnemonic, [Enigma_InsideKernel]> {
  // Lane count, element type, address space and constant alignment rules.
  let hasVerifier = 1;
}

def Enigma_VectorLoadOp : Enigma_VectorAccessOp<"vector_load"> {
  let summary = "loads consecutive buffer elements as one vector";
  let description = [{
    Lane `k` of the result is `memref[offset + k]`. The memref is a 1-D
    device buffer or threadgroup array of the vector's element type; the
    vector has 2 or 4 lanes and `offset` is a multiple of that count. MSL:
    `float4 v3 = *(device const float4*)(a + v2);`.

    ```mlir
    %v = enigma.vector_load %a[%i] : memref<?xf32, #enigma.address_space<device>> -> vector<4xf32>
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "the buffer", [MemRead]>:$memref,
                       Index:$offset);
  let results = (outs AnyVectorOfNonZeroRank:$result);
  let assemblyFormat =
      "$memref `[` $offset `]` attr-dict `:` type($memref) `->` type($result)";
}

def Enigma_VectorStoreOp : Enigma_VectorAccessOp<"vector_store"> {
  let summary = "stores a vector into consecutive buffer elements";
  let description = [{
    The inverse of `enigma.vector_load`: `memref[offset + k]` becomes lane
    `k` of `value`, under the same rules. MSL:
    `*(device float4*)(c + v2) = v5;`.

    ```mlir
    enigma.vector_store %v, %c[%i] : vector<4xf32>, memref<?xf32, #enigma.address_space<device>>
    ```
  }];
  let arguments = (ins AnyVectorOfNonZeroRank:$value,
                       Arg<AnyMemRef, "the buffer", [MemWrite]>:$memref,
                       Index:$offset);
  let assemblyFormat = "$value `,` $memref `[` $offset `]` attr-dict `:` "
                       "type($value) `,` type($memref)";
}

#endif // ENIGMA_VECTOR_ACCESS_OPS
