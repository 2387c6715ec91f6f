// RUN: enigma-translate --emit-msl %s | FileCheck %s

// Simdgroup matrices print as Metal's simdgroup_<T>8x8 variables with
// simdgroup_load/_store (pointer plus offset, elements per row,
// ulong2(col, row), `true` when transposed), make_filled_simdgroup_matrix
// and simdgroup_multiply_accumulate.

!devf = memref<?xf32, #enigma.address_space<device>>
!tgh = memref<64xf16, #enigma.address_space<threadgroup>>

// CHECK-LABEL: kernel void matrices(
enigma.kernel @matrices(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                        %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  // CHECK: threadgroup half tg0[64];
  %tg = enigma.threadgroup_alloc "half" : !tgh
  %c0 = arith.constant 0 : i32
  %c8 = arith.constant 8 : i32
  %c64 = arith.constant 64 : i32
  %i0 = arith.index_castui %c0 : i32 to index
  %i8 = arith.index_castui %c8 : i32 to index
  %i64 = arith.index_castui %c64 : i32 to index
  %ik = arith.index_castui %k : i32 to index
  %zero = arith.constant 0.0 : f32
  // CHECK: simdgroup_float8x8 [[F:v[0-9]+]] = make_filled_simdgroup_matrix<float, 8, 8>(0.0f);
  %f = enigma.simdgroup_matrix_fill %zero : f32 -> vector<8x8xf32>
  // CHECK: simdgroup_float8x8 [[M:v[0-9]+]];
  // CHECK-NEXT: simdgroup_load([[M]], a, 64u, ulong2(k, 8u));
  %m = enigma.simdgroup_matrix_load %a[%i0] stride %i64 origin(%ik, %i8) : !devf -> vector<8x8xf32>
  // CHECK: simdgroup_float8x8 [[N:v[0-9]+]];
  // CHECK-NEXT: simdgroup_load([[N]], a + k, 64u, ulong2(0u, 0u), true);
  %n = enigma.simdgroup_matrix_load %a[%ik] stride %i64 origin(%i0, %i0) transpose : !devf -> vector<8x8xf32>
  // CHECK: simdgroup_float8x8 [[D:v[0-9]+]];
  // CHECK-NEXT: simdgroup_multiply_accumulate([[D]], [[M]], [[N]], [[F]]);
  %d = enigma.simdgroup_multiply_accumulate %m, %n, %f : vector<8x8xf32>
  // CHECK: simdgroup_store([[D]], a, 64u, ulong2(8u, k));
  enigma.simdgroup_matrix_store %d, %a[%i0] stride %i64 origin(%i8, %ik) : vector<8x8xf32>, !devf
  // CHECK: simdgroup_half8x8 [[H:v[0-9]+]];
  // CHECK-NEXT: simdgroup_load([[H]], tg0, 8u, ulong2(0u, 0u));
  %h = enigma.simdgroup_matrix_load %tg[%i0] stride %i8 origin(%i0, %i0) : !tgh -> vector<8x8xf16>
  // CHECK: simdgroup_store([[H]], tg0, 8u, ulong2(0u, 0u), true);
  enigma.simdgroup_matrix_store %h, %tg[%i0] stride %i8 origin(%i0, %i0) transpose : vector<8x8xf16>, !tgh
  enigma.return
}
