// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Atomics print as Metal's atomic_*_explicit functions: on a device buffer
// through a cast to the atomic type (a const one for loads), on a
// threadgroup array declared with the atomic type, whose plain loads and
// stores become relaxed atomic ones. MSL takes memory_order_relaxed only:
// a releasing atomic follows a fence, an acquiring one precedes one.

!dev = memref<?xi32, #enigma.address_space<device>>
!devf = memref<?xf32, #enigma.address_space<device>>
!tgu = memref<64xi32, #enigma.address_space<threadgroup>>
!tgi = memref<4xi32, #enigma.address_space<threadgroup>>

// CHECK-LABEL: kernel void device_atomics(device uint* c {{\[\[}}buffer(0)]],
// CHECK-NEXT:                             device int* s {{\[\[}}buffer(1)]],
// CHECK-NEXT:                             device float* f {{\[\[}}buffer(2)]],
enigma.kernel @device_atomics(%c: !dev {enigma.name = "c", enigma.dtype = "uint"},
                              %s: !dev {enigma.name = "s", enigma.dtype = "int"},
                              %f: !devf {enigma.name = "f", enigma.dtype = "float"}) {
  %tid = enigma.builtin thread_position_in_grid x : i32
  %c0 = arith.constant 0 : index
  %one = arith.constant 1 : i32
  %half = arith.constant 0.5 : f32
  %i = arith.index_castui %tid : i32 to index
  // CHECK:      uint v1 = atomic_fetch_add_explicit((device atomic_uint*)&c[0], 1u, memory_order_relaxed);
  %a = enigma.atomic_rmw add relaxed %one, %c[%c0] : !dev
  // CHECK-NEXT: uint v2 = atomic_fetch_sub_explicit((device atomic_uint*)&c[v0], 1u, memory_order_relaxed);
  %b = enigma.atomic_rmw sub relaxed %one, %c[%i] : !dev
  // CHECK-NEXT: uint v3 = atomic_exchange_explicit((device atomic_uint*)&c[v0], v1, memory_order_relaxed);
  %x = enigma.atomic_rmw exchange relaxed %a, %c[%i] : !dev
  // CHECK-NEXT: uint v4 = atomic_fetch_min_explicit((device atomic_uint*)&c[v0], 1u, memory_order_relaxed);
  %mn = enigma.atomic_rmw minu relaxed %one, %c[%i] : !dev
  // CHECK-NEXT: int v5 = atomic_fetch_max_explicit((device atomic_int*)&s[v0], 1, memory_order_relaxed);
  %mx = enigma.atomic_rmw maxs relaxed %one, %s[%i] : !dev
  // CHECK-NEXT: int v6 = atomic_fetch_and_explicit((device atomic_int*)&s[v0], 1, memory_order_relaxed);
  %an = enigma.atomic_rmw and relaxed %one, %s[%i] : !dev
  // CHECK-NEXT: uint v7 = atomic_fetch_or_explicit((device atomic_uint*)&c[v0], 1u, memory_order_relaxed);
  %o = enigma.atomic_rmw or relaxed %one, %c[%i] : !dev
  // CHECK-NEXT: uint v8 = atomic_fetch_xor_explicit((device atomic_uint*)&c[v0], 1u, memory_order_relaxed);
  %xo = enigma.atomic_rmw xor relaxed %one, %c[%i] : !dev
  // CHECK-NEXT: uint v9 = atomic_load_explicit((const device atomic_uint*)&c[v0], memory_order_relaxed);
  %l = enigma.atomic_load relaxed %c[%i] : !dev
  // CHECK-NEXT: atomic_store_explicit((device atomic_uint*)&c[v0], v9, memory_order_relaxed);
  enigma.atomic_store relaxed %l, %c[%i] : !dev
  // The `expected` variable receives the value read: it is the `old` result.
  // CHECK-NEXT: uint v10 = v1;
  // CHECK-NEXT: bool v11 = atomic_compare_exchange_weak_explicit((device atomic_uint*)&c[v0], &v10, v9, memory_order_relaxed, memory_order_relaxed);
  // CHECK-NEXT: c[v0] = v10;
  %old, %ok = enigma.atomic_compare_exchange_weak relaxed %c[%i], %a, %l : !dev
  memref.store %old, %c[%i] : !dev
  // CHECK-NEXT: float v12 = atomic_fetch_add_explicit((device atomic_float*)&f[v0], 0.5f, memory_order_relaxed);
  %fa = enigma.atomic_rmw add relaxed %half, %f[%i] : !devf
  enigma.return
}

