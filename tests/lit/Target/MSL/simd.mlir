// RUN: enigma-translate --emit-msl %s | FileCheck %s

// SIMD-group and quad-group functions print as the Metal call: simd_<kind>
// or quad_<kind>, the shuffle's lane as a ushort, an integer min/max reading
// its value with the signedness the op fixes.

!devf = memref<?xf32, #enigma.address_space<device>>
!devi = memref<?xi32, #enigma.address_space<device>>
!devu = memref<?xi32, #enigma.address_space<device>>

// CHECK-LABEL: kernel void simd_calls(
enigma.kernel @simd_calls(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                          %s: !devi {enigma.name = "s", enigma.dtype = "int"},
                          %u: !devu {enigma.name = "u", enigma.dtype = "uint"},
                          %h: vector<2xf16> {enigma.name = "h", enigma.dtype = "half2"}) {
  %lane = enigma.builtin thread_index_in_simdgroup : i32
  %i = arith.index_castui %lane : i32 to index
  // CHECK: float [[X:v[0-9]+]] = a[
  %x = memref.load %a[%i] : !devf
  // CHECK: int [[Y:v[0-9]+]] = s[
  %y = memref.load %s[%i] : !devi
  // CHECK: float {{v[0-9]+}} = simd_sum([[X]]);
  %0 = enigma.simd_reduce simdgroup sum %x : f32
  // CHECK: float {{v[0-9]+}} = simd_prefix_exclusive_product([[X]]);
  %1 = enigma.simd_reduce simdgroup prefix_exclusive_product %x : f32
  // CHECK: int {{v[0-9]+}} = quad_max([[Y]]);
  %2 = enigma.simd_reduce quadgroup max %y : i32
  // The int value compares unsigned: read as uint, the result is uint.
  // CHECK: uint {{v[0-9]+}} = simd_min(uint([[Y]]));
  %3 = enigma.simd_reduce simdgroup min unsigned %y : i32
  // CHECK: int {{v[0-9]+}} = quad_prefix_inclusive_sum([[Y]]);
  %4 = enigma.simd_reduce quadgroup prefix_inclusive_sum %y : i32
  // CHECK: int {{v[0-9]+}} = simd_xor([[Y]]);
  %5 = enigma.simd_reduce simdgroup xor %y : i32
  // CHECK: half2 {{v[0-9]+}} = simd_product(h);
  %6 = enigma.simd_reduce simdgroup product %h : vector<2xf16>
  // CHECK: ushort [[L:v[0-9]+]] = ushort(
  %l = arith.trunci %lane : i32 to i16
  // CHECK: float {{v[0-9]+}} = simd_shuffle([[X]], [[L]]);
  %7 = enigma.simd_shuffle simdgroup shuffle %x, %l : f32
  // CHECK: float {{v[0-9]+}} = simd_shuffle_up([[X]], [[L]]);
  %8 = enigma.simd_shuffle simdgroup shuffle_up %x, %l : f32
  // CHECK: int {{v[0-9]+}} = quad_shuffle_down([[Y]], [[L]]);
  %9 = enigma.simd_shuffle quadgroup shuffle_down %y, %l : i32
  // CHECK: int {{v[0-9]+}} = quad_shuffle_xor([[Y]], [[L]]);
  %10 = enigma.simd_shuffle quadgroup shuffle_xor %y, %l : i32
  // A constant lane prints inline, as a ushort literal.
  // CHECK: float {{v[0-9]+}} = simd_broadcast([[X]], ushort(3));
  %c3 = arith.constant 3 : i16
  %11 = enigma.simd_shuffle simdgroup broadcast %x, %c3 : f32
  // CHECK: half2 {{v[0-9]+}} = quad_broadcast(h, ushort(0));
  %c0 = arith.constant 0 : i16
  %12 = enigma.simd_shuffle quadgroup broadcast %h, %c0 : vector<2xf16>
  memref.store %0, %a[%i] : !devf
  memref.store %1, %a[%i] : !devf
  memref.store %7, %a[%i] : !devf
  memref.store %8, %a[%i] : !devf
  memref.store %11, %a[%i] : !devf
  memref.store %2, %s[%i] : !devi
  memref.store %3, %u[%i] : !devu
  memref.store %4, %s[%i] : !devi
  memref.store %5, %s[%i] : !devi
  memref.store %9, %s[%i] : !devi
  memref.store %10, %s[%i] : !devi
  enigma.return
}
