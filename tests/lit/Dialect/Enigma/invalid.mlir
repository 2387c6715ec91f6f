// One case per verifier check of the enigma ops; each message is the one a
// DSL user sees with their source line.
// RUN: enigma-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{kernel 'no_body' has no body}}
enigma.kernel @no_body(%n: i32 {enigma.name = "n", enigma.dtype = "int"})

// -----

// expected-error @+1 {{kernel 'returns' returns values; a kernel returns nothing}}
enigma.kernel @returns() -> i32 {
  enigma.return
}

// -----

// expected-error @+1 {{parameter #0 needs a string 'enigma.name' attribute}}
enigma.kernel @unnamed(%n: i32 {enigma.dtype = "int"}) {
  enigma.return
}

// -----

// expected-error @+1 {{parameter 'n' needs a string 'enigma.dtype' attribute}}
enigma.kernel @no_dtype(%n: i32 {enigma.name = "n"}) {
  enigma.return
}

// -----

// expected-error @+1 {{buffer parameter 'a' must have type memref<?xT, #enigma.address_space<device>>, got 'memref<16xf32, #enigma.address_space<device>>'}}
enigma.kernel @static_buffer(%a: memref<16xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"}) {
  enigma.return
}

// -----

// expected-error @+1 {{buffer parameter 'a' must have type memref<?xT, #enigma.address_space<device>>}}
enigma.kernel @no_address_space(%a: memref<?xf32> {enigma.name = "a", enigma.dtype = "float"}) {
  enigma.return
}

// -----

// expected-error @+1 {{buffer parameter 'a' must have type memref<?xT, #enigma.address_space<device>>}}
enigma.kernel @threadgroup_buffer(%a: memref<?xf32, #enigma.address_space<threadgroup>> {enigma.name = "a", enigma.dtype = "float"}) {
  enigma.return
}

// -----

// expected-error @+1 {{parameter 'x' has type 'f64', which is not a Metal scalar, vector or device buffer of them}}
enigma.kernel @double(%x: f64 {enigma.name = "x", enigma.dtype = "double"}) {
  enigma.return
}

// -----

// expected-error @+1 {{parameter 'v' has type 'vector<8xf32>', which is not a Metal scalar}}
enigma.kernel @wide_vector(%v: vector<8xf32> {enigma.name = "v", enigma.dtype = "float8"}) {
  enigma.return
}

// -----

// expected-error @+1 {{parameter 'n' has dtype 'float', which does not match its type 'i32'}}
enigma.kernel @dtype_mismatch(%n: i32 {enigma.name = "n", enigma.dtype = "float"}) {
  enigma.return
}

// -----

// expected-error @+1 {{parameter 'a' has dtype 'int', which does not match its type 'memref<?xi16, #enigma.address_space<device>>'}}
enigma.kernel @buffer_dtype_mismatch(%a: memref<?xi16, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "int"}) {
  enigma.return
}

// -----

// expected-error @+1 {{kernel 'twice' has two parameters named 'x'}}
enigma.kernel @twice(%x: i32 {enigma.name = "x", enigma.dtype = "int"}, %y: i32 {enigma.name = "x", enigma.dtype = "int"}) {
  enigma.return
}

// -----

// 8192 floats (32768 bytes) fit; one more uint3 (16 bytes, as a uint4) does not.
enigma.kernel @too_much_threadgroup_memory() {
  %a = enigma.threadgroup_alloc "float" : memref<8192xf32, #enigma.address_space<threadgroup>>
  // expected-error @+1 {{kernel 'too_much_threadgroup_memory' allocates 32784 bytes of threadgroup memory; Metal allows at most 32768 bytes per threadgroup}}
  %b = enigma.threadgroup_alloc "uint3" : memref<1xvector<3xi32>, #enigma.address_space<threadgroup>>
  enigma.return
}

// -----

func.func @return_outside_kernel() {
  // expected-error @+1 {{expects parent op 'enigma.kernel'}}
  enigma.return
}

// -----

enigma.kernel @missing_dim() {
  // expected-error @+1 {{thread_position_in_grid is a uint3 query: it needs a dim (x, y or z)}}
  %0 = enigma.builtin thread_position_in_grid : i32
  enigma.return
}

// -----

enigma.kernel @extra_dim() {
  // expected-error @+1 {{thread_index_in_simdgroup is a uint query: it takes no dim (got y)}}
  %0 = enigma.builtin thread_index_in_simdgroup y : i32
  enigma.return
}

// -----

