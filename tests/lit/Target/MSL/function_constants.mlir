// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Function constants are program-scope declarations before the kernel, in
// index order, with their dtype's signedness; the body reads them by name,
// also as a loop bound and a condition.

!dev = memref<?xf32, #enigma.address_space<device>>

// CHECK:      using namespace metal;
// CHECK-EMPTY:
// CHECK-NEXT: constant bool fc0 {{\[\[}}function_constant(0)]];
// CHECK-NEXT: constant uint fc2 {{\[\[}}function_constant(2)]];
// CHECK-NEXT: constant float fc7 {{\[\[}}function_constant(7)]];
// CHECK-EMPTY:
// CHECK-NEXT: kernel void specialized(device float* out {{\[\[}}buffer(0)]]) {
enigma.kernel @specialized(%out: !dev {enigma.name = "out", enigma.dtype = "float"}) {
  %n = enigma.function_constant 2 "fc2" "uint" : i32
  %flag = enigma.function_constant 0 "fc0" "bool" : i1
  %scale = enigma.function_constant 7 "fc7" "float" : f32
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %z = arith.constant 0 : index
  // CHECK:      for (uint v1 = 0u; v1 < fc2; v1 += 1u) {
  %sum = scf.for unsigned %k = %c0 to %n step %c1 iter_args(%acc = %scale) -> (f32) : i32 {
    %next = arith.addf %acc, %scale : f32
    scf.yield %next : f32
  }
  // CHECK:      if (fc0) {
  scf.if %flag {
    memref.store %sum, %out[%z] : !dev
  }
  enigma.return
}
