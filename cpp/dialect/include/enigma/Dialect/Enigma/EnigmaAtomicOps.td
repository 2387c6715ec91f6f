//===- EnigmaAtomicOps.td - Atomic memory operations ---------*- tablegen -*-===//
//
// Metal's atomic functions on one element of a device buffer or threadgroup
// array: load, store, the read-modify-writes (exchange, add, sub, min, max,
// and, or, xor) and the weak compare-and-exchange. Each carries the memory
// order the user asked for; how a target honours it is the emitter's
// business (MSL only accepts memory_order_relaxed on an atomic, so the MSL
// emitter adds fences around it). Included by EnigmaOps.td.
//
// What Metal supports, and so what the shared verifier accepts: 32-bit
// integers everywhere; f32 (atomic_float) only on device memory and only for
// load, store, exchange, add and sub.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_ATOMIC_OPS
#define ENIGMA_ATOMIC_OPS

// Every atomic accesses `memref[index]` of a 1-D buffer or threadgroup array.
class Enigma_AtomicOp<string mnemonic, list<Trait> traits = []>
    : Enigma_Op<mnemonic, !listconcat(traits, [Enigma_InsideKernel])> {
  // One verifier for the element type, address space and order rules.
  let hasVerifier = 1;
}

// The element type of the accessed memref.
class Enigma_AtomicElementOf<string result> : TypesMatchWith<
    "the " # result # " has the buffer's element type", "memref", result,
    "::llvm::cast<::mlir::MemRefType>($_self).getElementType()">;

def Enigma_AtomicLoadOp : Enigma_AtomicOp<"atomic_load", [
    Enigma_AtomicElementOf<"result">
  ]> {
  let summary = "atomically reads a buffer element";
  let description = [{
    MSL `atomic_load_explicit`. `order` is `relaxed` or `acquire`.

    ```mlir
    %v = enigma.atomic_load acquire %flags[%i] : memref<?xi32, #enigma.address_space<device>>
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "the buffer", [MemRead]>:$memref,
                       Index:$index,
                       Enigma_MemoryOrderAttr:$order);
  let results = (outs AnyType:$result);
  let assemblyFormat =
      "$order $memref `[` $index `]` attr-dict `:` type($memref)";
}

def Enigma_AtomicStoreOp : Enigma_AtomicOp<"atomic_store", [
    Enigma_AtomicElementOf<"value">
  ]> {
  let summary = "atomically writes a buffer element";
  let description = [{
    MSL `atomic_store_explicit`. `order` is `relaxed` or `release`.

    ```mlir
    enigma.atomic_store release %one, %flags[%i] : memref<?xi32, #enigma.address_space<device>>
    ```
  }];
  let arguments = (ins AnyType:$value,
                       Arg<AnyMemRef, "the buffer", [MemWrite]>:$memref,
                       Index:$index,
                       Enigma_MemoryOrderAttr:$order);
  let assemblyFormat =
      "$order $value `,` $memref `[` $index `]` attr-dict `:` type($memref)";
}

def Enigma_AtomicRMWOp : Enigma_AtomicOp<"atomic_rmw", [
    Enigma_AtomicElementOf<"value">, Enigma_AtomicElementOf<"result">
  ]> {
  let summary = "atomically updates a buffer element, returning its old value";
  let description = [{
    MSL `atomic_exchange_explicit` and `atomic_fetch_<kind>_explicit`:
    replaces `memref[index]` by `value` (exchange) or by `old <kind> value`
    and returns `old`. Integer add and sub wrap; min and max compare with the
    signedness their kind names. f32 supports exchange, add and sub.

    ```mlir
    %old = enigma.atomic_rmw add relaxed %one, %counter[%i] : memref<?xi32, #enigma.address_space<device>>
    ```
  }];
  let arguments = (ins Enigma_AtomicKindAttr:$kind,
                       AnyType:$value,
                       Arg<AnyMemRef, "the buffer", [MemRead, MemWrite]>:$memref,
                       Index:$index,
                       Enigma_MemoryOrderAttr:$order);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$kind $order $value `,` $memref `[` $index `]` "
                       "attr-dict `:` type($memref)";
}

def Enigma_AtomicCompareExchangeOp : Enigma_AtomicOp<
    "atomic_compare_exchange_weak", [
      Enigma_AtomicElementOf<"expected">, Enigma_AtomicElementOf<"desired">,
      Enigma_AtomicElementOf<"old">
  ]> {
  let summary = "weak atomic compare-and-exchange of a buffer element";
  let description = [{
    MSL `atomic_compare_exchange_weak_explicit`: if `memref[index]` equals
    `expected`, it becomes `desired` and `success` is true; otherwise
    `success` is false. `old` is the value read either way (Metal writes it
    back into `expected`). Weak: it may fail spuriously, so callers loop.
    32-bit integers only.

    ```mlir
    %old, %ok = enigma.atomic_compare_exchange_weak relaxed %lock[%i], %zero, %one : memref<?xi32, #enigma.address_space<device>>
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "the buffer", [MemRead, MemWrite]>:$memref,
                       Index:$index,
                       AnyType:$expected,
                       AnyType:$desired,
                       Enigma_MemoryOrderAttr:$order);
  let results = (outs AnyType:$old, I1:$success);
  let assemblyFormat = "$order $memref `[` $index `]` `,` $expected `,` "
                       "$desired attr-dict `:` type($memref)";
}

#endif // ENIGMA_ATOMIC_OPS
