// RUN: enigma-translate --emit-msl %s | FileCheck %s

// load_if and store_if are real branches: a masked-off thread reads and
// writes nothing (its index may be far out of range), so the load sits in
// the then-branch and the default is assigned in the else-branch; store_if
// is an if around the store.

!dev = memref<?xf32, #enigma.address_space<device>>
!devu = memref<?xi32, #enigma.address_space<device>>
!tg = memref<64xi32, #enigma.address_space<threadgroup>>

#l4 = loc("masked.py":4:4)
#l5 = loc("masked.py":5:4)
#l6 = loc("masked.py":6:4)

// CHECK-LABEL: kernel void masked(
// CHECK:        // masked.py:4
// CHECK-NEXT:   uint v0 = thread_position_in_grid.x;
// CHECK-NEXT:   bool v1 = v0 < n;
// CHECK-NEXT:   float v2;
// CHECK-NEXT:   if (v1) {
// CHECK-NEXT:     float v3 = a[v0];
// CHECK-NEXT:     v2 = v3;
// CHECK-NEXT:   } else {
// CHECK-NEXT:     v2 = -1.0f;
// CHECK-NEXT:   }
// CHECK-NEXT:   // masked.py:5
// CHECK-NEXT:   uint v4;
// CHECK-NEXT:   if (v1) {
// CHECK-NEXT:     uint v5 = tg0[v0];
// CHECK-NEXT:     v4 = v5;
// CHECK-NEXT:   } else {
// CHECK-NEXT:     v4 = 0u;
// CHECK-NEXT:   }
// CHECK-NEXT:   // masked.py:6
// CHECK-NEXT:   if (v1) {
// CHECK-NEXT:     out[v0] = v2;
// CHECK-NEXT:     counts[v0] = v4;
// CHECK-NEXT:   }
// CHECK-NEXT: }
enigma.kernel @masked(%a: !dev {enigma.name = "a", enigma.dtype = "float"},
                      %out: !dev {enigma.name = "out", enigma.dtype = "float"},
                      %counts: !devu {enigma.name = "counts", enigma.dtype = "uint"},
                      %n: i32 {enigma.name = "n", enigma.dtype = "uint"}) {
  %tg = enigma.threadgroup_alloc "uint" : !tg loc(#l5)
  %tid = enigma.builtin thread_position_in_grid x : i32 loc(#l4)
  %default = arith.constant -1.0 : f32 loc(#l4)
  %zero = arith.constant 0 : i32 loc(#l5)
  %mask = arith.cmpi ult, %tid, %n : i32 loc(#l4)
  %i = arith.index_castui %tid : i32 to index loc(#l4)
  %v = scf.if %mask -> f32 {
    %x = memref.load %a[%i] : !dev loc(#l4)
    scf.yield %x : f32 loc(#l4)
  } else {
    scf.yield %default : f32 loc(#l4)
  } loc(#l4)
  %c = scf.if %mask -> i32 {
    %x = memref.load %tg[%i] : !tg loc(#l5)
    scf.yield %x : i32 loc(#l5)
  } else {
    scf.yield %zero : i32 loc(#l5)
  } loc(#l5)
  scf.if %mask {
    memref.store %v, %out[%i] : !dev loc(#l6)
    memref.store %c, %counts[%i] : !devu loc(#l6)
  } loc(#l6)
  enigma.return
}
