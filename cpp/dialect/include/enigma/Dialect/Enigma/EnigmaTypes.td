//===- EnigmaTypes.td - Types of the enigma dialect --------*- tablegen -*-===//
//
// The types a Metal kernel has that no builtin MLIR type stands for:
// `!enigma.simdgroup_event`, the handle of an async copy. (Simdgroup
// matrices are builtin `vector<8x8xT>`, see EnigmaMatrixOps.td.) Included
// from EnigmaAsyncCopyOps.td; the definitions land in EnigmaOpsTypes.*.inc.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TYPES
#define ENIGMA_TYPES

include "enigma/Dialect/Enigma/EnigmaDialect.td"
include "mlir/IR/AttrTypeBase.td"

def Enigma_SimdgroupEventType : TypeDef<Enigma_Dialect, "SimdgroupEvent"> {
  let mnemonic = "simdgroup_event";
  let summary = "the handle of a SIMD-group async copy";
  let description = [{
    What an async copy returns and `enigma.async_copy_wait` waits for; in
    MSL a `thread _simdgroup_event_t*`.

    ```mlir
    %e = enigma.async_copy %tg[%c0] stride %n, %buf[%c0] stride %n tile(%w, %h)
        : memref<64xf32, #enigma.address_space<threadgroup>>,
          memref<?xf32, #enigma.address_space<device>>
    enigma.async_copy_wait %e
    ```
  }];
}

#endif // ENIGMA_TYPES
