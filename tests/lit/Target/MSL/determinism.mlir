// The same kernel always prints the same bytes, whatever its SSA names or
// textual form: translate twice, and once more after a print/parse round trip
// through enigma-opt (which renames every value).
//
// RUN: enigma-translate --emit-msl %s -o %t.first
// RUN: enigma-translate --emit-msl %s -o %t.second
// RUN: diff %t.first %t.second
// RUN: enigma-opt --mlir-print-debuginfo %s | enigma-translate --emit-msl -o %t.roundtrip
// RUN: diff %t.first %t.roundtrip
// RUN: FileCheck %s --input-file=%t.first

// CHECK: kernel void dot_product(
// CHECK: for (uint v{{[0-9]+}} = 0u;
enigma.kernel @dot_product(%a: memref<?xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"},
                           %b: memref<?xf32, #enigma.address_space<device>> {enigma.name = "b", enigma.dtype = "float"},
                           %out: memref<?xf32, #enigma.address_space<device>> {enigma.name = "out", enigma.dtype = "float"},
                           %n: i32 {enigma.name = "n", enigma.dtype = "uint"}) {
  %c0 = arith.constant 0 : i32 loc("/k/dot.py":4:4)
  %c1 = arith.constant 1 : i32 loc("/k/dot.py":4:4)
  %zero = arith.constant 0.0 : f32 loc("/k/dot.py":4:4)
  %tid = enigma.builtin thread_position_in_grid x : i32 loc("/k/dot.py":3:4)
  %sum, %count = scf.for unsigned %i = %c0 to %n step %c1
      iter_args(%acc = %zero, %k = %c0) -> (f32, i32) : i32 {
    %idx = arith.index_castui %i : i32 to index loc("/k/dot.py":5:8)
    %x = memref.load %a[%idx] : memref<?xf32, #enigma.address_space<device>> loc("/k/dot.py":5:8)
    %y = memref.load %b[%idx] : memref<?xf32, #enigma.address_space<device>> loc("/k/dot.py":5:8)
    %p = arith.mulf %x, %y : f32 loc("/k/dot.py":5:8)
    %s = arith.addf %acc, %p : f32 loc("/k/dot.py":5:8)
    %k1 = arith.addi %k, %c1 : i32 loc("/k/dot.py":6:8)
    scf.yield %s, %k1 : f32, i32 loc("/k/dot.py":6:8)
  } loc("/k/dot.py":4:4)
  %cf = arith.uitofp %count : i32 to f32 loc("/k/dot.py":7:4)
  %mean = arith.divf %sum, %cf : f32 loc("/k/dot.py":7:4)
  %o = arith.index_castui %tid : i32 to index loc("/k/dot.py":7:4)
  memref.store %mean, %out[%o] : memref<?xf32, #enigma.address_space<device>> loc("/k/dot.py":7:4)
  enigma.return loc("/k/dot.py":7:4)
} loc("/k/dot.py":2:0)
