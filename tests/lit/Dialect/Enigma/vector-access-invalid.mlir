// One case per verifier check of enigma.vector_load/vector_store: lane count,
// bool lanes, element type, address space and a constant misaligned offset.
// RUN: enigma-opt %s -split-input-file -verify-diagnostics

enigma.kernel @three_lanes(%a: memref<?xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"}, %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  %i = arith.index_castui %k : i32 to index
  // expected-error @+1 {{moves 2 or 4 consecutive elements, not a 'vector<3xf32>'}}
  %0 = enigma.vector_load %a[%i] : memref<?xf32, #enigma.address_space<device>> -> vector<3xf32>
  enigma.return
}

// -----

enigma.kernel @bools(%a: memref<?xi1, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "bool"}, %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  %i = arith.index_castui %k : i32 to index
  // expected-error @+1 {{cannot move bool vectors}}
  %0 = enigma.vector_load %a[%i] : memref<?xi1, #enigma.address_space<device>> -> vector<4xi1>
  enigma.return
}

// -----

enigma.kernel @wrong_element(%a: memref<?xf16, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "half"}, %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  %i = arith.index_castui %k : i32 to index
  // expected-error @+1 {{moves 'f32' elements, but the buffer holds 'f16'}}
  %0 = enigma.vector_load %a[%i] : memref<?xf16, #enigma.address_space<device>> -> vector<4xf32>
  enigma.return
}

// -----

enigma.kernel @thread_memory(%v: vector<2xf32> {enigma.name = "v", enigma.dtype = "float2"}) {
  %c0 = arith.constant 0 : index
  %r = memref.alloca() : memref<4xf32, #enigma.address_space<thread>>
  // expected-error @+1 {{needs a 1-D device buffer or threadgroup array}}
  enigma.vector_store %v, %r[%c0] : vector<2xf32>, memref<4xf32, #enigma.address_space<thread>>
  enigma.return
}

// -----

enigma.kernel @misaligned(%v: vector<4xf32> {enigma.name = "v", enigma.dtype = "float4"}, %a: memref<?xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"}) {
  %c6 = arith.constant 6 : index
  // expected-error @+1 {{offset 6 is not a multiple of the lane count 4 (the address would be misaligned)}}
  enigma.vector_store %v, %a[%c6] : vector<4xf32>, memref<?xf32, #enigma.address_space<device>>
  enigma.return
}
