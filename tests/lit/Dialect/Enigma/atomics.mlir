// Round-trip of the atomic and function-constant ops: the printed form
// parses back to the same IR, generic form included.
// RUN: enigma-opt %s | enigma-opt | FileCheck %s
// RUN: enigma-opt %s --mlir-print-op-generic | enigma-opt | FileCheck %s

!dev = memref<?xi32, #enigma.address_space<device>>
!devf = memref<?xf32, #enigma.address_space<device>>
!tg = memref<16xi32, #enigma.address_space<threadgroup>>

// CHECK-LABEL: enigma.kernel @atomics
enigma.kernel @atomics(%c: !dev {enigma.name = "c", enigma.dtype = "uint"},
                       %s: !dev {enigma.name = "s", enigma.dtype = "int"},
                       %f: !devf {enigma.name = "f", enigma.dtype = "float"}) {
  %tg = enigma.threadgroup_alloc "int" : !tg
  %i = arith.constant 0 : index
  %one = arith.constant 1 : i32
  %x = arith.constant 2.5 : f32
  // CHECK: %[[L:.*]] = enigma.atomic_load acquire %{{.*}}[%{{.*}}] : memref<?xi32, #enigma.address_space<device>>
  %l = enigma.atomic_load acquire %c[%i] : !dev
  // CHECK: enigma.atomic_store release %[[L]], %{{.*}}[%{{.*}}] : memref<?xi32, #enigma.address_space<device>>
  enigma.atomic_store release %l, %c[%i] : !dev
  // CHECK: enigma.atomic_rmw exchange relaxed
  %e = enigma.atomic_rmw exchange relaxed %one, %c[%i] : !dev
  // CHECK: enigma.atomic_rmw add acq_rel
  %a = enigma.atomic_rmw add acq_rel %one, %c[%i] : !dev
  // CHECK: enigma.atomic_rmw sub relaxed
  %b = enigma.atomic_rmw sub relaxed %one, %c[%i] : !dev
  // CHECK: enigma.atomic_rmw minu relaxed
  %mu = enigma.atomic_rmw minu relaxed %one, %c[%i] : !dev
  // CHECK: enigma.atomic_rmw maxs relaxed
  %ms = enigma.atomic_rmw maxs relaxed %one, %s[%i] : !dev
  // CHECK: enigma.atomic_rmw mins relaxed {{.*}} : memref<16xi32, #enigma.address_space<threadgroup>>
  %t = enigma.atomic_rmw mins relaxed %one, %tg[%i] : !tg
  // CHECK: enigma.atomic_rmw and relaxed
  %an = enigma.atomic_rmw and relaxed %one, %s[%i] : !dev
  // CHECK: enigma.atomic_rmw or relaxed
  %o = enigma.atomic_rmw or relaxed %one, %s[%i] : !dev
  // CHECK: enigma.atomic_rmw xor relaxed
  %xo = enigma.atomic_rmw xor relaxed %one, %s[%i] : !dev
  // CHECK: enigma.atomic_rmw add relaxed {{.*}} : memref<?xf32, #enigma.address_space<device>>
  %fa = enigma.atomic_rmw add relaxed %x, %f[%i] : !devf
  // CHECK: %{{.*}}, %{{.*}} = enigma.atomic_compare_exchange_weak relaxed %{{.*}}[%{{.*}}], %{{.*}}, %{{.*}} : memref<?xi32, #enigma.address_space<device>>
  %old, %ok = enigma.atomic_compare_exchange_weak relaxed %c[%i], %l, %one : !dev
  // CHECK: enigma.function_constant 3 "fc3" "uint" : i32
  %k = enigma.function_constant 3 "fc3" "uint" : i32
  // CHECK: enigma.function_constant 0 "fc0" "bool" : i1
  %flag = enigma.function_constant 0 "fc0" "bool" : i1
  enigma.return
}
