//===- EnigmaOps.td - Enigma dialect operations --------------*- tablegen -*-===//
//
// The ops of the enigma dialect: the kernel and its terminator, thread and
// grid queries, barriers and threadgroup allocations. Verifier messages speak
// the DSL's words (parameter names, `threadgroup_alloc`, Metal dtypes) since
// they reach the Python user with their source line.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_OPS
#define ENIGMA_OPS

include "enigma/Dialect/Enigma/EnigmaAttrs.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/FunctionInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

// Ops that only make sense in a kernel body, at any nesting depth (HasParent
// would only accept the kernel as the direct parent, not an scf.for in it).
def Enigma_InsideKernel : NativeOpTrait<"InsideKernel"> {
  let cppNamespace = "::mlir::enigma";
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

def Enigma_KernelOp : Enigma_Op<"kernel", [
    FunctionOpInterface, IsolatedFromAbove,
    // Per-thread arrays (memref.alloca, register_tensor) live until it returns.
    AutomaticAllocationScope,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>
  ]> {
  let summary = "a Metal compute kernel";
  let description = [{
    A `kernel void` function of MSL. Each argument is either a device buffer,
    `memref<?xT, #enigma.address_space<device>>`, or a by-value Scalar of a
    scalar or vector type. Every argument carries the Python parameter name
    (`enigma.name`) and its Metal dtype (`enigma.dtype`), which also records
    the signedness that signless MLIR integers do not. Arguments bind
    `[[buffer(N)]]` in declaration order. A kernel has no results; its body
    is one block ending in `enigma.return`. The threadgroup memory of all its
    `enigma.threadgroup_alloc`s may not exceed Metal's 32 KiB.

    ```mlir
    enigma.kernel @vector_add(
        %a: memref<?xf32, #enigma.address_space<device>> {enigma.dtype = "float", enigma.name = "a"},
        %n: i32 {enigma.dtype = "uint", enigma.name = "n"}) {
      %tid = enigma.builtin thread_position_in_grid x : i32
      enigma.return
    }
    ```
  }];

  // The argument names of FunctionOpInterface's attributes.
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       OptionalAttr<DictArrayAttr>:$arg_attrs,
                       OptionalAttr<DictArrayAttr>:$res_attrs);
  // Structured control flow (scf) inside, so one block is all a kernel needs.
  let regions = (region MaxSizedRegion<1>:$body);

  // Creates the kernel with an empty body region; `addEntryBlock()` fills it.
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name,
      "::mlir::FunctionType":$type,
      CArg<"::llvm::ArrayRef<::mlir::DictionaryAttr>", "{}">:$argAttrs)>];

  let extraClassDeclaration = [{
    /// Argument attribute holding the Python parameter name.
    static ::llvm::StringRef getParamNameAttrName() { return "enigma.name"; }
    /// Argument attribute holding the parameter's Metal dtype.
    static ::llvm::StringRef getParamDtypeAttrName() { return "enigma.dtype"; }

    /// The Python name of parameter `index` ("" when missing).
    ::llvm::StringRef getParamName(unsigned index);
    /// The Metal dtype of parameter `index` ("" when missing).
    ::llvm::StringRef getParamDtype(unsigned index);
    /// Whether parameter `index` is a device buffer (else a Scalar).
    bool isBufferParam(unsigned index) {
      return ::llvm::isa<::mlir::MemRefType>(getArgumentTypes()[index]);
    }

    //===------------------------------------------------------------------===//
    // FunctionOpInterface
    //===------------------------------------------------------------------===//

    ::mlir::Region *getCallableRegion() { return &getBody(); }
    ::llvm::ArrayRef<::mlir::Type> getArgumentTypes() {
      return getFunctionType().getInputs();
    }
    ::llvm::ArrayRef<::mlir::Type> getResultTypes() {
      return getFunctionType().getResults();
    }
  }];

  // `enigma.kernel @name(%a: T {attrs}, ...) { ... }`, parsed and printed by
  // function_interface_impl like func.func.
  let hasCustomAssemblyFormat = 1;
  // Parameters are checked before the body, threadgroup memory after it (it
  // reads the allocations, which must be valid first).
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def Enigma_ReturnOp : Enigma_Op<"return", [
    Pure, HasParent<"KernelOp">, ReturnLike, Terminator
  ]> {
  let summary = "terminates a kernel";
  let description = [{
    Ends the body of an `enigma.kernel`. Kernels return nothing: results are
    written to device buffers.

    ```mlir
    enigma.return
    ```
  }];
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// Thread and grid queries
//===----------------------------------------------------------------------===//

def Enigma_BuiltinOp : Enigma_Op<"builtin", [
    Pure, Enigma_InsideKernel,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>
  ]> {
  let summary = "a thread or grid query";
  let description = [{
    Reads one of Metal's kernel input attributes, e.g.
    `[[thread_position_in_grid]]`. The six position and size queries are
    `uint3` in MSL and need a `dim` (`x`, `y` or `z`) selecting one lane; the
    index and SIMD-group queries are `uint` and take none. The result is the
    32-bit unsigned value (signless `i32`).

    ```mlir
    %tid = enigma.builtin thread_position_in_grid x : i32
    %lane = enigma.builtin thread_index_in_simdgroup : i32
    ```
  }];
  let arguments = (ins Enigma_BuiltinKindAttr:$kind,
                       OptionalAttr<Enigma_DimAttr>:$dim);
  let results = (outs I32:$result);
  let assemblyFormat = "$kind ($dim^)? attr-dict `:` type($result)";
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Whether `kind` is a `uint3` query that needs a Dim.
    static bool hasDim(BuiltinKind kind) {
      return kind <= BuiltinKind::ThreadgroupsPerGrid;
    }
  }];
}

