// One case per verifier check of the simdgroup matrix ops: the 8x8 shape,
// the element type shared with the buffer or fill value, the buffer's
// address space, and the multiply-accumulate's input/accumulator types.
// RUN: enigma-opt %s -split-input-file -verify-diagnostics

enigma.kernel @fill_4x4(%x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  // expected-error @+1 {{needs an 8x8 simdgroup matrix (Metal's simdgroup_float8x8 and kin), got 'vector<4x4xf32>'}}
  %0 = enigma.simdgroup_matrix_fill %x : f32 -> vector<4x4xf32>
  enigma.return
}

// -----

enigma.kernel @fill_mixed(%x: f16 {enigma.name = "x", enigma.dtype = "half"}) {
  // expected-error @+1 {{fills a matrix of 'f32' with a 'f16' value}}
  %0 = enigma.simdgroup_matrix_fill %x : f16 -> vector<8x8xf32>
  enigma.return
}

// -----

enigma.kernel @int_matrix(%x: i32 {enigma.name = "x", enigma.dtype = "int"}) {
  // expected-error @+1 {{operand #0 must be floating-point}}
  %0 = "enigma.simdgroup_matrix_fill"(%x) : (i32) -> vector<8x8xi32>
  enigma.return
}

// -----

enigma.kernel @load_wrong_element(%a: memref<?xf16, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "half"}) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{moves 'f32' elements, but the buffer holds 'f16'}}
  %0 = enigma.simdgroup_matrix_load %a[%c0] stride %c0 origin(%c0, %c0) : memref<?xf16, #enigma.address_space<device>> -> vector<8x8xf32>
  enigma.return
}

// -----

enigma.kernel @store_thread_array(%x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  %m = enigma.simdgroup_matrix_fill %x : f32 -> vector<8x8xf32>
  %t = memref.alloca() : memref<64xf32>
  // expected-error @+1 {{needs a 1-D device buffer or threadgroup array, got 'memref<64xf32>'}}
  enigma.simdgroup_matrix_store %m, %t[%c0] stride %c0 origin(%c0, %c0) : vector<8x8xf32>, memref<64xf32>
  enigma.return
}

// -----

enigma.kernel @multiply_mixed(%x: f32 {enigma.name = "x", enigma.dtype = "float"},
                              %y: f16 {enigma.name = "y", enigma.dtype = "half"}) {
  %m = enigma.simdgroup_matrix_fill %x : f32 -> vector<8x8xf32>
  %h = enigma.simdgroup_matrix_fill %y : f16 -> vector<8x8xf16>
  // expected-error @+1 {{'enigma.simdgroup_multiply_accumulate' op failed to verify that all of {a, b} have same type}}
  %d = "enigma.simdgroup_multiply_accumulate"(%m, %h, %m) : (vector<8x8xf32>, vector<8x8xf16>, vector<8x8xf32>) -> vector<8x8xf32>
  enigma.return
}

// -----

enigma.kernel @accumulate_mismatch(%y: f16 {enigma.name = "y", enigma.dtype = "half"},
                                   %x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  %h = enigma.simdgroup_matrix_fill %y : f16 -> vector<8x8xf16>
  %m = enigma.simdgroup_matrix_fill %x : f32 -> vector<8x8xf32>
  // expected-error @+1 {{'enigma.simdgroup_multiply_accumulate' op failed to verify that all of {c, result} have same type}}
  %d = "enigma.simdgroup_multiply_accumulate"(%h, %h, %m) : (vector<8x8xf16>, vector<8x8xf16>, vector<8x8xf32>) -> vector<8x8xf16>
  enigma.return
}

// -----

enigma.kernel @accumulate_narrower(%x: f32 {enigma.name = "x", enigma.dtype = "float"},
                                   %y: f16 {enigma.name = "y", enigma.dtype = "half"}) {
  %m = enigma.simdgroup_matrix_fill %x : f32 -> vector<8x8xf32>
  %h = enigma.simdgroup_matrix_fill %y : f16 -> vector<8x8xf16>
  // expected-error @+1 {{multiplies 'f32' matrices into a 'f16' accumulator; the accumulator must have the inputs' type, or be f32 with f16 or bf16 inputs}}
  %d = enigma.simdgroup_multiply_accumulate %m, %m, %h : vector<8x8xf32> -> vector<8x8xf16>
  enigma.return
}

// -----

enigma.kernel @accumulate_half_into_bfloat(%y: f16 {enigma.name = "y", enigma.dtype = "half"},
                                           %z: bf16 {enigma.name = "z", enigma.dtype = "bfloat"}) {
  %h = enigma.simdgroup_matrix_fill %y : f16 -> vector<8x8xf16>
  %b = enigma.simdgroup_matrix_fill %z : bf16 -> vector<8x8xbf16>
  // expected-error @+1 {{multiplies 'f16' matrices into a 'bf16' accumulator}}
  %d = enigma.simdgroup_multiply_accumulate %h, %h, %b : vector<8x8xf16> -> vector<8x8xbf16>
  enigma.return
}

// -----

enigma.kernel @copy_device_to_device(%a: memref<?xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{copies between a 1-D device buffer and a threadgroup array, got 'memref<?xf32, #enigma.address_space<device>>' to 'memref<?xf32, #enigma.address_space<device>>'}}
  %e = enigma.async_copy %a[%c0] stride %c0, %a[%c0] stride %c0 tile(%c0, %c0) : memref<?xf32, #enigma.address_space<device>>, memref<?xf32, #enigma.address_space<device>>
  enigma.return
}

// -----

enigma.kernel @copy_mixed_types(%a: memref<?xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  %tg = enigma.threadgroup_alloc "half" : memref<8xf16, #enigma.address_space<threadgroup>>
  // expected-error @+1 {{copies 'f32' elements into a buffer of 'f16'}}
  %e = enigma.async_copy %tg[%c0] stride %c0, %a[%c0] stride %c0 tile(%c0, %c0) : memref<8xf16, #enigma.address_space<threadgroup>>, memref<?xf32, #enigma.address_space<device>>
  enigma.return
}

// -----

enigma.kernel @wait_for_value(%x: f32 {enigma.name = "x", enigma.dtype = "float"}) {
  // expected-error @+1 {{operand #0 must be variadic of the handle of a SIMD-group async copy}}
  "enigma.async_copy_wait"(%x) : (f32) -> ()
  enigma.return
}
