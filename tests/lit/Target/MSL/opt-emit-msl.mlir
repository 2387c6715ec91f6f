// enigma-opt --emit-msl: run passes, then print the result as MSL, with the
// `// file:line` comments still pointing into this file.
// RUN: enigma-opt --enigma-default-pipeline --emit-msl %s | FileCheck %s

// CHECK-LABEL: kernel void twice(device float* a {{\[\[}}buffer(0)]],
// CHECK-NEXT:  uint3 thread_position_in_grid {{\[\[}}thread_position_in_grid]]) {
enigma.kernel @twice(%a: memref<?xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"}) {
  // CHECK: // opt-emit-msl.mlir:[[# @LINE + 2]]
  // CHECK-NEXT: uint v0 = thread_position_in_grid.x;
  %i = enigma.builtin thread_position_in_grid x : i32
  %idx = arith.index_castui %i : i32 to index
  // CHECK: float v1 = a[v0];
  %v = memref.load %a[%idx] : memref<?xf32, #enigma.address_space<device>>
  %one = arith.constant 1.0 : f32
  %two = arith.constant 2.0 : f32
  // The multiplication by 1.0 is folded away by canonicalization.
  // CHECK-NOT: 1.0f
  // CHECK: float v2 = v1 * 2.0f;
  %m = arith.mulf %v, %one : f32
  %w = arith.mulf %m, %two : f32
  // CHECK: a[v0] = v2;
  memref.store %w, %a[%idx] : memref<?xf32, #enigma.address_space<device>>
  enigma.return
}