// CHECK-LABEL: kernel void orders(
enigma.kernel @orders(%c: !dev {enigma.name = "c", enigma.dtype = "uint"}) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1 : i32
  // CHECK:      uint v0 = atomic_load_explicit((const device atomic_uint*)&c[0], memory_order_relaxed);
  // CHECK-NEXT: atomic_thread_fence(mem_flags::mem_device, memory_order_seq_cst, thread_scope_device);
  %l = enigma.atomic_load acquire %c[%c0] : !dev
  // CHECK-NEXT: atomic_thread_fence(mem_flags::mem_device, memory_order_seq_cst, thread_scope_device);
  // CHECK-NEXT: atomic_store_explicit((device atomic_uint*)&c[0], v0, memory_order_relaxed);
  enigma.atomic_store release %l, %c[%c0] : !dev
  // CHECK-NEXT: atomic_thread_fence(mem_flags::mem_device, memory_order_seq_cst, thread_scope_device);
  // CHECK-NEXT: uint v1 = atomic_fetch_add_explicit((device atomic_uint*)&c[0], 1u, memory_order_relaxed);
  // CHECK-NEXT: atomic_thread_fence(mem_flags::mem_device, memory_order_seq_cst, thread_scope_device);
  %r = enigma.atomic_rmw add acq_rel %one, %c[%c0] : !dev
  // CHECK-NEXT: atomic_thread_fence(mem_flags::mem_device, memory_order_seq_cst, thread_scope_device);
  // CHECK-NEXT: uint v2 = v1;
  // CHECK-NEXT: bool v3 = atomic_compare_exchange_weak_explicit(
  // CHECK-NEXT: }
  %old, %ok = enigma.atomic_compare_exchange_weak release %c[%c0], %r, %one : !dev
  enigma.return
}

// CHECK-LABEL: kernel void threadgroup_atomics(
// CHECK-NEXT:   alignas(16) threadgroup atomic_uint tg0[64];
// CHECK-NEXT:   alignas(16) threadgroup int tg1[4];
enigma.kernel @threadgroup_atomics(%c: !dev {enigma.name = "c", enigma.dtype = "uint"}) {
  %tg = enigma.threadgroup_alloc "uint" : !tgu
  %plain = enigma.threadgroup_alloc "int" : !tgi
  %c0 = arith.constant 0 : index
  %one = arith.constant 1 : i32
  // CHECK:      atomic_store_explicit(&tg0[0], 1u, memory_order_relaxed);
  memref.store %one, %tg[%c0] : !tgu
  // CHECK-NEXT: tg1[0] = 1;
  memref.store %one, %plain[%c0] : !tgi
  // CHECK-NEXT: threadgroup_barrier(mem_flags::mem_threadgroup);
  enigma.threadgroup_barrier mem_threadgroup
  // CHECK-NEXT: atomic_thread_fence(mem_flags::mem_device | mem_flags::mem_threadgroup, memory_order_seq_cst, thread_scope_threadgroup);
  // CHECK-NEXT: uint v0 = atomic_fetch_max_explicit(&tg0[0], 1u, memory_order_relaxed);
  %m = enigma.atomic_rmw maxu release %one, %tg[%c0] : !tgu
  // CHECK-NEXT: uint v1 = atomic_load_explicit(&tg0[0], memory_order_relaxed);
  %v = memref.load %tg[%c0] : !tgu
  // CHECK-NEXT: c[0] = v1;
  memref.store %v, %c[%c0] : !dev
  enigma.return
}