//===----------------------------------------------------------------------===//
// Barriers
//===----------------------------------------------------------------------===//

// No memory-effect interface on purpose: barriers have unknown effects, so no
// pass may move, merge or drop them.
def Enigma_ThreadgroupBarrierOp : Enigma_Op<"threadgroup_barrier",
                                            [Enigma_InsideKernel]> {
  let summary = "synchronizes the threads of a threadgroup";
  let description = [{
    MSL `threadgroup_barrier(flags)`: every thread of the threadgroup waits
    here until all have arrived, and the memory named by `flags` is ordered.

    ```mlir
    enigma.threadgroup_barrier mem_threadgroup
    ```
  }];
  let arguments = (ins Enigma_MemFlagsAttr:$flags);
  let assemblyFormat = "$flags attr-dict";
}

def Enigma_SimdgroupBarrierOp : Enigma_Op<"simdgroup_barrier",
                                          [Enigma_InsideKernel]> {
  let summary = "synchronizes the threads of a SIMD-group";
  let description = [{
    MSL `simdgroup_barrier(flags)`: like `enigma.threadgroup_barrier`, for the
    32 threads of one SIMD-group.

    ```mlir
    enigma.simdgroup_barrier mem_none
    ```
  }];
  let arguments = (ins Enigma_MemFlagsAttr:$flags);
  let assemblyFormat = "$flags attr-dict";
}

//===----------------------------------------------------------------------===//
// Threadgroup memory
//===----------------------------------------------------------------------===//

def Enigma_ThreadgroupAllocOp : Enigma_Op<"threadgroup_alloc", [
    Enigma_InsideKernel,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>
  ]> {
  let summary = "an array in threadgroup memory";
  let description = [{
    A fixed-size array shared by the threads of a threadgroup, declared at
    kernel scope in MSL (`threadgroup float tg0[256];`) wherever the DSL's
    `threadgroup_alloc` was called; `enigma-hoist-threadgroup-allocs` moves
    every allocation to the top of the kernel. `dtype` is the Metal element
    type (it records signedness); the result is a static 1-D memref in the
    threadgroup address space.

    ```mlir
    %tg = enigma.threadgroup_alloc "float" : memref<256xf32, #enigma.address_space<threadgroup>>
    ```
  }];
  let arguments = (ins StrAttr:$dtype);
  // An allocation (not a pure value): never merged by CSE, and dropped by
  // canonicalization when unused.
  let results = (outs Res<AnyStaticShapeMemRef, "the threadgroup array",
                          [MemAlloc<DefaultResource>]>:$result);
  let assemblyFormat = "$dtype attr-dict `:` type($result)";
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    ::mlir::MemRefType getType() { return getResult().getType(); }
    /// Bytes of threadgroup memory the array occupies in Metal.
    uint64_t getSizeInBytes();
  }];
}

// Metal functions with no upstream op: enigma.math.
include "enigma/Dialect/Enigma/EnigmaMathOps.td"

// SIMD-group and quad-group functions: enigma.simd_reduce, enigma.simd_shuffle.
include "enigma/Dialect/Enigma/EnigmaSimdOps.td"

// Atomics on buffer elements: enigma.atomic_load, _store, _rmw, _compare_exchange_weak.
include "enigma/Dialect/Enigma/EnigmaAtomicOps.td"

// Values given when the kernel is specialized: enigma.function_constant.
include "enigma/Dialect/Enigma/EnigmaFunctionConstantOps.td"

// Geometric and pack/unpack functions on vectors: enigma.dot, ...,
// enigma.pack_float_to_unorm4x8, ...
include "enigma/Dialect/Enigma/EnigmaVectorOps.td"

// Simdgroup matrices: enigma.simdgroup_matrix_load, _store, _fill,
// enigma.simdgroup_multiply_accumulate.
include "enigma/Dialect/Enigma/EnigmaMatrixOps.td"

// Threadgroup matrices: enigma.threadgroup_matrix_fill, _store,
// enigma.threadgroup_multiply_accumulate.
include "enigma/Dialect/Enigma/EnigmaThreadgroupMatrixOps.td"

// SIMD-group async copies and their event type: enigma.async_copy, _wait.
include "enigma/Dialect/Enigma/EnigmaAsyncCopyOps.td"

// Vector loads and stores of consecutive buffer elements (Tensor fragments):
// enigma.vector_load, enigma.vector_store.
include "enigma/Dialect/Enigma/EnigmaVectorAccessOps.td"

#endif // ENIGMA_OPS
