// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Integers are signless in MLIR: each value's C type comes from the dtypes and
// the ops, and an op whose signedness differs from its operand's C type reads
// it through an explicit conversion. Literals take the type they are read as.

// CHECK-LABEL: kernel void integers(constant int& a {{\[\[}}buffer(0)]],
// CHECK-NEXT:                       constant uint& u {{\[\[}}buffer(1)]]) {
enigma.kernel @integers(%a: i32 {enigma.name = "a", enigma.dtype = "int"},
                        %u: i32 {enigma.name = "u", enigma.dtype = "uint"}) {
  %c3 = arith.constant 3 : i32
  %m1 = arith.constant -1 : i32
  // Division, remainder and right shift follow the op, not the operand.
  // CHECK-NEXT: int v0 = a / 3;
  // CHECK-NEXT: uint v1 = uint(a) / u;
  // CHECK-NEXT: int v2 = int(u) % 3;
  // CHECK-NEXT: uint v3 = u % 3u;
  // CHECK-NEXT: int v4 = int(u) >> 3;
  // CHECK-NEXT: uint v5 = uint(a) >> 3u;
  %0 = arith.divsi %a, %c3 : i32
  %1 = arith.divui %a, %u : i32
  %2 = arith.remsi %u, %c3 : i32
  %3 = arith.remui %u, %c3 : i32
  %4 = arith.shrsi %u, %c3 : i32
  %5 = arith.shrui %a, %c3 : i32
  // Signless ops take the type of their first non-constant operand.
  // CHECK-NEXT: uint v6 = u + uint(a);
  // CHECK-NEXT: int v7 = a - 3;
  // CHECK-NEXT: uint v8 = 3u * u;
  // CHECK-NEXT: int v9 = a << 3;
  // CHECK-NEXT: uint v10 = u & uint(a);
  // CHECK-NEXT: int v11 = a | 3;
  // CHECK-NEXT: uint v12 = u ^ 3u;
  // CHECK-NEXT: int v13 = ~a;
  // CHECK-NEXT: uint v14 = ~u;
  %6 = arith.addi %u, %a : i32
  %7 = arith.subi %a, %c3 : i32
  %8 = arith.muli %c3, %u : i32
  %9 = arith.shli %a, %c3 : i32
  %10 = arith.andi %u, %a : i32
  %11 = arith.ori %a, %c3 : i32
  %12 = arith.xori %u, %c3 : i32
  %13 = arith.xori %a, %m1 : i32
  %14 = arith.xori %m1, %u : i32
  // Comparisons: unsigned predicates compare as uint, signed as int,
  // equality in the type of the non-constant side.
  // CHECK-NEXT: bool v15 = uint(a) < u;
  // CHECK-NEXT: bool v16 = a <= int(u);
  // CHECK-NEXT: bool v17 = u > 4294967295u;
  // CHECK-NEXT: bool v18 = int(u) >= -1;
  // CHECK-NEXT: bool v19 = 3u == u;
  // CHECK-NEXT: bool v20 = a != int(u);
  %15 = arith.cmpi ult, %a, %u : i32
  %16 = arith.cmpi sle, %a, %u : i32
  %17 = arith.cmpi ugt, %u, %m1 : i32
  %18 = arith.cmpi sge, %u, %m1 : i32
  %19 = arith.cmpi eq, %c3, %u : i32
  %20 = arith.cmpi ne, %a, %u : i32
  // min/max, and Python's floor division (rounds toward -inf).
  // CHECK-NEXT: int v21 = min(a, int(u));
  // CHECK-NEXT: uint v22 = max(uint(a), u);
  // CHECK-NEXT: int v23 = a / -1 - ((a % -1 != 0 && (a < 0) != (-1 < 0)) ? 1 : 0);
  // CHECK-NEXT: int v24 = int(u) / a - ((int(u) % a != 0 && (int(u) < 0) != (a < 0)) ? 1 : 0);
  %21 = arith.minsi %a, %u : i32
  %22 = arith.maxui %a, %u : i32
  %23 = arith.floordivsi %a, %m1 : i32
  %24 = arith.floordivsi %u, %a : i32
  // Integer math: abs reads as signed.
  // CHECK-NEXT: int v25 = abs(int(u));
  // CHECK-NEXT: uint v26 = popcount(u);
  // CHECK-NEXT: int v27 = clz(a);
  %25 = math.absi %u : i32
  %26 = math.ctpop %u : i32
  %27 = math.ctlz %a : i32
  enigma.return
}

