// RUN: enigma-translate --emit-msl %s | FileCheck %s

// Async copies print as calls of the AIR intrinsic
// air.simdgroup_async_copy_2d (declared before the kernel, for the Metal
// compiler only), a 1-D copy as a one-row tile, and waits as
// __metal_wait_simdgroup_events, one per event.

!devf = memref<?xf32, #enigma.address_space<device>>
!tgf = memref<64xf32, #enigma.address_space<threadgroup>>

// CHECK: #if defined(__METAL_VERSION__) && !defined(ENIGMA_ASYNC_COPY_INTRINSICS)
// CHECK: struct _simdgroup_event_t;
// CHECK: __asm("air.simdgroup_async_copy_2d.p3i8.p1i8");
// CHECK: __asm("air.simdgroup_async_copy_2d.p1i8.p3i8");
// CHECK: __asm("air.wait_simdgroup_events");
// CHECK: #endif
// CHECK-LABEL: kernel void copies(
enigma.kernel @copies(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                      %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  // CHECK: alignas(16) threadgroup float tg0[64];
  %tg = enigma.threadgroup_alloc "float" : !tgf
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c8 = arith.constant 8 : i32
  %c64 = arith.constant 64 : i32
  %i0 = arith.index_castui %c0 : i32 to index
  %i1 = arith.index_castui %c1 : i32 to index
  %i8 = arith.index_castui %c8 : i32 to index
  %i64 = arith.index_castui %c64 : i32 to index
  %ik = arith.index_castui %k : i32 to index
  // CHECK: thread _simdgroup_event_t* [[E:v[0-9]+]] = __metal_simdgroup_async_copy_2d(sizeof(float), alignof(float), tg0, 8u, 1, ulong2(8u, 8u), a + k, 64u, 1, ulong2(8u, 8u), long2(0), 0);
  %e = enigma.async_copy %tg[%i0] stride %i8, %a[%ik] stride %i64 tile(%i8, %i8) : !tgf, !devf
  // CHECK: __metal_wait_simdgroup_events(1, &[[E]]);
  enigma.async_copy_wait %e
  // CHECK: thread _simdgroup_event_t* [[F:v[0-9]+]] = __metal_simdgroup_async_copy_2d(sizeof(float), alignof(float), a + 8u, 64u, 1, ulong2(64u, 1u), tg0, 64u, 1, ulong2(64u, 1u), long2(0), 0);
  %f = enigma.async_copy %a[%i8] stride %i64, %tg[%i0] stride %i64 tile(%i64, %i1) : !devf, !tgf
  // CHECK: __metal_wait_simdgroup_events(1, &[[E]]);
  // CHECK-NEXT: __metal_wait_simdgroup_events(1, &[[F]]);
  enigma.async_copy_wait %e, %f
  enigma.return
}
