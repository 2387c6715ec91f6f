//===- EnigmaSimdOps.td - SIMD-group and quad-group functions -*- tablegen -*-===//
//
// Metal's SIMD-group (32 lanes) and quad-group (4 lanes) functions as two
// ops: enigma.simd_reduce for the reductions and scans, enigma.simd_shuffle
// for the data movements, each selecting its function with an enum case, so
// the importer and the emitter stay table-driven and the verifiers hold the
// type rules of every function. Included from EnigmaOps.td.
//
// Neither op is Pure: a SIMD function's result depends on which lanes are
// active where it runs, so no pass may move it across control flow, merge
// two of them or drop one (ops without a memory-effect interface have
// unknown effects, which is what keeps them in place).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_SIMD_OPS
#define ENIGMA_SIMD_OPS

include "enigma/Dialect/Enigma/EnigmaSimdEnums.td"

// Scalars or 2-4 lane vectors of integers or floats; the verifiers narrow
// the element types per function.
defvar Enigma_LaneValue = AnyTypeOf<[AnySignlessInteger, AnyFloat,
    VectorOfRankAndType<[1], [AnySignlessInteger, AnyFloat]>]>;

def Enigma_SimdReduceOp : Enigma_Op<"simd_reduce", [
    Enigma_InsideKernel, AllTypesMatch<["value", "result"]>
  ]> {
  let summary = "a SIMD-group or quad-group reduction or scan";
  let description = [{
    MSL `simd_<kind>(value)` (group `simdgroup`) or `quad_<kind>(value)`
    (group `quadgroup`), computed across the active lanes of the caller's
    group: `sum product min max and or xor` give every lane the reduction of
    all active lanes; `prefix_{exclusive,inclusive}_{sum,product}` give each
    lane the scan over the active lanes of lower index (and itself, when
    inclusive). Metal has no quad-group prefix products.

    Types are Metal's: the arithmetic kinds take `half float short ushort int
    uint` (f16, f32, i16, i32), the bitwise kinds `char .. uint` (i8, i16,
    i32), as scalars or 2-4 lane vectors. MLIR integers are signless, so
    `unsigned` says that an integer `min`/`max` compares as Metal's unsigned
    types do.

    ```mlir
    %s = enigma.simd_reduce simdgroup sum %x : f32
    %m = enigma.simd_reduce quadgroup max unsigned %u : i32
    %p = enigma.simd_reduce simdgroup prefix_exclusive_sum %v : vector<4xi16>
    ```
  }];
  let arguments = (ins Enigma_LaneGroupAttr:$group,
                       Enigma_SimdReduceKindAttr:$kind,
                       Enigma_LaneValue:$value,
                       UnitAttr:$isUnsigned);
  let results = (outs Enigma_LaneValue:$result);
  let assemblyFormat = [{
    $group $kind (`unsigned` $isUnsigned^)? $value attr-dict `:` type($value)
  }];
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The signedness the value is read with and the result has: fixed for
    /// integer min/max, nullopt (follows the value) otherwise.
    std::optional<bool> getSignedness();
  }];
}

def Enigma_SimdShuffleOp : Enigma_Op<"simd_shuffle", [
    Enigma_InsideKernel, AllTypesMatch<["value", "result"]>
  ]> {
  let summary = "a SIMD-group or quad-group shuffle or broadcast";
  let description = [{
    MSL `simd_<kind>(value, lane)` or `quad_<kind>(value, lane)`: each lane
    receives `value` of another lane of its group, chosen by `lane` (a
    `ushort`, i16): `shuffle` and `broadcast` read lane `lane` (for
    `broadcast` the same for all lanes), `shuffle_up` lane - `lane` and
    `shuffle_down` lane + `lane` (lanes with no such source keep their own
    value), `shuffle_xor` lane ^ `lane`. Reading an inactive or missing lane
    is undefined in Metal.

    Types are Metal's: `half float char uchar short ushort int uint` (f16,
    f32, i8, i16, i32) as scalars or 2-4 lane vectors.

    ```mlir
    %y = enigma.simd_shuffle simdgroup shuffle_down %x, %delta : f32
    %b = enigma.simd_shuffle quadgroup broadcast %v, %lane : vector<2xf16>
    ```
  }];
  let arguments = (ins Enigma_LaneGroupAttr:$group,
                       Enigma_SimdShuffleKindAttr:$kind,
                       Enigma_LaneValue:$value, I16:$lane);
  let results = (outs Enigma_LaneValue:$result);
  let assemblyFormat = [{
    $group $kind $value `,` $lane attr-dict `:` type($value)
  }];
  let hasVerifier = 1;
}

#endif // ENIGMA_SIMD_OPS
