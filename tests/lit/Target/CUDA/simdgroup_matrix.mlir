// RUN: enigma-translate --emit-cuda --emit-cuda-locations=false %s | FileCheck %s

// Simdgroup matrices print Metal's names after the CUDA table's prefix
// `enigma_`: the prelude's warp-cooperative matrices (two elements a lane).
// Loops and ifs carry them in variables, assigned whole. Half inputs with a
// float accumulator print the same call (the prelude's template takes both).

// CHECK-LABEL: extern "C" __global__ void matrices(float* a,
// CHECK-NEXT: unsigned int k,
// CHECK-NEXT: EnigmaLaunch enigma_launch) {
// CHECK-NEXT: __shared__ __align__(16) __half tg0[64];
// CHECK-NEXT: if (!enigma_in_grid(enigma_launch)) return;
// CHECK-NEXT: enigma_simdgroup_float8x8 v0 = enigma_make_filled_simdgroup_matrix<float, 8, 8>(0.0f);
// CHECK-NEXT: enigma_simdgroup_float8x8 v1;
// CHECK-NEXT: enigma_simdgroup_load(v1, a, 64u, enigma_ulong2(k, 8u));
// CHECK-NEXT: enigma_simdgroup_float8x8 v2;
// CHECK-NEXT: enigma_simdgroup_load(v2, a + k, 64u, enigma_ulong2(0u, 0u), true);
// CHECK-NEXT: enigma_simdgroup_float8x8 v3;
// CHECK-NEXT: enigma_simdgroup_multiply_accumulate(v3, v1, v2, v0);
// CHECK-NEXT: enigma_simdgroup_store(v3, a, 64u, enigma_ulong2(8u, k));
// CHECK-NEXT: enigma_simdgroup___half8x8 v4;
// CHECK-NEXT: enigma_simdgroup_load(v4, tg0, 8u, enigma_ulong2(0u, 0u));
// CHECK-NEXT: enigma_simdgroup_store(v4, tg0, 8u, enigma_ulong2(0u, 0u), true);
// CHECK-NEXT: enigma_simdgroup_float8x8 v5;
// CHECK-NEXT: enigma_simdgroup_multiply_accumulate(v5, v4, v4, v3);
// CHECK-NEXT: enigma_simdgroup_store(v5, a, 64u, enigma_ulong2(0u, 0u));
// CHECK-NEXT: }
// CHECK-LABEL: extern "C" __global__ void carried(float* a,
// CHECK-NEXT: int n,
// CHECK-NEXT: EnigmaLaunch enigma_launch) {
// CHECK-NEXT: if (!enigma_in_grid(enigma_launch)) return;
// CHECK-NEXT: enigma_simdgroup_float8x8 v0 = enigma_make_filled_simdgroup_matrix<float, 8, 8>(0.0f);
// CHECK-NEXT: enigma_simdgroup_float8x8 v1 = v0;
// CHECK-NEXT: enigma_simdgroup_float8x8 v2 = v0;
// CHECK-NEXT: for (int v3 = 0; v3 < n; v3 += 8) {
// CHECK-NEXT: enigma_simdgroup_float8x8 v4;
// CHECK-NEXT: enigma_simdgroup_load(v4, a, 8u, enigma_ulong2((unsigned int)(v3), 0u));
// CHECK-NEXT: enigma_simdgroup_float8x8 v5;
// CHECK-NEXT: enigma_simdgroup_multiply_accumulate(v5, v4, v4, v1);
// CHECK-NEXT: enigma_simdgroup_float8x8 v6 = v1;
// CHECK-NEXT: v1 = v5;
// CHECK-NEXT: v2 = v6;
// CHECK-NEXT: }
// CHECK-NEXT: bool v7 = n > 0;
// CHECK-NEXT: enigma_simdgroup_float8x8 v8;
// CHECK-NEXT: if (v7) {
// CHECK-NEXT: v8 = v1;
// CHECK-NEXT: } else {
// CHECK-NEXT: v8 = v2;
// CHECK-NEXT: }
// CHECK-NEXT: enigma_simdgroup_store(v8, a, 8u, enigma_ulong2(0u, 0u));
// CHECK-NEXT: }

!devf = memref<?xf32, #enigma.address_space<device>>
!tgh = memref<64xf16, #enigma.address_space<threadgroup>>

enigma.kernel @matrices(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                        %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  %tg = enigma.threadgroup_alloc "half" : !tgh
  %c0 = arith.constant 0 : i32
  %c8 = arith.constant 8 : i32
  %c64 = arith.constant 64 : i32
  %i0 = arith.index_castui %c0 : i32 to index
  %i8 = arith.index_castui %c8 : i32 to index
  %i64 = arith.index_castui %c64 : i32 to index
  %ik = arith.index_castui %k : i32 to index
  %zero = arith.constant 0.0 : f32
  %f = enigma.simdgroup_matrix_fill %zero : f32 -> vector<8x8xf32>
  %m = enigma.simdgroup_matrix_load %a[%i0] stride %i64 origin(%ik, %i8) : !devf -> vector<8x8xf32>
  %n = enigma.simdgroup_matrix_load %a[%ik] stride %i64 origin(%i0, %i0) transpose : !devf -> vector<8x8xf32>
  %d = enigma.simdgroup_multiply_accumulate %m, %n, %f : vector<8x8xf32> -> vector<8x8xf32>
  enigma.simdgroup_matrix_store %d, %a[%i0] stride %i64 origin(%i8, %ik) : vector<8x8xf32>, !devf
  %h = enigma.simdgroup_matrix_load %tg[%i0] stride %i8 origin(%i0, %i0) : !tgh -> vector<8x8xf16>
  enigma.simdgroup_matrix_store %h, %tg[%i0] stride %i8 origin(%i0, %i0) transpose : vector<8x8xf16>, !tgh
  %hd = enigma.simdgroup_multiply_accumulate %h, %h, %d : vector<8x8xf16> -> vector<8x8xf32>
  enigma.simdgroup_matrix_store %hd, %a[%i0] stride %i64 origin(%i0, %i0) : vector<8x8xf32>, !devf
  enigma.return
}


enigma.kernel @carried(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                       %n: i32 {enigma.name = "n", enigma.dtype = "int"}) {
  %c0 = arith.constant 0 : i32
  %c8 = arith.constant 8 : i32
  %i0 = arith.index_castui %c0 : i32 to index
  %i8 = arith.index_castui %c8 : i32 to index
  %zero = arith.constant 0.0 : f32
  %f = enigma.simdgroup_matrix_fill %zero : f32 -> vector<8x8xf32>
  %r:2 = scf.for %k = %c0 to %n step %c8 iter_args(%acc = %f, %prev = %f) -> (vector<8x8xf32>, vector<8x8xf32>) : i32 {
    %ik = arith.index_castui %k : i32 to index
    %x = enigma.simdgroup_matrix_load %a[%i0] stride %i8 origin(%ik, %i0) : !devf -> vector<8x8xf32>
    %d = enigma.simdgroup_multiply_accumulate %x, %x, %acc : vector<8x8xf32> -> vector<8x8xf32>
    scf.yield %d, %acc : vector<8x8xf32>, vector<8x8xf32>
  }
  %positive = arith.cmpi sgt, %n, %c0 : i32
  %pick = scf.if %positive -> (vector<8x8xf32>) {
    scf.yield %r#0 : vector<8x8xf32>
  } else {
    scf.yield %r#1 : vector<8x8xf32>
  }
  enigma.simdgroup_matrix_store %pick, %a[%i0] stride %i8 origin(%i0, %i0) : vector<8x8xf32>, !devf
  enigma.return
}
