// RUN: enigma-translate --emit-cuda --emit-cuda-locations=false %s | FileCheck %s

// The CUDA kernel ABI (docs/cuda.md): an extern "C" __global__ function of
// the buffers as pointers (const when only read), the Scalars by value, and
// the EnigmaLaunch record last; threads beyond the Metal grid leave first.
// Thread queries are prelude functions of the launch record, and the types
// are C++'s (uint -> unsigned int, char -> signed char, half -> __half).

!devf = memref<?xf32, #enigma.address_space<device>>
!devh = memref<?xf16, #enigma.address_space<device>>
!devc = memref<?xi8, #enigma.address_space<device>>

// CHECK:      #include <cuda_fp16.h>
// CHECK:      struct EnigmaLaunch {
// CHECK:      // --- End of the Enigma CUDA prelude ---
// CHECK-EMPTY:
// CHECK-NEXT: extern "C" __global__ void saxpy(const float* x,
// CHECK-NEXT:                                  float* y,
// CHECK-NEXT:                                  const __half* h,
// CHECK-NEXT:                                  signed char* c,
// CHECK-NEXT:                                  float a,
// CHECK-NEXT:                                  unsigned int n,
// CHECK-NEXT:                                  EnigmaLaunch enigma_launch) {
// CHECK-NEXT:   if (!enigma_in_grid(enigma_launch)) return;
enigma.kernel @saxpy(%x: !devf {enigma.name = "x", enigma.dtype = "float"},
                     %y: !devf {enigma.name = "y", enigma.dtype = "float"},
                     %h: !devh {enigma.name = "h", enigma.dtype = "half"},
                     %c: !devc {enigma.name = "c", enigma.dtype = "char"},
                     %a: f32 {enigma.name = "a", enigma.dtype = "float"},
                     %n: i32 {enigma.name = "n", enigma.dtype = "uint"}) {
  // CHECK-NEXT: unsigned int v0 = enigma_thread_position_in_grid(enigma_launch).x;
  %tid = enigma.builtin thread_position_in_grid x : i32
  // CHECK-NEXT: unsigned int v1 = enigma_threads_per_threadgroup(enigma_launch).y;
  %tpt = enigma.builtin threads_per_threadgroup y : i32
  // CHECK-NEXT: unsigned int v2 = enigma_thread_index_in_simdgroup(enigma_launch);
  %lane = enigma.builtin thread_index_in_simdgroup : i32
  %i = arith.index_castui %tid : i32 to index
  // CHECK-NEXT: float v3 = x[v0];
  %xi = memref.load %x[%i] : !devf
  // CHECK-NEXT: float v4 = a * v3;
  %ax = arith.mulf %a, %xi : f32
  // CHECK-NEXT: __half v5 = h[v0];
  %hi = memref.load %h[%i] : !devh
  // CHECK-NEXT: float v6 = (float)(v5);
  %hf = arith.extf %hi : f16 to f32
  // CHECK-NEXT: float v7 = v4 + v6;
  %sum = arith.addf %ax, %hf : f32
  // CHECK-NEXT: y[v0] = v7;
  memref.store %sum, %y[%i] : !devf
  // CHECK-NEXT: __half v8 = v5 * __half(1.5f);
  %k = arith.constant 1.5 : f16
  %hk = arith.mulf %hi, %k : f16
  // CHECK-NEXT: signed char v9 = enigma_float_to_int<signed char>(v8);
  %ci = arith.fptosi %hk : f16 to i8
  // CHECK-NEXT: c[v0] = v9;
  memref.store %ci, %c[%i] : !devc
  enigma.return
}

// Parameters named like what the CUDA body reads (CUDA's built-in variables,
// the launch record) get a trailing `_`.
// CHECK-LABEL: extern "C" __global__ void rename(float threadIdx_,
// CHECK-NEXT:                                    float enigma_launch_,
// CHECK-NEXT:                                    EnigmaLaunch enigma_launch) {
enigma.kernel @rename(%t: f32 {enigma.name = "threadIdx", enigma.dtype = "float"},
                      %l: f32 {enigma.name = "enigma_launch", enigma.dtype = "float"}) {
  enigma.return
}
