// One case per verifier check of the atomic and function-constant ops.
// RUN: enigma-opt %s -split-input-file -verify-diagnostics

enigma.kernel @half_atomic(%h: memref<?xf16, #enigma.address_space<device>> {enigma.name = "h", enigma.dtype = "half"}) {
  %i = arith.constant 0 : index
  %x = arith.constant 1.0 : f16
  // expected-error @+1 {{atomics need 32-bit integer or float elements (Metal's atomic_int, atomic_uint, atomic_float), got 'f16'}}
  %0 = enigma.atomic_rmw add relaxed %x, %h[%i] : memref<?xf16, #enigma.address_space<device>>
  enigma.return
}

// -----

enigma.kernel @float_min(%f: memref<?xf32, #enigma.address_space<device>> {enigma.name = "f", enigma.dtype = "float"}) {
  %i = arith.constant 0 : index
  %x = arith.constant 1.0 : f32
  // expected-error @+1 {{Metal's atomic_float supports load, store, exchange, add and sub only}}
  %0 = enigma.atomic_rmw mins relaxed %x, %f[%i] : memref<?xf32, #enigma.address_space<device>>
  enigma.return
}

// -----

enigma.kernel @float_cas(%f: memref<?xf32, #enigma.address_space<device>> {enigma.name = "f", enigma.dtype = "float"}) {
  %i = arith.constant 0 : index
  %x = arith.constant 1.0 : f32
  // expected-error @+1 {{Metal's atomic_float supports load, store, exchange, add and sub only}}
  %0, %1 = enigma.atomic_compare_exchange_weak relaxed %f[%i], %x, %x : memref<?xf32, #enigma.address_space<device>>
  enigma.return
}

// -----

enigma.kernel @float_threadgroup() {
  %tg = enigma.threadgroup_alloc "float" : memref<4xf32, #enigma.address_space<threadgroup>>
  %i = arith.constant 0 : index
  %x = arith.constant 1.0 : f32
  // expected-error @+1 {{Metal has no float atomics in threadgroup memory}}
  %0 = enigma.atomic_rmw add relaxed %x, %tg[%i] : memref<4xf32, #enigma.address_space<threadgroup>>
  enigma.return
}

// -----

enigma.kernel @signedness(%u: memref<?xi32, #enigma.address_space<device>> {enigma.name = "u", enigma.dtype = "uint"}) {
  %i = arith.constant 0 : index
  %x = arith.constant 1 : i32
  // expected-error @+1 {{atomic mins on a buffer of 'uint' compares with the other signedness}}
  %0 = enigma.atomic_rmw mins relaxed %x, %u[%i] : memref<?xi32, #enigma.address_space<device>>
  enigma.return
}

// -----

enigma.kernel @release_load(%u: memref<?xi32, #enigma.address_space<device>> {enigma.name = "u", enigma.dtype = "uint"}) {
  %i = arith.constant 0 : index
  // expected-error @+1 {{an atomic load is relaxed or acquire, not release}}
  %0 = enigma.atomic_load release %u[%i] : memref<?xi32, #enigma.address_space<device>>
  enigma.return
}

// -----

enigma.kernel @acquire_store(%u: memref<?xi32, #enigma.address_space<device>> {enigma.name = "u", enigma.dtype = "uint"}) {
  %i = arith.constant 0 : index
  %x = arith.constant 1 : i32
  // expected-error @+1 {{an atomic store is relaxed or release, not acq_rel}}
  enigma.atomic_store acq_rel %x, %u[%i] : memref<?xi32, #enigma.address_space<device>>
  enigma.return
}

// -----

func.func @outside(%u: memref<?xi32, #enigma.address_space<device>>) {
  %i = arith.constant 0 : index
  // expected-error @+1 {{'enigma.atomic_load' can only be used inside an enigma.kernel}}
  %0 = enigma.atomic_load relaxed %u[%i] : memref<?xi32, #enigma.address_space<device>>
  return
}

// -----

enigma.kernel @constant_dtype() {
  // expected-error @+1 {{function constant 0 has dtype 'float', which is not a Metal scalar of its type 'i32'}}
  %0 = enigma.function_constant 0 "fc0" "float" : i32
  enigma.return
}

// -----

enigma.kernel @constant_twice() {
  // expected-error @+1 {{function constant 1 ('fc1', uint) is declared differently elsewhere in the kernel}}
  %0 = enigma.function_constant 1 "fc1" "uint" : i32
  %1 = enigma.function_constant 1 "fc1" "int" : i32
  enigma.return
}

// -----

enigma.kernel @constant_name() {
  // expected-error @+1 {{function constant name '2x' is not an identifier}}
  %0 = enigma.function_constant 2 "2x" "uint" : i32
  enigma.return
}
