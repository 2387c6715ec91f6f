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
  // CHECK: alignas(16) threadgroup half tg0[64];
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
  %d = enigma.simdgroup_multiply_accumulate %m, %n, %f : vector<8x8xf32> -> vector<8x8xf32>
  // CHECK: simdgroup_store([[D]], a, 64u, ulong2(8u, k));
  enigma.simdgroup_matrix_store %d, %a[%i0] stride %i64 origin(%i8, %ik) : vector<8x8xf32>, !devf
  // CHECK: simdgroup_half8x8 [[H:v[0-9]+]];
  // CHECK-NEXT: simdgroup_load([[H]], tg0, 8u, ulong2(0u, 0u));
  %h = enigma.simdgroup_matrix_load %tg[%i0] stride %i8 origin(%i0, %i0) : !tgh -> vector<8x8xf16>
  // CHECK: simdgroup_store([[H]], tg0, 8u, ulong2(0u, 0u), true);
  enigma.simdgroup_matrix_store %h, %tg[%i0] stride %i8 origin(%i0, %i0) transpose : vector<8x8xf16>, !tgh
  // Half inputs into a float accumulator: Metal's mixed overload, same call.
  // CHECK: simdgroup_float8x8 [[HD:v[0-9]+]];
  // CHECK-NEXT: simdgroup_multiply_accumulate([[HD]], [[H]], [[H]], [[D]]);
  %hd = enigma.simdgroup_multiply_accumulate %h, %h, %d : vector<8x8xf16> -> vector<8x8xf32>
  // CHECK: simdgroup_store([[HD]], a, 64u, ulong2(0u, 0u));
  enigma.simdgroup_matrix_store %hd, %a[%i0] stride %i64 origin(%i0, %i0) : vector<8x8xf32>, !devf
  enigma.return
}

// A matrix carried by a loop (the GEMM K loop) is a simdgroup_float8x8
// variable initialized before the loop and reassigned at its yield; a yield
// that reads a variable it also overwrites copies it first; an scf.if
// result is a variable assigned in each branch.

// CHECK-LABEL: kernel void carried(
enigma.kernel @carried(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                       %n: i32 {enigma.name = "n", enigma.dtype = "int"}) {
  %c0 = arith.constant 0 : i32
  %c8 = arith.constant 8 : i32
  %i0 = arith.index_castui %c0 : i32 to index
  %i8 = arith.index_castui %c8 : i32 to index
  %zero = arith.constant 0.0 : f32
  // CHECK: simdgroup_float8x8 [[F:v[0-9]+]] = make_filled_simdgroup_matrix<float, 8, 8>(0.0f);
  %f = enigma.simdgroup_matrix_fill %zero : f32 -> vector<8x8xf32>
  // CHECK: simdgroup_float8x8 [[ACC:v[0-9]+]] = [[F]];
  // CHECK-NEXT: simdgroup_float8x8 [[PREV:v[0-9]+]] = [[F]];
  // CHECK-NEXT: for (int [[K:v[0-9]+]] = 0; [[K]] < n; [[K]] += 8) {
  %r:2 = scf.for %k = %c0 to %n step %c8 iter_args(%acc = %f, %prev = %f) -> (vector<8x8xf32>, vector<8x8xf32>) : i32 {
    %ik = arith.index_castui %k : i32 to index
    // CHECK: simdgroup_load([[X:v[0-9]+]], a, 8u, ulong2(uint([[K]]), 0u));
    %x = enigma.simdgroup_matrix_load %a[%i0] stride %i8 origin(%ik, %i0) : !devf -> vector<8x8xf32>
    // CHECK: simdgroup_multiply_accumulate([[D:v[0-9]+]], [[X]], [[X]], [[ACC]]);
    %d = enigma.simdgroup_multiply_accumulate %x, %x, %acc : vector<8x8xf32> -> vector<8x8xf32>
    // CHECK-NEXT: simdgroup_float8x8 [[COPY:v[0-9]+]] = [[ACC]];
    // CHECK-NEXT: [[ACC]] = [[D]];
    // CHECK-NEXT: [[PREV]] = [[COPY]];
    // CHECK-NEXT: }
    scf.yield %d, %acc : vector<8x8xf32>, vector<8x8xf32>
  }
  %positive = arith.cmpi sgt, %n, %c0 : i32
  // CHECK: simdgroup_float8x8 [[PICK:v[0-9]+]];
  // CHECK-NEXT: if (
  // CHECK-NEXT: [[PICK]] = [[ACC]];
  // CHECK-NEXT: } else {
  // CHECK-NEXT: [[PICK]] = [[PREV]];
  %pick = scf.if %positive -> (vector<8x8xf32>) {
    scf.yield %r#0 : vector<8x8xf32>
  } else {
    scf.yield %r#1 : vector<8x8xf32>
  }
  // CHECK: simdgroup_store([[PICK]], a, 8u, ulong2(0u, 0u));
  enigma.simdgroup_matrix_store %pick, %a[%i0] stride %i8 origin(%i0, %i0) : vector<8x8xf32>, !devf
  enigma.return
}