func.func @builtin_outside_kernel() {
  // expected-error @+1 {{'enigma.builtin' can only be used inside an enigma.kernel}}
  %0 = enigma.builtin thread_index_in_threadgroup : i32
  return
}

// -----

func.func @barrier_outside_kernel() {
  // expected-error @+1 {{'enigma.threadgroup_barrier' can only be used inside an enigma.kernel}}
  enigma.threadgroup_barrier mem_threadgroup
  return
}

// -----

func.func @simd_barrier_outside_kernel() {
  // expected-error @+1 {{'enigma.simdgroup_barrier' can only be used inside an enigma.kernel}}
  enigma.simdgroup_barrier mem_none
  return
}

// -----

func.func @alloc_outside_kernel() {
  // expected-error @+1 {{'enigma.threadgroup_alloc' can only be used inside an enigma.kernel}}
  %0 = enigma.threadgroup_alloc "float" : memref<4xf32, #enigma.address_space<threadgroup>>
  return
}

// -----

enigma.kernel @alloc_2d() {
  // expected-error @+1 {{threadgroup_alloc needs a positive number of elements and a 1-D array, got 'memref<4x4xf32, #enigma.address_space<threadgroup>>'}}
  %0 = enigma.threadgroup_alloc "float" : memref<4x4xf32, #enigma.address_space<threadgroup>>
  enigma.return
}

// -----

enigma.kernel @alloc_empty() {
  // expected-error @+1 {{threadgroup_alloc needs a positive number of elements}}
  %0 = enigma.threadgroup_alloc "float" : memref<0xf32, #enigma.address_space<threadgroup>>
  enigma.return
}

// -----

enigma.kernel @alloc_dynamic() {
  // expected-error @+1 {{must be statically shaped memref of any type values}}
  %0 = enigma.threadgroup_alloc "float" : memref<?xf32, #enigma.address_space<threadgroup>>
  enigma.return
}

// -----

enigma.kernel @alloc_device() {
  // expected-error @+1 {{threadgroup_alloc must return memory in #enigma.address_space<threadgroup>, got 'memref<4xf32, #enigma.address_space<device>>'}}
  %0 = enigma.threadgroup_alloc "float" : memref<4xf32, #enigma.address_space<device>>
  enigma.return
}

// -----

enigma.kernel @alloc_double() {
  // expected-error @+1 {{threadgroup_alloc element type 'f64' is not a Metal scalar or vector type}}
  %0 = enigma.threadgroup_alloc "double" : memref<4xf64, #enigma.address_space<threadgroup>>
  enigma.return
}

// -----

enigma.kernel @alloc_dtype_mismatch() {
  // expected-error @+1 {{threadgroup_alloc dtype 'half' does not match its element type 'f32'}}
  %0 = enigma.threadgroup_alloc "half" : memref<4xf32, #enigma.address_space<threadgroup>>
  enigma.return
}

// -----

enigma.kernel @math_arity(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{mix takes 3 operands, got 2}}
  %0 = enigma.math mix(%f, %f) : (f32, f32) -> f32
  enigma.return
}

// -----

enigma.kernel @math_class(%i: i32 {enigma.name = "i", enigma.dtype = "int"}) {
  // expected-error @+1 {{fract cannot take a value of type 'i32'}}
  %0 = enigma.math fract(%i) : (i32) -> i32
  enigma.return
}

// -----

enigma.kernel @math_mixed(%f: f32 {enigma.name = "f", enigma.dtype = "float"},
                          %h: f16 {enigma.name = "h", enigma.dtype = "half"}) {
  // expected-error @+1 {{the operands of step must have one type, got 'f32' and 'f16'}}
  %0 = enigma.math step(%f, %h) : (f32, f16) -> f32
  enigma.return
}

// -----

enigma.kernel @math_offset(%l: i64 {enigma.name = "l", enigma.dtype = "long"}) {
  // expected-error @+1 {{the offset and bit count of extract_bits are uint (i32), got 'i64'}}
  %0 = enigma.math extract_bits(%l, %l, %l) : (i64, i64, i64) -> i64
  enigma.return
}

// -----

enigma.kernel @math_unsigned_float(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{'unsigned' only applies to integer operands}}
  %0 = enigma.math clamp(%f, %f, %f) unsigned : (f32, f32, f32) -> f32
  enigma.return
}

// -----

enigma.kernel @math_result(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{signbit of 'f32' returns 'i1', not 'f32'}}
  %0 = enigma.math signbit(%f) : (f32) -> f32
  enigma.return
}
