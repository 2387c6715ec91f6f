// The type rules of the geometric and pack/unpack ops, checked by their ODS
// constraints.
// RUN: enigma-opt %s -split-input-file -verify-diagnostics

enigma.kernel @cross_of_four(%x: vector<4xf32> {enigma.name = "x", enigma.dtype = "float4"}) {
  // expected-error @+1 {{operand #0 must be vector of 32-bit float or 16-bit float or bfloat16 type values of length 3}}
  %0 = enigma.cross %x, %x : vector<4xf32>
  enigma.return
}

// -----

enigma.kernel @dot_of_ints(%x: vector<4xi32> {enigma.name = "x", enigma.dtype = "int4"}) {
  // expected-error @+1 {{operand #0 must be vector of 32-bit float or 16-bit float or bfloat16 type values of length 2/3/4}}
  %0 = "enigma.dot"(%x, %x) : (vector<4xi32>, vector<4xi32>) -> i32
  enigma.return
}

// -----

enigma.kernel @dot_result(%x: vector<4xf32> {enigma.name = "x", enigma.dtype = "float4"}) {
  // expected-error @+1 {{result is the element type of x}}
  %0 = "enigma.dot"(%x, %x) : (vector<4xf32>, vector<4xf32>) -> f16
  enigma.return
}

// -----

enigma.kernel @dot_mixed(%x: vector<4xf32> {enigma.name = "x", enigma.dtype = "float4"},
                         %y: vector<4xf16> {enigma.name = "y", enigma.dtype = "half4"}) {
  // expected-error @+1 {{all of {x, y} have same type}}
  %0 = "enigma.dot"(%x, %y) : (vector<4xf32>, vector<4xf16>) -> f32
  enigma.return
}

// -----

enigma.kernel @refract_eta(%x: vector<3xf32> {enigma.name = "x", enigma.dtype = "float3"},
                           %eta: f16 {enigma.name = "eta", enigma.dtype = "half"}) {
  // expected-error @+1 {{eta is the element type of i}}
  %0 = "enigma.refract"(%x, %x, %eta) : (vector<3xf32>, vector<3xf32>, f16) -> vector<3xf32>
  enigma.return
}

// -----

enigma.kernel @pack_half(%v: vector<4xf16> {enigma.name = "v", enigma.dtype = "half4"}) {
  // expected-error @+1 {{operand #0 must be vector of 32-bit float values of length 4}}
  %0 = enigma.pack_float_to_unorm4x8 %v : vector<4xf16>
  enigma.return
}

// -----

enigma.kernel @unpack_lanes(%u: i32 {enigma.name = "u", enigma.dtype = "uint"}) {
  // expected-error @+1 {{result #0 must be vector of 32-bit float values of length 2}}
  %0 = enigma.unpack_unorm2x16_to_float %u : vector<4xf32>
  enigma.return
}
