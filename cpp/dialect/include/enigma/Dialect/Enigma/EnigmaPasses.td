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

def CheckUniformProducts : Pass<"enigma-check-uniform-products",
                                "::mlir::enigma::KernelOp"> {
  let summary = "Refuse threadgroup matrix products that threads reach apart";
  let description = [{
    A threadgroup matrix product is cooperative: every thread of the
    threadgroup must reach it together with the same operands (CUDA's
    product waits on barriers, so a product that only some threads reach
    hangs). This pass finds the values that may differ between threads
    (thread-indexed builtins, atomics, SIMD-group functions and what is
    computed from them) and fails on a product that takes one as an offset,
    stride, extent or k, or that sits in an `scf.if`, `scf.for` or
    `scf.while` such a value controls. Branches on the threadgroup's
    position or on kernel parameters are fine.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

#endif // ENIGMA_PASSES
