//===- EnigmaAttrs.td - Enigma enums and attributes ----------*- tablegen -*-===//
//
// The enums of the enigma dialect (thread and grid queries, dimensions,
// barrier memory flags, address spaces) and the `#enigma.address_space<...>`
// attribute that serves as the memory space of buffer memrefs.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_ATTRS
#define ENIGMA_ATTRS

include "enigma/Dialect/Enigma/EnigmaDialect.td"
include "mlir/IR/EnumAttr.td"

// BuiltinKind, Dim and MemFlags only appear as op attributes, where these
// integer-backed enum attributes print as a bare keyword
// (`enigma.builtin thread_position_in_grid x`) and may be optional.

// The order of the cases is the order in which the MSL kernel receives the
// queries as extra parameters, so it is part of the ABI: append only.
def Enigma_BuiltinKindAttr : I32EnumAttr<"BuiltinKind",
                                         "a thread or grid query", [
  // Dimmed kinds: `uint3` in MSL, the op names one lane with a Dim.
  I32EnumAttrCase<"ThreadPositionInGrid", 0, "thread_position_in_grid">,
  I32EnumAttrCase<"ThreadPositionInThreadgroup", 1,
                  "thread_position_in_threadgroup">,
  I32EnumAttrCase<"ThreadgroupPositionInGrid", 2,
                  "threadgroup_position_in_grid">,
  I32EnumAttrCase<"ThreadsPerThreadgroup", 3, "threads_per_threadgroup">,
  I32EnumAttrCase<"ThreadsPerGrid", 4, "threads_per_grid">,
  I32EnumAttrCase<"ThreadgroupsPerGrid", 5, "threadgroups_per_grid">,
  // Scalar kinds: `uint` in MSL, no Dim.
  I32EnumAttrCase<"ThreadIndexInThreadgroup", 6,
                  "thread_index_in_threadgroup">,
  I32EnumAttrCase<"ThreadIndexInSimdgroup", 7, "thread_index_in_simdgroup">,
  I32EnumAttrCase<"SimdgroupIndexInThreadgroup", 8,
                  "simdgroup_index_in_threadgroup">,
  I32EnumAttrCase<"ThreadsPerSimdgroup", 9, "threads_per_simdgroup">,
  I32EnumAttrCase<"SimdgroupsPerThreadgroup", 10,
                  "simdgroups_per_threadgroup">
]> {
  let cppNamespace = "::mlir::enigma";
}

def Enigma_DimAttr : I32EnumAttr<"Dim", "a lane of a uint3 query", [
  I32EnumAttrCase<"X", 0, "x">,
  I32EnumAttrCase<"Y", 1, "y">,
  I32EnumAttrCase<"Z", 2, "z">
]> {
  let cppNamespace = "::mlir::enigma";
}

// Metal's mem_flags as the DSL spells them (`barrier(mem_flags=...)`).
def Enigma_MemFlagsAttr : I32EnumAttr<"MemFlags",
                                      "the memory a barrier orders", [
  I32EnumAttrCase<"MemNone", 0, "mem_none">,
  I32EnumAttrCase<"MemDevice", 1, "mem_device">,
  I32EnumAttrCase<"MemThreadgroup", 2, "mem_threadgroup">,
  I32EnumAttrCase<"MemDeviceAndThreadgroup", 3, "mem_device_and_threadgroup">,
  I32EnumAttrCase<"MemTexture", 4, "mem_texture">
]> {
  let cppNamespace = "::mlir::enigma";
}

// A memref memory space must be an attribute of its own, printed
// `#enigma.address_space<device>`: hence a dialect EnumAttr.
def Enigma_AddressSpace : I32Enum<"AddressSpace", "a Metal address space", [
  I32EnumCase<"Device", 0, "device">,
  I32EnumCase<"Threadgroup", 1, "threadgroup">,
  I32EnumCase<"Constant", 2, "constant">,
  I32EnumCase<"Thread", 3, "thread">
]> {
  let cppNamespace = "::mlir::enigma";
}

def Enigma_AddressSpaceAttr : EnumAttr<Enigma_Dialect, Enigma_AddressSpace,
                                       "address_space"> {
  let summary = "the Metal address space of a memref";
  let description = [{
    Used as the memory space of memrefs: buffer parameters live in `device`
    memory, `enigma.threadgroup_alloc` results in `threadgroup` memory.

    ```mlir
    memref<?xf32, #enigma.address_space<device>>
    memref<256xf32, #enigma.address_space<threadgroup>>
    ```
  }];
  // Standalone form: `#enigma.address_space<device>`.
  let assemblyFormat = "`<` $value `>`";
}

// The memory orders the DSL's atomics take (`order="acquire"`), as in C++.
// How a target honours them is the emitter's business (EnigmaAtomicOps.td).
def Enigma_MemoryOrderAttr : I32EnumAttr<"MemoryOrder",
                                         "the memory order of an atomic", [
  I32EnumAttrCase<"Relaxed", 0, "relaxed">,
  I32EnumAttrCase<"Acquire", 1, "acquire">,
  I32EnumAttrCase<"Release", 2, "release">,
  I32EnumAttrCase<"AcqRel", 3, "acq_rel">
]> {
  let cppNamespace = "::mlir::enigma";
}

// The read-modify-write of enigma.atomic_rmw. Integers are signless, so
// min/max say their signedness, as arith.minsi/minui do.
def Enigma_AtomicKindAttr : I32EnumAttr<"AtomicKind",
                                        "an atomic read-modify-write", [
  I32EnumAttrCase<"Exchange", 0, "exchange">,
  I32EnumAttrCase<"Add", 1, "add">,
  I32EnumAttrCase<"Sub", 2, "sub">,
  I32EnumAttrCase<"MinS", 3, "mins">,
  I32EnumAttrCase<"MinU", 4, "minu">,
  I32EnumAttrCase<"MaxS", 5, "maxs">,
  I32EnumAttrCase<"MaxU", 6, "maxu">,
  I32EnumAttrCase<"And", 7, "and">,
  I32EnumAttrCase<"Or", 8, "or">,
  I32EnumAttrCase<"Xor", 9, "xor">
]> {
  let cppNamespace = "::mlir::enigma";
}

#endif // ENIGMA_ATTRS
