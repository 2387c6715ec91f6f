// RUN: enigma-translate --emit-cuda --emit-cuda-locations=false %s | FileCheck %s

// Threadgroup arrays are __shared__ arrays, declared before the grid guard;
// every threadgroup barrier is __syncthreads() (it orders global and shared
// memory for the block, all that Metal's mem_flags ask), a simdgroup
// barrier __syncwarp over the active lanes.

!dev = memref<?xf32, #enigma.address_space<device>>
!tgf = memref<256xf32, #enigma.address_space<threadgroup>>

// CHECK-LABEL: extern "C" __global__ void reduce(const float* input,
// CHECK-NEXT:                                    float* output,
// CHECK-NEXT:                                    EnigmaLaunch enigma_launch) {
// CHECK-NEXT:   __shared__ __align__(16) float tg0[256];
// CHECK-NEXT:   if (!enigma_in_grid(enigma_launch)) return;
enigma.kernel @reduce(%input: !dev {enigma.name = "input", enigma.dtype = "float"},
                      %output: !dev {enigma.name = "output", enigma.dtype = "float"}) {
  %tg = enigma.threadgroup_alloc "float" : !tgf
  // CHECK-NEXT: unsigned int v0 = enigma_thread_index_in_threadgroup(enigma_launch);
  %t = enigma.builtin thread_index_in_threadgroup : i32
  %i = arith.index_castui %t : i32 to index
  %x = memref.load %input[%i] : !dev
  memref.store %x, %tg[%i] : !tgf
  // CHECK:      __syncthreads();
  enigma.threadgroup_barrier mem_threadgroup
  // CHECK-NEXT: __syncthreads();
  enigma.threadgroup_barrier mem_device_and_threadgroup
  // CHECK-NEXT: __syncwarp(__activemask());
  enigma.simdgroup_barrier mem_threadgroup
  %c0 = arith.constant 0 : index
  %first = memref.load %tg[%c0] : !tgf
  memref.store %first, %output[%i] : !dev
  enigma.return
}
