//===- EnigmaDialect.td - The enigma dialect and its op base --*- tablegen -*-===//
//
// The enigma dialect holds what upstream MLIR has no op for in a Metal
// compute kernel: the kernel itself, thread and grid queries, barriers and
// threadgroup memory. Everything else in a kernel body is upstream arith,
// math, scf, memref and vector (docs/architecture.md §2).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_DIALECT
#define ENIGMA_DIALECT

include "mlir/IR/OpBase.td"

def Enigma_Dialect : Dialect {
  let name = "enigma";
  let summary = "Metal compute kernels traced from Python";
  let description = [{
    The enigma dialect models a Metal Shading Language compute kernel. A
    kernel is an `enigma.kernel` whose arguments are device buffers
    (`memref<?xT, #enigma.address_space<device>>`) or by-value scalars; its
    body uses upstream dialects for arithmetic, math, control flow and memory
    access, and enigma ops for what is specific to a GPU kernel.

    Integers are signless as `arith` requires. Signedness lives in the choice
    of op (`divsi`/`divui`, ...) and, for parameters and threadgroup memory, in
    a `dtype` string holding the Metal spelling (`"uint"`, `"float4"`).
  }];
  let cppNamespace = "::mlir::enigma";
  // The address-space and enum attributes print as `#enigma.<mnemonic><...>`.
  let useDefaultAttributePrinterParser = 1;
  // The types (EnigmaTypes.td) print as `!enigma.<mnemonic>`.
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

// Base class of every enigma op.
class Enigma_Op<string mnemonic, list<Trait> traits = []>
    : Op<Enigma_Dialect, mnemonic, traits>;

#endif // ENIGMA_DIALECT
