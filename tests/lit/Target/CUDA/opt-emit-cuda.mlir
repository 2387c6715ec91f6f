// enigma-opt --emit-cuda: run passes, then print the result as CUDA C++,
// with the `// file:line` comments still pointing into this file.
// RUN: enigma-opt --enigma-default-pipeline --emit-cuda %s | FileCheck %s

// CHECK-LABEL: extern "C" __global__ void twice(float* a,
// CHECK-NEXT:                                   EnigmaLaunch enigma_launch) {
// CHECK-NEXT:   if (!enigma_in_grid(enigma_launch)) return;
enigma.kernel @twice(%a: memref<?xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"}) {
  // CHECK-NEXT: // opt-emit-cuda.mlir:[[# @LINE + 2]]
  // CHECK-NEXT: unsigned int v0 = enigma_thread_position_in_grid(enigma_launch).x;
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
