// RUN: enigma-translate --emit-cuda --emit-cuda-locations=false %s | FileCheck %s
// RUN: enigma-opt --emit-cuda %s | FileCheck %s --check-prefix=OPT

// Threadgroup matrices print the same calls as in MSL (no target prefix):
// the CUDA prelude, always included, defines enigma_threadgroup_matrix and
// its functions. Before the kernel, the module's dynamic shared memory for
// its widest matrix; the kernel's register budget is for 2R + 128 threads.

// CHECK: ENIGMA_THREADGROUP_MATRIX_SHARED(128, 256)
// CHECK-NEXT: extern "C" __global__ void __launch_bounds__(384, 1) gemm(const __nv_bfloat16* a,
// CHECK-NEXT: {{^ +}}const __nv_bfloat16* b,
// CHECK: if (!enigma_in_grid(enigma_launch)) return;
// CHECK-NEXT: unsigned int v0 = enigma_thread_index_in_threadgroup(enigma_launch);
// CHECK-NEXT: enigma_threadgroup_matrix<float, 128, 256> v1 = enigma_make_filled_threadgroup_matrix<float, 128, 256>(0.0f);
// CHECK-NEXT: enigma_threadgroup_matrix<float, 128, 256> v2 = v1;
// CHECK-NEXT: for (int v3 = (int)(0u); v3 < (int)(k); v3 += (int)(64u)) {
// CHECK-NEXT: int v4 = v3 * (int)(256u);
// CHECK-NEXT: enigma_threadgroup_matrix<float, 128, 256> v5;
// CHECK-NEXT: enigma_threadgroup_multiply_accumulate(v5, a + v3, k, 64u, b + v4, 256u, 256u, 64u, v2, v0);
// CHECK-NEXT: v2 = v5;
// CHECK-NEXT: }
// CHECK-NEXT: enigma_threadgroup_matrix_store(v2, c, 256u, 64u, 256u, v0);
// CHECK-NEXT: }

// OPT-LABEL: extern "C" __global__ void __launch_bounds__(384, 1) gemm(
// OPT: enigma_threadgroup_multiply_accumulate(
// OPT: enigma_threadgroup_matrix_store(
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
