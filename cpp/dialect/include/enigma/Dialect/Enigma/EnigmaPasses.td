//===- EnigmaPasses.td - Passes over enigma kernels ----------*- tablegen -*-===//
//
// Passes change the IR so that the emitters can stay read-only printers
// (docs/architecture.md §2). The default pipeline that runs them is built by
// buildDefaultPipeline() in EnigmaPasses.h.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_PASSES
#define ENIGMA_PASSES

include "mlir/Pass/PassBase.td"

def HoistThreadgroupAllocs : Pass<"enigma-hoist-threadgroup-allocs",
                                  "::mlir::enigma::KernelOp"> {
  let summary = "Move threadgroup allocations to the top of the kernel";
  let description = [{
    Metal declares threadgroup memory at kernel scope, while the DSL lets
    `threadgroup_alloc` be called anywhere, e.g. inside a loop or an `if_`.
    This pass moves every `enigma.threadgroup_alloc` of a kernel, wherever it
    is nested, to the start of the kernel's entry block, keeping their
    relative order (so the emitter's `tg0, tg1, ...` follow the source).
    Allocations have no operands, so the move is always legal.

    ```mlir
    // Before:
    scf.for %i = %lo to %hi step %c1 : i32 {
      %tg = enigma.threadgroup_alloc "float" : memref<256xf32, #enigma.address_space<threadgroup>>
      ...
    }
    // After:
    %tg = enigma.threadgroup_alloc "float" : memref<256xf32, #enigma.address_space<threadgroup>>
    scf.for %i = %lo to %hi step %c1 : i32 {
      ...
    }
    ```
  }];
}

#endif // ENIGMA_PASSES
