// enigma-check-uniform-products refuses a threadgroup matrix product that the
// threads of a threadgroup may reach apart, or with operands that differ
// between them; products under branches on the threadgroup's position or on
// kernel parameters pass.
// RUN: enigma-opt %s -split-input-file -verify-diagnostics --enigma-check-uniform-products | FileCheck %s

!devb = memref<?xbf16, #enigma.address_space<device>>

// CHECK-LABEL: enigma.kernel @uniform
// CHECK: scf.if
// CHECK: enigma.threadgroup_multiply_accumulate
enigma.kernel @uniform(%a: !devb {enigma.name = "a", enigma.dtype = "bfloat"},
                       %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  %c64 = arith.constant 64 : index
  %ik = arith.index_castui %k : i32 to index
  %t32 = enigma.builtin thread_index_in_threadgroup : i32
  %t = arith.index_castui %t32 : i32 to index
  %g32 = enigma.builtin threadgroup_position_in_grid x : i32
  %g = arith.index_castui %g32 : i32 to index
  %zero = arith.constant 0.0 : f32
  %f = enigma.threadgroup_matrix_fill %zero : f32 -> vector<64x64xf32>
  %off = arith.muli %g, %ik : index
  %inside = arith.cmpi ult, %g, %ik : index
  scf.if %inside {
    %d = enigma.threadgroup_multiply_accumulate %a[%off] stride %ik rows %c64, %a[%off] stride %c64 cols %c64, k %ik, %f, thread %t : !devb -> vector<64x64xf32>
  }
  enigma.return
}

// -----

!devb = memref<?xbf16, #enigma.address_space<device>>

enigma.kernel @thread_branch(%a: !devb {enigma.name = "a", enigma.dtype = "bfloat"}) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %t32 = enigma.builtin thread_index_in_threadgroup : i32
  %t = arith.index_castui %t32 : i32 to index
  %zero = arith.constant 0.0 : f32
  %f = enigma.threadgroup_matrix_fill %zero : f32 -> vector<64x64xf32>
  %low = arith.cmpi ult, %t, %c64 : index
  scf.if %low {
    // expected-error @+1 {{threadgroup matrix product inside a branch that depends on the thread}}
    %d = enigma.threadgroup_multiply_accumulate %a[%c0] stride %c64 rows %c64, %a[%c0] stride %c64 cols %c64, k %c64, %f, thread %t : !devb -> vector<64x64xf32>
  }
  enigma.return
}

// -----

!devb = memref<?xbf16, #enigma.address_space<device>>

enigma.kernel @thread_k(%a: !devb {enigma.name = "a", enigma.dtype = "bfloat"}) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %lane32 = enigma.builtin thread_index_in_simdgroup : i32
  %lane = arith.index_castui %lane32 : i32 to index
  %zero = arith.constant 0.0 : f32
  %f = enigma.threadgroup_matrix_fill %zero : f32 -> vector<64x64xf32>
  %k = arith.addi %lane, %c64 : index
  // expected-error @+1 {{offsets, strides, extents and k must be the same for every thread}}
  %d = enigma.threadgroup_multiply_accumulate %a[%c0] stride %c64 rows %c64, %a[%c0] stride %c64 cols %c64, k %k, %f, thread %lane : !devb -> vector<64x64xf32>
  enigma.return
}

// -----

!devb = memref<?xbf16, #enigma.address_space<device>>

// The branch's condition becomes thread-varying through a loop-carried value.
enigma.kernel @carried(%a: !devb {enigma.name = "a", enigma.dtype = "bfloat"}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %t32 = enigma.builtin thread_index_in_threadgroup : i32
  %t = arith.index_castui %t32 : i32 to index
  %zero = arith.constant 0.0 : f32
  %f = enigma.threadgroup_matrix_fill %zero : f32 -> vector<64x64xf32>
  %sum = scf.for %i = %c0 to %c64 step %c1 iter_args(%s = %c0) -> (index) {
    %next = arith.addi %s, %t : index
    scf.yield %next : index
  }
  %small = arith.cmpi ult, %sum, %c64 : index
  scf.if %small {
    // expected-error @+1 {{inside a branch that depends on the thread}}
    %d = enigma.threadgroup_multiply_accumulate %a[%c0] stride %c64 rows %c64, %a[%c0] stride %c64 cols %c64, k %c64, %f, thread %t : !devb -> vector<64x64xf32>
  }
  enigma.return
}

// -----

!devb = memref<?xbf16, #enigma.address_space<device>>

enigma.kernel @thread_loop(%a: !devb {enigma.name = "a", enigma.dtype = "bfloat"}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %p32 = enigma.builtin thread_position_in_grid x : i32
  %p = arith.index_castui %p32 : i32 to index
  %zero = arith.constant 0.0 : f32
  %f = enigma.threadgroup_matrix_fill %zero : f32 -> vector<64x64xf32>
  %t32 = enigma.builtin thread_index_in_threadgroup : i32
  %t = arith.index_castui %t32 : i32 to index
  scf.for %i = %c0 to %p step %c1 {
    // expected-error @+1 {{inside a loop that depends on the thread}}
    %d = enigma.threadgroup_multiply_accumulate %a[%c0] stride %c64 rows %c64, %a[%c0] stride %c64 cols %c64, k %c64, %f, thread %t : !devb -> vector<64x64xf32>
  }
  enigma.return
}
