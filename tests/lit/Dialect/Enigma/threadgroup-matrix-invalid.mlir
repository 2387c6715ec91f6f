// One case per verifier check of the threadgroup matrix ops: the shape (R
// in {64, 128}, C in {64, 128, 256}, f32), half or bfloat device inputs,
// a float, half or bfloat device destination, and one R per kernel.
// RUN: enigma-opt %s -split-input-file -verify-diagnostics

enigma.kernel @fill_8x8(%x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  // expected-error @+1 {{needs a threadgroup matrix of 64 or 128 rows and 64, 128 or 256 columns, got 'vector<32x64xf32>'}}
  %0 = enigma.threadgroup_matrix_fill %x : f32 -> vector<32x64xf32>
  enigma.return
}

// -----

enigma.kernel @fill_wide(%x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  // expected-error @+1 {{got 'vector<128x512xf32>'}}
  %0 = enigma.threadgroup_matrix_fill %x : f32 -> vector<128x512xf32>
  enigma.return
}

// -----

enigma.kernel @half_matrix(%x: f16 {enigma.name = "x", enigma.dtype = "half"}) {
  // expected-error @+1 {{operand #0 must be 32-bit float}}
  %0 = "enigma.threadgroup_matrix_fill"(%x) : (f16) -> vector<128x128xf16>
  enigma.return
}

// -----

enigma.kernel @mixed_rows(%x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  %0 = enigma.threadgroup_matrix_fill %x : f32 -> vector<128x128xf32>
  // expected-error @+1 {{makes a 64-row threadgroup matrix in a kernel whose first threadgroup matrix has 128 rows; a kernel runs with 2 * rows + 128 threads, so all its threadgroup matrices need the same rows}}
  %1 = enigma.threadgroup_matrix_fill %x : f32 -> vector<64x128xf32>
  enigma.return
}

// -----

!devf = memref<?xf32, #enigma.address_space<device>>
enigma.kernel @float_inputs(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                            %x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  %m = enigma.threadgroup_matrix_fill %x : f32 -> vector<64x64xf32>
  // expected-error @+1 {{needs a of f16 or bf16 (tensor-core inputs are half or bfloat), got 'f32'}}
  %d = enigma.threadgroup_multiply_accumulate %a[%c0] stride %c0 rows %c0, %a[%c0] stride %c0 cols %c0, k %c0, %m, thread %c0 : !devf -> vector<64x64xf32>
  enigma.return
}

// -----

!tgb = memref<4096xbf16, #enigma.address_space<threadgroup>>
enigma.kernel @threadgroup_inputs(%x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  %tg = enigma.threadgroup_alloc "bfloat" : !tgb
  %m = enigma.threadgroup_matrix_fill %x : f32 -> vector<64x64xf32>
  // expected-error @+1 {{needs a in a 1-D device buffer, got 'memref<4096xbf16, #enigma.address_space<threadgroup>>'}}
  %d = enigma.threadgroup_multiply_accumulate %tg[%c0] stride %c0 rows %c0, %tg[%c0] stride %c0 cols %c0, k %c0, %m, thread %c0 : !tgb -> vector<64x64xf32>
  enigma.return
}

// -----

!devb = memref<?xbf16, #enigma.address_space<device>>
!devh = memref<?xf16, #enigma.address_space<device>>
enigma.kernel @mixed_inputs(%a: !devb {enigma.name = "a", enigma.dtype = "bfloat"},
                            %b: !devh {enigma.name = "b", enigma.dtype = "half"},
                            %x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  %m = enigma.threadgroup_matrix_fill %x : f32 -> vector<64x64xf32>
  // expected-error @+1 {{all of {a, b} have same type}}
  %d = "enigma.threadgroup_multiply_accumulate"(%a, %c0, %c0, %c0, %b, %c0, %c0, %c0, %c0, %m, %c0) : (!devb, index, index, index, !devh, index, index, index, index, vector<64x64xf32>, index) -> vector<64x64xf32>
  enigma.return
}

// -----

!devi = memref<?xi32, #enigma.address_space<device>>
enigma.kernel @int_destination(%c: !devi {enigma.name = "c", enigma.dtype = "int"},
                               %x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  %m = enigma.threadgroup_matrix_fill %x : f32 -> vector<64x64xf32>
  // expected-error @+1 {{needs the destination of f32, f16 or bf16, got 'i32'}}
  enigma.threadgroup_matrix_store %m, %c[%c0] stride %c0 extent(%c0, %c0), thread %c0 : vector<64x64xf32>, !devi
  enigma.return
}

// -----

func.func @outside(%x: f32) {
  // expected-error @+1 {{}}
  %0 = enigma.threadgroup_matrix_fill %x : f32 -> vector<64x64xf32>
  return
}
