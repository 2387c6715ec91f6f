//===- EnigmaAsyncCopyOps.td - SIMD-group async copies -----*- tablegen -*-===//
//
// Apple GPUs (family 7 and later, used by Metal kernels for family 9) can
// copy a 2-D tile between device and threadgroup memory asynchronously for
// a SIMD-group: enigma.async_copy starts one and returns a
// `!enigma.simdgroup_event`, enigma.async_copy_wait waits for events. A
// 1-D copy is the tile of one row. Metal exposes these only as the AIR
// intrinsics `air.simdgroup_async_copy_2d.*` and `air.wait_simdgroup_events`
// (no public MSL function), which is what the emitter prints. Included from
// EnigmaOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_ASYNC_COPY_OPS
#define ENIGMA_ASYNC_COPY_OPS

include "enigma/Dialect/Enigma/EnigmaTypes.td"

def Enigma_AsyncCopyOp : Enigma_Op<"async_copy", [Enigma_InsideKernel]> {
  let summary = "starts a SIMD-group copy of a tile between device and threadgroup memory";
  let description = [{
    Copies the `cols` x `rows` tile whose rows start `srcElementsPerRow`
    elements apart at `src + srcOffset` to the tile whose rows start
    `dstElementsPerRow` apart at `dst + dstOffset`. One of the buffers is a
    device buffer, the other a threadgroup array, of one element type. The
    copy is complete once `enigma.async_copy_wait` on the returned event
    returns; like every SIMD-group operation, all lanes of the SIMD-group
    start it together with the same arguments.

    ```mlir
    %e = enigma.async_copy %tg[%c0] stride %c8, %buf[%off] stride %n tile(%c8, %c4)
        : memref<64xf32, #enigma.address_space<threadgroup>>,
          memref<?xf32, #enigma.address_space<device>>
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "the destination", [MemWrite]>:$dst,
                       Index:$dstOffset, Index:$dstElementsPerRow,
                       Arg<AnyMemRef, "the source", [MemRead]>:$src,
                       Index:$srcOffset, Index:$srcElementsPerRow,
                       Index:$cols, Index:$rows);
  let results = (outs Enigma_SimdgroupEventType:$event);
  let assemblyFormat = [{
    $dst `[` $dstOffset `]` `stride` $dstElementsPerRow `,`
    $src `[` $srcOffset `]` `stride` $srcElementsPerRow
    `tile` `(` $cols `,` $rows `)` attr-dict `:` type($dst) `,` type($src)
  }];
  let hasVerifier = 1;
}

def Enigma_AsyncCopyWaitOp : Enigma_Op<"async_copy_wait", [Enigma_InsideKernel]> {
  let summary = "waits until the given async copies are complete";
  let description = [{
    MSL `__metal_wait_simdgroup_events(n, events)`: returns once every copy
    whose event is an operand has completed; other SIMD-groups see the data
    after a threadgroup barrier.

    ```mlir
    enigma.async_copy_wait %e0, %e1
    ```
  }];
  let arguments = (ins Variadic<Enigma_SimdgroupEventType>:$events);
  let assemblyFormat = "$events attr-dict";
}

#endif // ENIGMA_ASYNC_COPY_OPS
