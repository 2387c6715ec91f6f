// Round-trip of the threadgroup matrix ops: fill, multiply-accumulate from
// bf16 and f16 device buffers, and stores to f32, f16 and bf16 buffers, for
// 128x256 and 128x64 matrices (one kernel, one R), carried through scf.for.
// RUN: enigma-opt %s | enigma-opt | FileCheck %s
// RUN: enigma-opt %s --mlir-print-op-generic | enigma-opt | FileCheck %s

!devf = memref<?xf32, #enigma.address_space<device>>
!devh = memref<?xf16, #enigma.address_space<device>>
!devb = memref<?xbf16, #enigma.address_space<device>>

// CHECK-LABEL: enigma.kernel @tiles
enigma.kernel @tiles(%a: !devb {enigma.name = "a", enigma.dtype = "bfloat"},
                     %b: !devb {enigma.name = "b", enigma.dtype = "bfloat"},
                     %h: !devh {enigma.name = "h", enigma.dtype = "half"},
                     %c: !devf {enigma.name = "c", enigma.dtype = "float"},
                     %x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  %c40 = arith.constant 40 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %t32 = enigma.builtin thread_index_in_threadgroup : i32
  %t = arith.index_castui %t32 : i32 to index
  // CHECK: enigma.threadgroup_matrix_fill %{{.*}} : f32 -> vector<128x256xf32>
  %f = enigma.threadgroup_matrix_fill %x : f32 -> vector<128x256xf32>
  // CHECK: enigma.threadgroup_multiply_accumulate %{{.*}}[%{{.*}}] stride %{{.*}} rows %{{.*}}, %{{.*}}[%{{.*}}] stride %{{.*}} cols %{{.*}}, k %{{.*}}, %{{.*}}, thread %{{.*}} : memref<?xbf16, #enigma.address_space<device>> -> vector<128x256xf32>
  %d = enigma.threadgroup_multiply_accumulate %a[%c0] stride %c40 rows %c128, %b[%c0] stride %c256 cols %c256, k %c40, %f, thread %t : !devb -> vector<128x256xf32>
  // CHECK: scf.for {{.*}} -> (vector<128x256xf32>)
  %l = scf.for %i = %c0 to %c128 step %c64 iter_args(%acc = %d) -> (vector<128x256xf32>) {
    %e = enigma.threadgroup_multiply_accumulate %a[%i] stride %c40 rows %c64, %b[%i] stride %c256 cols %c128, k %c40, %acc, thread %t : !devb -> vector<128x256xf32>
    scf.yield %e : vector<128x256xf32>
  }
  // CHECK: enigma.threadgroup_matrix_store %{{.*}}, %{{.*}}[%{{.*}}] stride %{{.*}} extent(%{{.*}}, %{{.*}}), thread %{{.*}} : vector<128x256xf32>, memref<?xf32, #enigma.address_space<device>>
  enigma.threadgroup_matrix_store %l, %c[%c0] stride %c256 extent(%c128, %c256), thread %t : vector<128x256xf32>, !devf
  // CHECK: enigma.threadgroup_matrix_store {{.*}} : vector<128x256xf32>, memref<?xf16, #enigma.address_space<device>>
  enigma.threadgroup_matrix_store %l, %h[%c64] stride %c256 extent(%c40, %c64), thread %t : vector<128x256xf32>, !devh
  // CHECK: enigma.threadgroup_matrix_fill %{{.*}} : f32 -> vector<128x64xf32>
  %g = enigma.threadgroup_matrix_fill %x : f32 -> vector<128x64xf32>
  // CHECK: enigma.threadgroup_multiply_accumulate {{.*}} : memref<?xf16, #enigma.address_space<device>> -> vector<128x64xf32>
  %n = enigma.threadgroup_multiply_accumulate %h[%c0] stride %c64 rows %c128, %h[%c0] stride %c64 cols %c64, k %c64, %g, thread %t : !devh -> vector<128x64xf32>
  // CHECK: enigma.threadgroup_matrix_store {{.*}} : vector<128x64xf32>, memref<?xbf16, #enigma.address_space<device>>
  enigma.threadgroup_matrix_store %n, %b[%c0] stride %c64 extent(%c128, %c64), thread %t : vector<128x64xf32>, !devb
  enigma.return
}
