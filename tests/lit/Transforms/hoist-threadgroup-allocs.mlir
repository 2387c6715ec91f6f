// enigma-hoist-threadgroup-allocs moves every threadgroup allocation, however
// deeply nested, to the top of its kernel, in source order.
// RUN: enigma-opt %s --enigma-hoist-threadgroup-allocs | FileCheck %s

// CHECK-LABEL: enigma.kernel @nested
// CHECK-NEXT: %[[A:.*]] = enigma.threadgroup_alloc "float" : memref<64xf32
// CHECK-NEXT: %[[B:.*]] = enigma.threadgroup_alloc "int" : memref<32xi32
// CHECK-NEXT: %[[C:.*]] = enigma.threadgroup_alloc "half" : memref<16xf16
// CHECK-NEXT: %[[D:.*]] = enigma.threadgroup_alloc "uint" : memref<8xi32
// CHECK-NEXT: enigma.builtin thread_index_in_threadgroup
// CHECK: scf.for
// CHECK-NOT: threadgroup_alloc
// CHECK: memref.store %{{.*}}, %[[B]]
// CHECK: scf.if
// CHECK-NOT: threadgroup_alloc
// CHECK: memref.store %{{.*}}, %[[C]]
// CHECK: memref.store %{{.*}}, %[[D]]
// CHECK: memref.store %{{.*}}, %[[A]]
// CHECK-NEXT: enigma.return
enigma.kernel @nested(%flag: i1 {enigma.name = "flag", enigma.dtype = "bool"}) {
  %tid = enigma.builtin thread_index_in_threadgroup : i32
  %i = arith.index_castui %tid : i32 to index
  %a = enigma.threadgroup_alloc "float" : memref<64xf32, #enigma.address_space<threadgroup>>
  %c0 = arith.constant 0 : i32
  %c4 = arith.constant 4 : i32
  %c1 = arith.constant 1 : i32
  scf.for %k = %c0 to %c4 step %c1 : i32 {
    %b = enigma.threadgroup_alloc "int" : memref<32xi32, #enigma.address_space<threadgroup>>
    memref.store %k, %b[%i] : memref<32xi32, #enigma.address_space<threadgroup>>
    scf.if %flag {
      %c = enigma.threadgroup_alloc "half" : memref<16xf16, #enigma.address_space<threadgroup>>
      %h = arith.constant 1.0 : f16
      memref.store %h, %c[%i] : memref<16xf16, #enigma.address_space<threadgroup>>
    }
  }
  %d = enigma.threadgroup_alloc "uint" : memref<8xi32, #enigma.address_space<threadgroup>>
  memref.store %tid, %d[%i] : memref<8xi32, #enigma.address_space<threadgroup>>
  %f = arith.constant 2.0 : f32
  memref.store %f, %a[%i] : memref<64xf32, #enigma.address_space<threadgroup>>
  enigma.return
}

// A kernel without threadgroup memory is left as it is.
// CHECK-LABEL: enigma.kernel @none
// CHECK-NEXT: enigma.threadgroup_barrier mem_none
// CHECK-NEXT: enigma.return
enigma.kernel @none() {
  enigma.threadgroup_barrier mem_none
  enigma.return
}
