// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Threadgroup matrices print as enigma_threadgroup_matrix<float, R, C>
// variables, filled by enigma_make_filled_threadgroup_matrix<float, R, C>(x),
// written by enigma_threadgroup_multiply_accumulate(d, a + off, lda, arows,
// b + off, ldb, bcols, k, c, tid) and read by enigma_threadgroup_matrix_store
// (m, buf + off, ld, rows, cols, tid); a loop carries them in variables of
// the same type. The definitions (one thread's elements at a time) come
// first, once, guarded.

// CHECK: #if !defined(ENIGMA_THREADGROUP_MATRIX)
// CHECK-NEXT: #define ENIGMA_THREADGROUP_MATRIX
// CHECK-NEXT: template <typename T, int R, int C> struct enigma_threadgroup_matrix {
// CHECK: void enigma_threadgroup_multiply_accumulate(
// CHECK: void enigma_threadgroup_matrix_store(
// CHECK: #endif
// CHECK-LABEL: kernel void gemm(device const bfloat* a {{\[\[}}buffer(0)]],
// CHECK: uint thread_index_in_threadgroup {{\[\[}}thread_index_in_threadgroup]]) {
// CHECK-NEXT: uint v0 = thread_index_in_threadgroup;
// CHECK-NEXT: enigma_threadgroup_matrix<float, 128, 256> v1 = enigma_make_filled_threadgroup_matrix<float, 128, 256>(0.0f);
// CHECK-NEXT: enigma_threadgroup_matrix<float, 128, 256> v2 = v1;
// CHECK-NEXT: for (int v3 = int(0u); v3 < int(k); v3 += int(64u)) {
// CHECK-NEXT: int v4 = v3 * int(256u);
// CHECK-NEXT: enigma_threadgroup_matrix<float, 128, 256> v5;
// CHECK-NEXT: enigma_threadgroup_multiply_accumulate(v5, a + v3, k, 64u, b + v4, 256u, 256u, 64u, v2, v0);
// CHECK-NEXT: v2 = v5;
// CHECK-NEXT: }
// CHECK-NEXT: enigma_threadgroup_matrix_store(v2, c, 256u, 64u, 256u, v0);
// CHECK-NEXT: }
// A kernel without threadgroup matrices has no definitions before it.
// CHECK-NOT: ENIGMA_THREADGROUP_MATRIX
// CHECK-LABEL: kernel void plain(
!devf = memref<?xf32, #enigma.address_space<device>>
!devb = memref<?xbf16, #enigma.address_space<device>>

enigma.kernel @gemm(%a: !devb {enigma.name = "a", enigma.dtype = "bfloat"},
                    %b: !devb {enigma.name = "b", enigma.dtype = "bfloat"},
                    %c: !devf {enigma.name = "c", enigma.dtype = "float"},
                    %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  %c0 = arith.constant 0 : i32
  %c64 = arith.constant 64 : i32
  %c256 = arith.constant 256 : i32
  %i0 = arith.index_castui %c0 : i32 to index
  %i64 = arith.index_castui %c64 : i32 to index
  %i256 = arith.index_castui %c256 : i32 to index
  %ik = arith.index_castui %k : i32 to index
  %t32 = enigma.builtin thread_index_in_threadgroup : i32
  %t = arith.index_castui %t32 : i32 to index
  %zero = arith.constant 0.0 : f32
  %f = enigma.threadgroup_matrix_fill %zero : f32 -> vector<128x256xf32>
  %l = scf.for %i = %i0 to %ik step %i64 iter_args(%acc = %f) -> (vector<128x256xf32>) {
    %boff = arith.muli %i, %i256 : index
    %d = enigma.threadgroup_multiply_accumulate %a[%i] stride %ik rows %i64, %b[%boff] stride %i256 cols %i256, k %i64, %acc, thread %t : !devb -> vector<128x256xf32>
    scf.yield %d : vector<128x256xf32>
  }
  enigma.threadgroup_matrix_store %l, %c[%i0] stride %i256 extent(%i64, %i256), thread %t : vector<128x256xf32>, !devf
  enigma.return
}

enigma.kernel @plain(%c: !devf {enigma.name = "c", enigma.dtype = "float"}) {
  enigma.return
}
