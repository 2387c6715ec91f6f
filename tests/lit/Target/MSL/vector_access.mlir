// RUN: enigma-translate --emit-msl %s | FileCheck %s

// Vector loads and stores print as a dereference of the element pointer cast
// to a vector pointer: `device const` for loads from device buffers, and a
// macro for threadgroup pointers (the cpu device's host C++ cannot spell a
// `threadgroup` pointer), declared once before the kernel.

!devf = memref<?xf32, #enigma.address_space<device>>
!devh = memref<?xf16, #enigma.address_space<device>>
!tgf = memref<64xf32, #enigma.address_space<threadgroup>>

// CHECK: #if !defined(ENIGMA_THREADGROUP_POINTER)
// CHECK-NEXT: #if defined(__METAL_VERSION__)
// CHECK-NEXT: #define ENIGMA_THREADGROUP_POINTER threadgroup
// CHECK-NEXT: #else
// CHECK-NEXT: #define ENIGMA_THREADGROUP_POINTER
// CHECK-NEXT: #endif
// CHECK-NEXT: #endif
// CHECK-LABEL: kernel void vectors(
// CHECK-SAME: device const float* a {{\[\[}}buffer(0)]]
// CHECK-NEXT: device half* h {{\[\[}}buffer(1)]]
enigma.kernel @vectors(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                       %h: !devh {enigma.name = "h", enigma.dtype = "half"},
                       %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  // CHECK: alignas(16) threadgroup float tg0[64];
  %tg = enigma.threadgroup_alloc "float" : !tgf
  %c0 = arith.constant 0 : i32
  %c8 = arith.constant 8 : i32
  %i0 = arith.index_castui %c0 : i32 to index
  %i8 = arith.index_castui %c8 : i32 to index
  %ik = arith.index_castui %k : i32 to index
  // CHECK: float4 [[V:v[0-9]+]] = *(device const float4*)(a + k);
  %v = enigma.vector_load %a[%ik] : !devf -> vector<4xf32>
  // CHECK: float4 [[W:v[0-9]+]] = *(device const float4*)(a);
  %w = enigma.vector_load %a[%i0] : !devf -> vector<4xf32>
  // CHECK: *(ENIGMA_THREADGROUP_POINTER float4*)(tg0 + 8u) = [[V]];
  enigma.vector_store %v, %tg[%i8] : vector<4xf32>, !tgf
  // CHECK: float4 [[T:v[0-9]+]] = *(ENIGMA_THREADGROUP_POINTER float4*)(tg0 + k);
  %t = enigma.vector_load %tg[%ik] : !tgf -> vector<4xf32>
  // CHECK: half2 [[H:v[0-9]+]] = *(device const half2*)(h + 8u);
  %x = enigma.vector_load %h[%i8] : !devh -> vector<2xf16>
  // CHECK: *(device half2*)(h + k) = [[H]];
  enigma.vector_store %x, %h[%ik] : vector<2xf16>, !devh
  enigma.return
}

// A kernel with device vector accesses only has no threadgroup macro.
// CHECK-NOT: ENIGMA_THREADGROUP_POINTER threadgroup
// CHECK-LABEL: kernel void device_only(
enigma.kernel @device_only(%a: !devf {enigma.name = "a", enigma.dtype = "float"}) {
  %c4 = arith.constant 4 : index
  // CHECK: float4 [[D:v[0-9]+]] = *(device const float4*)(a + 4);
  %d = enigma.vector_load %a[%c4] : !devf -> vector<4xf32>
  // CHECK: *(device float4*)(a) = [[D]];
  %c0 = arith.constant 0 : index
  enigma.vector_store %d, %a[%c0] : vector<4xf32>, !devf
  enigma.return
}
