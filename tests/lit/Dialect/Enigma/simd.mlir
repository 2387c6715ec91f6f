// Round-trip of enigma.simd_reduce and enigma.simd_shuffle: every kind, both
// groups, scalars and vectors, and the `unsigned` flag of integer min/max.
// RUN: enigma-opt %s | enigma-opt | FileCheck %s
// RUN: enigma-opt %s --mlir-print-op-generic | enigma-opt | FileCheck %s

// CHECK-LABEL: enigma.kernel @simd_functions
enigma.kernel @simd_functions(%f: f32 {enigma.name = "f", enigma.dtype = "float"},
                              %h: vector<4xf16> {enigma.name = "h", enigma.dtype = "half4"},
                              %u: i32 {enigma.name = "u", enigma.dtype = "uint"},
                              %c: vector<2xi8> {enigma.name = "c", enigma.dtype = "char2"},
                              %lane: i16 {enigma.name = "lane", enigma.dtype = "ushort"}) {
  // CHECK: enigma.simd_reduce simdgroup sum %{{.*}} : f32
  %0 = enigma.simd_reduce simdgroup sum %f : f32
  // CHECK: enigma.simd_reduce simdgroup product %{{.*}} : vector<4xf16>
  %1 = enigma.simd_reduce simdgroup product %h : vector<4xf16>
  // CHECK: enigma.simd_reduce quadgroup min unsigned %{{.*}} : i32
  %2 = enigma.simd_reduce quadgroup min unsigned %u : i32
  // CHECK: enigma.simd_reduce simdgroup max %{{.*}} : i32
  %3 = enigma.simd_reduce simdgroup max %u : i32
  // CHECK: enigma.simd_reduce quadgroup and %{{.*}} : vector<2xi8>
  %4 = enigma.simd_reduce quadgroup and %c : vector<2xi8>
  // CHECK: enigma.simd_reduce simdgroup or %{{.*}} : i32
  %5 = enigma.simd_reduce simdgroup or %u : i32
  // CHECK: enigma.simd_reduce simdgroup xor %{{.*}} : i32
  %6 = enigma.simd_reduce simdgroup xor %u : i32
  // CHECK: enigma.simd_reduce quadgroup prefix_exclusive_sum %{{.*}} : f32
  %7 = enigma.simd_reduce quadgroup prefix_exclusive_sum %f : f32
  // CHECK: enigma.simd_reduce simdgroup prefix_inclusive_sum %{{.*}} : f32
  %8 = enigma.simd_reduce simdgroup prefix_inclusive_sum %f : f32
  // CHECK: enigma.simd_reduce simdgroup prefix_exclusive_product %{{.*}} : f32
  %9 = enigma.simd_reduce simdgroup prefix_exclusive_product %f : f32
  // CHECK: enigma.simd_reduce simdgroup prefix_inclusive_product %{{.*}} : i32
  %10 = enigma.simd_reduce simdgroup prefix_inclusive_product %u : i32
  // CHECK: enigma.simd_shuffle simdgroup shuffle %{{.*}}, %{{.*}} : f32
  %11 = enigma.simd_shuffle simdgroup shuffle %f, %lane : f32
  // CHECK: enigma.simd_shuffle quadgroup shuffle_up %{{.*}}, %{{.*}} : vector<4xf16>
  %12 = enigma.simd_shuffle quadgroup shuffle_up %h, %lane : vector<4xf16>
  // CHECK: enigma.simd_shuffle simdgroup shuffle_down %{{.*}}, %{{.*}} : vector<2xi8>
  %13 = enigma.simd_shuffle simdgroup shuffle_down %c, %lane : vector<2xi8>
  // CHECK: enigma.simd_shuffle simdgroup shuffle_xor %{{.*}}, %{{.*}} : i32
  %14 = enigma.simd_shuffle simdgroup shuffle_xor %u, %lane : i32
  // CHECK: enigma.simd_shuffle quadgroup broadcast %{{.*}}, %{{.*}} : f32
  %15 = enigma.simd_shuffle quadgroup broadcast %f, %lane : f32
  enigma.return
}
