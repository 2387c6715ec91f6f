// Round-trip of the simdgroup matrix ops: fill, load and store from device
// buffers and threadgroup arrays (with and without `transpose`), and
// multiply-accumulate, for f32, f16 and bf16 8x8 matrices (f16 and bf16
// inputs also into f32 accumulators).
// RUN: enigma-opt %s | enigma-opt | FileCheck %s
// RUN: enigma-opt %s --mlir-print-op-generic | enigma-opt | FileCheck %s

!devf = memref<?xf32, #enigma.address_space<device>>
!devh = memref<?xf16, #enigma.address_space<device>>
!tgb = memref<64xbf16, #enigma.address_space<threadgroup>>

// CHECK-LABEL: enigma.kernel @matrices
enigma.kernel @matrices(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                        %h: !devh {enigma.name = "h", enigma.dtype = "half"},
                        %x: f32 {enigma.name = "x", enigma.dtype = "float"},
                        %y: bf16 {enigma.name = "y", enigma.dtype = "bfloat"}) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %tg = enigma.threadgroup_alloc "bfloat" : !tgb
  // CHECK: enigma.simdgroup_matrix_fill %{{.*}} : f32 -> vector<8x8xf32>
  %f = enigma.simdgroup_matrix_fill %x : f32 -> vector<8x8xf32>
  // CHECK: enigma.simdgroup_matrix_load %{{.*}}[%{{.*}}] stride %{{.*}} origin(%{{.*}}, %{{.*}}) : memref<?xf32, #enigma.address_space<device>> -> vector<8x8xf32>
  %m = enigma.simdgroup_matrix_load %a[%c0] stride %c64 origin(%c8, %c0) : !devf -> vector<8x8xf32>
  // CHECK: enigma.simdgroup_matrix_load %{{.*}} transpose : memref<?xf16, #enigma.address_space<device>> -> vector<8x8xf16>
  %n = enigma.simdgroup_matrix_load %h[%c8] stride %c64 origin(%c0, %c8) transpose : !devh -> vector<8x8xf16>
  // CHECK: enigma.simdgroup_multiply_accumulate %{{.*}}, %{{.*}}, %{{.*}} : vector<8x8xf32> -> vector<8x8xf32>
  %d = enigma.simdgroup_multiply_accumulate %m, %m, %f : vector<8x8xf32> -> vector<8x8xf32>
  // CHECK: enigma.simdgroup_matrix_store %{{.*}}, %{{.*}}[%{{.*}}] stride %{{.*}} origin(%{{.*}}, %{{.*}}) : vector<8x8xf32>, memref<?xf32, #enigma.address_space<device>>
  enigma.simdgroup_matrix_store %d, %a[%c0] stride %c64 origin(%c0, %c0) : vector<8x8xf32>, !devf
  // CHECK: enigma.simdgroup_matrix_fill %{{.*}} : bf16 -> vector<8x8xbf16>
  %b = enigma.simdgroup_matrix_fill %y : bf16 -> vector<8x8xbf16>
  // CHECK: enigma.simdgroup_matrix_store {{.*}} transpose : vector<8x8xbf16>, memref<64xbf16, #enigma.address_space<threadgroup>>
  enigma.simdgroup_matrix_store %b, %tg[%c0] stride %c8 origin(%c0, %c0) transpose : vector<8x8xbf16>, !tgb
  // Half or bfloat inputs with a float accumulator.
  // CHECK: enigma.simdgroup_multiply_accumulate %{{.*}}, %{{.*}}, %{{.*}} : vector<8x8xbf16> -> vector<8x8xf32>
  %e = enigma.simdgroup_multiply_accumulate %b, %b, %d : vector<8x8xbf16> -> vector<8x8xf32>
  // CHECK: enigma.simdgroup_multiply_accumulate %{{.*}}, %{{.*}}, %{{.*}} : vector<8x8xf16> -> vector<8x8xf32>
  %g = enigma.simdgroup_multiply_accumulate %n, %n, %e : vector<8x8xf16> -> vector<8x8xf32>
  enigma.return
}

// Async copies in both directions, and waits on one and on several events.
// CHECK-LABEL: enigma.kernel @async_copies
enigma.kernel @async_copies(%a: !devf {enigma.name = "a", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %tg = enigma.threadgroup_alloc "float" : memref<64xf32, #enigma.address_space<threadgroup>>
  // CHECK: %[[E:.*]] = enigma.async_copy %{{.*}}[%{{.*}}] stride %{{.*}}, %{{.*}}[%{{.*}}] stride %{{.*}} tile(%{{.*}}, %{{.*}}) : memref<64xf32, #enigma.address_space<threadgroup>>, memref<?xf32, #enigma.address_space<device>>
  %e = enigma.async_copy %tg[%c0] stride %c8, %a[%c8] stride %c64 tile(%c8, %c8) : memref<64xf32, #enigma.address_space<threadgroup>>, !devf
  // CHECK: enigma.async_copy_wait %[[E]]
  enigma.async_copy_wait %e
  // CHECK: %[[F:.*]] = enigma.async_copy {{.*}} : memref<?xf32, #enigma.address_space<device>>, memref<64xf32, #enigma.address_space<threadgroup>>
  %f = enigma.async_copy %a[%c0] stride %c64, %tg[%c0] stride %c64 tile(%c64, %c8) : !devf, memref<64xf32, #enigma.address_space<threadgroup>>
  // CHECK: enigma.async_copy_wait %[[E]], %[[F]]
  enigma.async_copy_wait %e, %f
  enigma.return
}