// i1 arithmetic stays bool through logical operators; a signed order of bools
// is reversed (true is -1).
// CHECK-LABEL: kernel void booleans(
// CHECK:        bool v0 = p && q;
// CHECK-NEXT:   bool v1 = p || q;
// CHECK-NEXT:   bool v2 = p != q;
// CHECK-NEXT:   bool v3 = !p;
// CHECK-NEXT:   bool v4 = p != q;
// CHECK-NEXT:   bool v5 = p < q;
// CHECK-NEXT:   bool v6 = q < p;
// CHECK-NEXT:   bool v7 = p == true;
// CHECK-NEXT:   bool v8 = p ? q : false;
enigma.kernel @booleans(%p: i1 {enigma.name = "p", enigma.dtype = "bool"},
                        %q: i1 {enigma.name = "q", enigma.dtype = "bool"}) {
  %t = arith.constant true
  %f = arith.constant false
  %0 = arith.andi %p, %q : i1
  %1 = arith.ori %p, %q : i1
  %2 = arith.xori %p, %q : i1
  %3 = arith.xori %p, %t : i1
  %4 = arith.addi %p, %q : i1
  %5 = arith.cmpi ult, %p, %q : i1
  %6 = arith.cmpi slt, %p, %q : i1
  %7 = arith.cmpi eq, %p, %t : i1
  %8 = arith.select %p, %q, %f : i1
  enigma.return
}

// 8- and 16-bit values: results are assigned to typed variables (which
// truncates); products and left shifts are computed in uint, since the int
// that C promotes to could overflow; unsigned comparisons of narrow values
// compare as unsigned.
// CHECK-LABEL: kernel void narrow(device ushort* s {{\[\[}}buffer(0)]],
// CHECK-NEXT:                     device char* c {{\[\[}}buffer(1)]]) {
// CHECK-NEXT:   ushort v0 = s[0];
// CHECK-NEXT:   char v1 = c[0];
// CHECK-NEXT:   ushort v2 = uint(v0) * uint(v0);
// CHECK-NEXT:   ushort v3 = v0 + ushort(1);
// CHECK-NEXT:   char v4 = uint(v1) << (uint(v1) & 7u);
// CHECK-NEXT:   bool v5 = uchar(v1) < uchar(200);
// CHECK-NEXT:   char v6 = v1 / char(-56);
// CHECK-NEXT:   uchar v7 = uchar(v1) / uchar(200);
// CHECK-NEXT:   s[0] = v2;
// CHECK-NEXT:   c[0] = v6;
// CHECK-NEXT:   c[0] = char(v7);
enigma.kernel @narrow(%s: memref<?xi16, #enigma.address_space<device>> {enigma.name = "s", enigma.dtype = "ushort"},
                      %c: memref<?xi8, #enigma.address_space<device>> {enigma.name = "c", enigma.dtype = "char"}) {
  %i0 = arith.constant 0 : index
  %one = arith.constant 1 : i16
  %k = arith.constant 200 : i8
  %x = memref.load %s[%i0] : memref<?xi16, #enigma.address_space<device>>
  %y = memref.load %c[%i0] : memref<?xi8, #enigma.address_space<device>>
  %0 = arith.muli %x, %x : i16
  %1 = arith.addi %x, %one : i16
  %2 = arith.shli %y, %y : i8
  %3 = arith.cmpi ult, %y, %k : i8
  %4 = arith.divsi %y, %k : i8
  %5 = arith.divui %y, %k : i8
  memref.store %0, %s[%i0] : memref<?xi16, #enigma.address_space<device>>
  memref.store %4, %c[%i0] : memref<?xi8, #enigma.address_space<device>>
  memref.store %5, %c[%i0] : memref<?xi8, #enigma.address_space<device>>
  enigma.return
}
