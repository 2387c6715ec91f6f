// One case per verifier check of enigma.simd_reduce and enigma.simd_shuffle:
// the types Metal defines each SIMD function for.
// RUN: enigma-opt %s -split-input-file -verify-diagnostics

enigma.kernel @bitwise_float(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{simd_and takes a scalar or 2-4 lane vector of char, uchar, short, ushort, int or uint, not 'f32'}}
  %0 = enigma.simd_reduce simdgroup and %f : f32
  enigma.return
}

// -----

enigma.kernel @sum_char(%c: i8 {enigma.name = "c", enigma.dtype = "char"}) {
  // expected-error @+1 {{quad_sum takes a scalar or 2-4 lane vector of half, float, short, ushort, int or uint, not 'i8'}}
  %0 = enigma.simd_reduce quadgroup sum %c : i8
  enigma.return
}

// -----

enigma.kernel @sum_long(%l: i64 {enigma.name = "l", enigma.dtype = "long"}) {
  // expected-error @+1 {{simd_sum takes a scalar or 2-4 lane vector of half, float, short, ushort, int or uint, not 'i64'}}
  %0 = enigma.simd_reduce simdgroup sum %l : i64
  enigma.return
}

// -----

enigma.kernel @sum_bfloat(%b: bf16 {enigma.name = "b", enigma.dtype = "bfloat"}) {
  // expected-error @+1 {{simd_max takes a scalar or 2-4 lane vector of half, float, short, ushort, int or uint, not 'bf16'}}
  %0 = enigma.simd_reduce simdgroup max %b : bf16
  enigma.return
}

// -----

enigma.kernel @quad_prefix_product(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{Metal has no quad_prefix_inclusive_product; use the simdgroup form}}
  %0 = enigma.simd_reduce quadgroup prefix_inclusive_product %f : f32
  enigma.return
}

// -----

enigma.kernel @unsigned_sum(%u: i32 {enigma.name = "u", enigma.dtype = "uint"}) {
  // expected-error @+1 {{'unsigned' only applies to the integer min and max functions, not simd_sum on 'i32'}}
  %0 = enigma.simd_reduce simdgroup sum unsigned %u : i32
  enigma.return
}

// -----

enigma.kernel @unsigned_float_max(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{'unsigned' only applies to the integer min and max functions, not simd_max on 'f32'}}
  %0 = enigma.simd_reduce simdgroup max unsigned %f : f32
  enigma.return
}

// -----

enigma.kernel @shuffle_bool(%b: i1 {enigma.name = "b", enigma.dtype = "bool"},
                            %lane: i16 {enigma.name = "lane", enigma.dtype = "ushort"}) {
  // expected-error @+1 {{simd_shuffle takes a scalar or 2-4 lane vector of half, float, char, uchar, short, ushort, int or uint, not 'i1'}}
  %0 = enigma.simd_shuffle simdgroup shuffle %b, %lane : i1
  enigma.return
}

// -----

enigma.kernel @shuffle_wide_vector(%lane: i16 {enigma.name = "lane", enigma.dtype = "ushort"}) {
  %v = arith.constant dense<1.0> : vector<8xf32>
  // expected-error @+1 {{quad_broadcast takes a scalar or 2-4 lane vector}}
  %0 = enigma.simd_shuffle quadgroup broadcast %v, %lane : vector<8xf32>
  enigma.return
}

// -----

func.func @outside_kernel(%f: f32) -> f32 {
  // expected-error @+1 {{'enigma.simd_reduce' can only be used inside an enigma.kernel}}
  %0 = enigma.simd_reduce simdgroup sum %f : f32
  return %0 : f32
}

// -----

enigma.kernel @lane_not_ushort(%f: f32 {enigma.name = "f", enigma.dtype = "float"},
                               %lane: i32 {enigma.name = "lane", enigma.dtype = "uint"}) {
  // expected-error @+1 {{operand #1 must be 16-bit signless integer}}
  %0 = "enigma.simd_shuffle"(%f, %lane) <{group = 0 : i32, kind = 0 : i32}> : (f32, i32) -> f32
  enigma.return
}
