// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Carried values are variables declared before the statement: a loop's
// iter_args (also its results) are assigned at the yield, an if's results in
// each branch, a while's two sets of carried values before the break and at
// the end of the body.

// CHECK-LABEL: kernel void loops(
enigma.kernel @loops(%x: memref<?xf32, #enigma.address_space<device>> {enigma.name = "x", enigma.dtype = "float"},
                     %n: i32 {enigma.name = "n", enigma.dtype = "int"},
                     %m: i32 {enigma.name = "m", enigma.dtype = "uint"}) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c2 = arith.constant 2 : i32
  %f0 = arith.constant 0.0 : f32
  // Two carried values that swap every iteration: the yield reads both
  // before writing either.
  // CHECK:      float v0 = 0.0f;
  // CHECK-NEXT: int v1 = 0;
  // CHECK-NEXT: int v2 = 1;
  // CHECK-NEXT: for (int v3 = 0; v3 < n; v3 += 1) {
  // CHECK-NEXT:   float v4 = x[v3];
  // CHECK-NEXT:   float v5 = v0 + v4;
  // CHECK-NEXT:   int v6 = v2;
  // CHECK-NEXT:   int v7 = v1;
  // CHECK-NEXT:   v0 = v5;
  // CHECK-NEXT:   v1 = v6;
  // CHECK-NEXT:   v2 = v7;
  // CHECK-NEXT: }
  %r:3 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %f0, %p = %c0, %q = %c1) -> (f32, i32, i32) : i32 {
    %idx = arith.index_cast %i : i32 to index
    %v = memref.load %x[%idx] : memref<?xf32, #enigma.address_space<device>>
    %s = arith.addf %acc, %v : f32
    scf.yield %s, %q, %p : f32, i32, i32
  }
  // An unsigned loop: its counter and the value it carries are uint.
  // CHECK-NEXT: uint v8 = 0u;
  // CHECK-NEXT: for (uint v9 = 0u; v9 < m; v9 += 2u) {
  // CHECK-NEXT:   uint v10 = v8 + v9;
  // CHECK-NEXT:   v8 = v10;
  // CHECK-NEXT: }
  %k = scf.for unsigned %j = %c0 to %m step %c2 iter_args(%cnt = %c0) -> (i32) : i32 {
    %nx = arith.addi %cnt, %j : i32
    scf.yield %nx : i32
  }
  // Results reach the code after the loop through the same variables.
  // CHECK-NEXT: x[0] = v0;
  // CHECK-NEXT: int v11 = v1 + v2;
  // CHECK-NEXT: uint v12 = v8 / 3u;
  %i0 = arith.constant 0 : index
  %c3 = arith.constant 3 : i32
  memref.store %r#0, %x[%i0] : memref<?xf32, #enigma.address_space<device>>
  %sum = arith.addi %r#1, %r#2 : i32
  %third = arith.divui %k, %c3 : i32
  enigma.return
}

// CHECK-LABEL: kernel void conditionals(
enigma.kernel @conditionals(%y: memref<?xi32, #enigma.address_space<device>> {enigma.name = "y", enigma.dtype = "uint"},
                            %f: f32 {enigma.name = "f", enigma.dtype = "float"},
                            %u: i32 {enigma.name = "u", enigma.dtype = "uint"}) {
  %i0 = arith.constant 0 : index
  %f0 = arith.constant 0.0 : f32
  %c7 = arith.constant 7 : i32
  // CHECK:      bool v0 = f > 0.0f;
  // CHECK-NEXT: float v1;
  // CHECK-NEXT: uint v2;
  // CHECK-NEXT: if (v0) {
  // CHECK-NEXT:   float v3 = f * f;
  // CHECK-NEXT:   v1 = v3;
  // CHECK-NEXT:   v2 = u;
  // CHECK-NEXT: } else {
  // CHECK-NEXT:   v1 = 0.0f;
  // CHECK-NEXT:   v2 = 7u;
  // CHECK-NEXT: }
  %pos = arith.cmpf ogt, %f, %f0 : f32
  %sel:2 = scf.if %pos -> (f32, i32) {
    %d = arith.mulf %f, %f : f32
    scf.yield %d, %u : f32, i32
  } else {
    scf.yield %f0, %c7 : f32, i32
  }
  // An if without results prints no empty else.
  // CHECK-NEXT: bool v4 = v1 < f;
  // CHECK-NEXT: if (v4) {
  // CHECK-NEXT:   y[0] = v2;
  // CHECK-NEXT: }
  // CHECK-NEXT: }
  %lt = arith.cmpf olt, %sel#0, %f : f32
  scf.if %lt {
    memref.store %sel#1, %y[%i0] : memref<?xi32, #enigma.address_space<device>>
  } else {
  }
  enigma.return
}

