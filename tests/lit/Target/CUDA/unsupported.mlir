// RUN: enigma-translate --emit-cuda --split-input-file --verify-diagnostics %s

// An op without a CUDA lowering yet fails by name, never with MSL's
// spelling; so do vector values (CUDA's float4 has no operators yet), and
// nothing is printed.

!devf = memref<?xf32, #enigma.address_space<device>>

enigma.kernel @matrix(%a: !devf {enigma.name = "a", enigma.dtype = "float"}) {
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{`enigma.simdgroup_matrix_fill` has no CUDA lowering yet}}
  %f = enigma.simdgroup_matrix_fill %zero : f32 -> vector<8x8xf32>
  enigma.return
}

// -----

// expected-error @+1 {{parameter 'v' of type 'vector<4xf32>' has no CUDA lowering yet (vector types)}}
enigma.kernel @vectors(%v: vector<4xf32> {enigma.name = "v", enigma.dtype = "float4"}) {
  enigma.return
}

// -----

enigma.kernel @vector_math(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{`vector.broadcast` has no CUDA lowering yet (vector types)}}
  %0 = vector.broadcast %f : f32 to vector<4xf32>
  enigma.return
}
