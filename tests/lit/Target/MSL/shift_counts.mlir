// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Metal shifts by the low log2(N) bits of the count (MSL §3.1); C++, which the
// cpu device compiles the MSL as, leaves a count >= N undefined. So a count
// not known to be below N is printed masked with N - 1 (a no-op on Metal);
// constants below N and the induction variable of a loop over constant
// bounds within [0, N) are printed as they are.

// CHECK-LABEL: kernel void shifts(
enigma.kernel @shifts(%a: i32 {enigma.name = "a", enigma.dtype = "int"},
                      %u: i32 {enigma.name = "u", enigma.dtype = "uint"},
                      %l: i64 {enigma.name = "l", enigma.dtype = "long"},
                      %v: vector<4xi8> {enigma.name = "v", enigma.dtype = "char4"},
                      %out: memref<?xi32, #enigma.address_space<device>> {enigma.name = "out", enigma.dtype = "int"}) {
  %c3 = arith.constant 3 : i32
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c32 = arith.constant 32 : i32
  %c33 = arith.constant 33 : i32
  %i0 = arith.constant 0 : index
  // CHECK: int v0 = a << (int(u) & 31);
  // CHECK-NEXT: int v1 = a >> (int(u) & 31);
  // CHECK-NEXT: uint v2 = u >> (uint(a) & 31u);
  // CHECK-NEXT: int v3 = a << 3;
  // CHECK-NEXT: long v4 = l << (l & 63L);
  // CHECK-NEXT: char4 v5 = v << (v & char(7));
  %0 = arith.shli %a, %u : i32
  %1 = arith.shrsi %a, %u : i32
  %2 = arith.shrui %u, %a : i32
  %3 = arith.shli %a, %c3 : i32
  %4 = arith.shli %l, %l : i64
  %5 = arith.shli %v, %v : vector<4xi8>
  // The loop's index is below 32: no mask; past 32 it is masked.
  // CHECK: for (int v{{[0-9]+}} = 0; v{{[0-9]+}} < 32; v{{[0-9]+}} += 1) {
  // CHECK-NEXT: int v{{[0-9]+}} = a << v{{[0-9]+}};
  scf.for %k = %c0 to %c32 step %c1 : i32 {
    %s = arith.shli %a, %k : i32
    memref.store %s, %out[%i0] : memref<?xi32, #enigma.address_space<device>>
  }
  // CHECK: for (int v{{[0-9]+}} = 0; v{{[0-9]+}} < 33; v{{[0-9]+}} += 1) {
  // CHECK-NEXT: int v{{[0-9]+}} = a << (v{{[0-9]+}} & 31);
  scf.for %k = %c0 to %c33 step %c1 : i32 {
    %s = arith.shli %a, %k : i32
    memref.store %s, %out[%i0] : memref<?xi32, #enigma.address_space<device>>
  }
  memref.store %0, %out[%i0] : memref<?xi32, #enigma.address_space<device>>
  memref.store %1, %out[%i0] : memref<?xi32, #enigma.address_space<device>>
  memref.store %3, %out[%i0] : memref<?xi32, #enigma.address_space<device>>
  enigma.return
}
