// RUN: enigma-translate --emit-msl --split-input-file --verify-diagnostics %s | FileCheck %s

// register_tensor: a `memref.alloca` in the thread address space is a local
// array of the kernel (`thread` is implicit for locals in MSL), declared
// where it is allocated and named like any value; its element signedness
// comes from the `enigma.dtype` attribute. Elements are read and written with
// constant indices.

!dev = memref<?xf32, #enigma.address_space<device>>
!devu = memref<?xi32, #enigma.address_space<device>>
!regf = memref<4xf32, #enigma.address_space<thread>>
!regu = memref<2xi32, #enigma.address_space<thread>>

#l3 = loc("regs.py":3:4)
#l4 = loc("regs.py":4:4)
#l5 = loc("regs.py":5:8)
#l6 = loc("regs.py":6:4)

// CHECK-LABEL: kernel void regs(
// CHECK:        // regs.py:3
// CHECK-NEXT:   float v0[4];
// CHECK-NEXT:   for (int v1 = 0; v1 < 4; v1 += 1) {
// CHECK-NEXT:     v0[v1] = 1.5f;
// CHECK-NEXT:   }
// CHECK-NEXT:   // regs.py:4
// CHECK-NEXT:   uint v2[2];
// CHECK-NEXT:   v2[1] = 7u;
// CHECK-NEXT:   uint v3 = v2[1];
// CHECK-NEXT:   // regs.py:5
// CHECK-NEXT:   for (int v4 = 0; v4 < 8; v4 += 1) {
// CHECK-NEXT:     float v5[4];
// CHECK-NEXT:     float v6 = in[v4];
// CHECK-NEXT:     v5[0] = v6;
// CHECK-NEXT:     float v7 = v0[3];
// CHECK-NEXT:     float v8 = v5[0];
// CHECK-NEXT:     float v9 = v7 + v8;
// CHECK-NEXT:     v0[3] = v9;
// CHECK-NEXT:   }
// CHECK-NEXT:   // regs.py:6
// CHECK-NEXT:   float v10 = v0[3];
// CHECK-NEXT:   out[0] = v10;
// CHECK-NEXT:   counts[0] = v3;
// CHECK-NEXT: }
enigma.kernel @regs(%in: !dev {enigma.name = "in", enigma.dtype = "float"},
                    %out: !dev {enigma.name = "out", enigma.dtype = "float"},
                    %counts: !devu {enigma.name = "counts", enigma.dtype = "uint"}) {
  %c0 = arith.constant 0 : i32 loc(#l3)
  %c4 = arith.constant 4 : i32 loc(#l3)
  %c8 = arith.constant 8 : i32 loc(#l5)
  %c1 = arith.constant 1 : i32 loc(#l3)
  %c7 = arith.constant 7 : i32 loc(#l4)
  %fill = arith.constant 1.5 : f32 loc(#l3)
  %i0 = arith.constant 0 : index loc(#l3)
  %i1 = arith.constant 1 : index loc(#l4)
  %i3 = arith.constant 3 : index loc(#l5)
  %r = memref.alloca() {enigma.dtype = "float"} : !regf loc(#l3)
  scf.for %k = %c0 to %c4 step %c1 : i32 {
    %ik = arith.index_cast %k : i32 to index loc(#l3)
    memref.store %fill, %r[%ik] : !regf loc(#l3)
  } loc(#l3)
  %u = memref.alloca() {enigma.dtype = "uint"} : !regu loc(#l4)
  memref.store %c7, %u[%i1] : !regu loc(#l4)
  %u1 = memref.load %u[%i1] : !regu loc(#l4)
  scf.for %j = %c0 to %c8 step %c1 : i32 {
    %t = memref.alloca() {enigma.dtype = "float"} : !regf loc(#l5)
    %ij = arith.index_cast %j : i32 to index loc(#l5)
    %x = memref.load %in[%ij] : !dev loc(#l5)
    memref.store %x, %t[%i0] : !regf loc(#l5)
    %a = memref.load %r[%i3] : !regf loc(#l5)
    %b = memref.load %t[%i0] : !regf loc(#l5)
    %s = arith.addf %a, %b : f32 loc(#l5)
    memref.store %s, %r[%i3] : !regf loc(#l5)
  } loc(#l5)
  %last = memref.load %r[%i3] : !regf loc(#l6)
  memref.store %last, %out[%i0] : !dev loc(#l6)
  memref.store %u1, %counts[%i0] : !devu loc(#l6)
  enigma.return
}

// -----

// Only 1-D per-thread arrays print.
enigma.kernel @matrix(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{cannot print 'memref.alloca' on () -> (memref<2x2xf32, #enigma.address_space<thread>>) in MSL: unsupported array (only 1-D per-thread arrays print)}}
  %r = memref.alloca() : memref<2x2xf32, #enigma.address_space<thread>>
  enigma.return
}
