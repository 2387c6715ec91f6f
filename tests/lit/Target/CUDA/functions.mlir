// RUN: enigma-translate --emit-cuda --emit-cuda-locations=false %s | FileCheck %s

// Math, integer, SIMD-group functions and atomics print as the prelude's
// enigma_ overloads (one spelling for float, half and bfloat); atomics as
// CUDA's on the element's address, with fences for acquire/release; function
// constants as values the runtime defines for NVRTC.

!devf = memref<?xf32, #enigma.address_space<device>>
!devu = memref<?xi32, #enigma.address_space<device>>
!tgu = memref<64xi32, #enigma.address_space<threadgroup>>

// CHECK:      #ifndef ENIGMA_FUNCTION_CONSTANT_3
// CHECK-NEXT: #error "function constant 3 (`fc3`) needs a value: define ENIGMA_FUNCTION_CONSTANT_3"
// CHECK-NEXT: #endif
// CHECK-NEXT: #define fc3 ((float)(ENIGMA_FUNCTION_CONSTANT_3))
// CHECK-LABEL: extern "C" __global__ void calls(
enigma.kernel @calls(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                     %u: !devu {enigma.name = "u", enigma.dtype = "uint"}) {
  %tg = enigma.threadgroup_alloc "uint" : !tgu
  %scale = enigma.function_constant 3 "fc3" "float" : f32
  %lane = enigma.builtin thread_index_in_simdgroup : i32
  %i = arith.index_castui %lane : i32 to index
  %c0 = arith.constant 0 : index
  %one = arith.constant 1 : i32
  // CHECK: float [[X:v[0-9]+]] = a[
  %x = memref.load %a[%i] : !devf
  // CHECK: float {{v[0-9]+}} = enigma_sqrt([[X]]);
  %s = math.sqrt %x : f32
  // CHECK: float {{v[0-9]+}} = enigma_round([[X]]);
  %r = math.round %x : f32
  // CHECK: float {{v[0-9]+}} = enigma_fma([[X]], [[X]], fc3);
  %f = math.fma %x, %x, %scale : f32
  // CHECK: float {{v[0-9]+}} = enigma_simd_sum([[X]]);
  %sum = enigma.simd_reduce simdgroup sum %x : f32
  // CHECK: float {{v[0-9]+}} = enigma_quad_prefix_inclusive_sum([[X]]);
  %scan = enigma.simd_reduce quadgroup prefix_inclusive_sum %x : f32
  // CHECK: unsigned int {{v[0-9]+}} = enigma_popcount(v0);
  %pop = math.ctpop %lane : i32
  // CHECK: unsigned int {{v[0-9]+}} = atomicAdd(&u[0], 1u);
  %old = enigma.atomic_rmw add relaxed %one, %u[%c0] : !devu
  // CHECK:      __threadfence();
  // CHECK-NEXT: enigma_atomic_store(&u[v0], 1u);
  enigma.atomic_store release %one, %u[%i] : !devu
  // CHECK: unsigned int {{v[0-9]+}} = atomicMax(&tg0[0], 1u);
  %m = enigma.atomic_rmw maxu relaxed %one, %tg[%c0] : !tgu
  // CHECK-NEXT: unsigned int {{v[0-9]+}} = enigma_atomic_load(&tg0[0]);
  // CHECK-NEXT: __threadfence_block();
  %l = enigma.atomic_load acquire %tg[%c0] : !tgu
  enigma.return
}