// CHECK-LABEL: kernel void collatz(
// CHECK:        uint v0 = thread_position_in_grid.x;
// CHECK-NEXT:   uint v1 = v0;
// CHECK-NEXT:   uint v2 = 0u;
// CHECK-NEXT:   uint v3;
// CHECK-NEXT:   uint v4;
// CHECK-NEXT:   while (true) {
// CHECK-NEXT:     bool v5 = v1 > 1u;
// CHECK-NEXT:     v3 = v1;
// CHECK-NEXT:     v4 = v2;
// CHECK-NEXT:     if (!v5) break;
// CHECK-NEXT:     uint v6 = v3 >> 1u;
// CHECK-NEXT:     uint v7 = v4 + 1u;
// CHECK-NEXT:     v1 = v6;
// CHECK-NEXT:     v2 = v7;
// CHECK-NEXT:   }
// CHECK-NEXT:   steps[v0] = v4;
// CHECK-NEXT: }
enigma.kernel @collatz(%steps: memref<?xi32, #enigma.address_space<device>> {enigma.name = "steps", enigma.dtype = "uint"}) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %tid = enigma.builtin thread_position_in_grid x : i32
  %w:2 = scf.while (%a = %tid, %s = %c0) : (i32, i32) -> (i32, i32) {
    %more = arith.cmpi ugt, %a, %c1 : i32
    scf.condition(%more) %a, %s : i32, i32
  } do {
  ^bb0(%a2: i32, %s2: i32):
    %h = arith.shrui %a2, %c1 : i32
    %s3 = arith.addi %s2, %c1 : i32
    scf.yield %h, %s3 : i32, i32
  }
  %idx = arith.index_castui %tid : i32 to index
  memref.store %w#1, %steps[%idx] : memref<?xi32, #enigma.address_space<device>>
  enigma.return
}

// Nested loops and a conditional carrying an outer loop's value; arithmetic
// on `index` (as canonicalization may produce) prints as int.
// CHECK-LABEL: kernel void nested(
// CHECK:        int v0 = 0;
// CHECK-NEXT:   for (int v1 = 0; v1 < n; v1 += 1) {
// CHECK-NEXT:     int v2 = v0;
// CHECK-NEXT:     for (int v3 = 0; v3 < v1; v3 += 1) {
// CHECK-NEXT:       int v4 = v3 & 1;
// CHECK-NEXT:       bool v5 = v4 != 0;
// CHECK-NEXT:       int v6;
// CHECK-NEXT:       if (v5) {
// CHECK-NEXT:         int v7 = v3 + 1;
// CHECK-NEXT:         int v8 = m[v7];
// CHECK-NEXT:         int v9 = v2 + v8;
// CHECK-NEXT:         v6 = v9;
// CHECK-NEXT:       } else {
// CHECK-NEXT:         v6 = v2;
// CHECK-NEXT:       }
// CHECK-NEXT:       v2 = v6;
// CHECK-NEXT:     }
// CHECK-NEXT:     v0 = v2;
// CHECK-NEXT:   }
// CHECK-NEXT:   m[0] = v0;
// CHECK-NEXT: }
enigma.kernel @nested(%m: memref<?xi32, #enigma.address_space<device>> {enigma.name = "m", enigma.dtype = "int"},
                      %n: i32 {enigma.name = "n", enigma.dtype = "int"}) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %one = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %c0) -> (i32) : i32 {
    %s = scf.for %j = %c0 to %i step %c1 iter_args(%b = %a) -> (i32) : i32 {
      %odd = arith.andi %j, %c1 : i32
      %isodd = arith.cmpi ne, %odd, %c0 : i32
      %v = scf.if %isodd -> (i32) {
        %ij = arith.index_cast %j : i32 to index
        %next = arith.addi %ij, %one : index
        %x = memref.load %m[%next] : memref<?xi32, #enigma.address_space<device>>
        %y = arith.addi %b, %x : i32
        scf.yield %y : i32
      } else {
        scf.yield %b : i32
      }
      scf.yield %v : i32
    }
    scf.yield %s : i32
  }
  %z = arith.constant 0 : index
  memref.store %r, %m[%z] : memref<?xi32, #enigma.address_space<device>>
  enigma.return
}
