// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Metal's integer functions: enigma.math prints MSL's names (add_sat is
// `addsat`), reading its operands with the signedness the op records;
// cmpi ult & co. compare the bits as unsigned whatever the operands' type.

// CHECK-LABEL: kernel void integers(
enigma.kernel @integers(%a: i32 {enigma.name = "a", enigma.dtype = "int"},
                        %b: i32 {enigma.name = "b", enigma.dtype = "int"},
                        %c: i8 {enigma.name = "c", enigma.dtype = "uchar"},
                        %l: i64 {enigma.name = "l", enigma.dtype = "long"},
                        %n: i32 {enigma.name = "n", enigma.dtype = "uint"}) {
  // CHECK:      int v0 = clamp(a, b, a);
  // CHECK-NEXT: int v1 = reverse_bits(a);
  // CHECK-NEXT: uint v2 = absdiff(a, b);
  // CHECK-NEXT: uchar v3 = addsat(c, c);
  // CHECK-NEXT: uchar v4 = subsat(c, c);
  // CHECK-NEXT: long v5 = mulhi(l, l);
  // CHECK-NEXT: int v6 = rotate(a, b);
  // CHECK-NEXT: uchar v7 = madsat(c, c, c);
  // CHECK-NEXT: long v8 = extract_bits(l, n, 3u);
  // CHECK-NEXT: int v9 = insert_bits(a, b, n, n);
  %three = arith.constant 3 : i32
  %0 = enigma.math clamp(%a, %b, %a) : (i32, i32, i32) -> i32
  %1 = enigma.math reverse_bits(%a) : (i32) -> i32
  %2 = enigma.math abs_diff(%a, %b) : (i32, i32) -> i32
  %3 = enigma.math add_sat(%c, %c) unsigned : (i8, i8) -> i8
  %4 = enigma.math sub_sat(%c, %c) unsigned : (i8, i8) -> i8
  %5 = enigma.math mul_hi(%l, %l) : (i64, i64) -> i64
  %6 = enigma.math rotate(%a, %b) : (i32, i32) -> i32
  %7 = enigma.math mad_sat(%c, %c, %c) unsigned : (i8, i8, i8) -> i8
  %8 = enigma.math extract_bits(%l, %n, %three) : (i64, i32, i32) -> i64
  %9 = enigma.math insert_bits(%a, %b, %n, %n) : (i32, i32, i32, i32) -> i32
  // The recorded signedness wins over the operand's: an `unsigned` add_sat of
  // int values reads them as uint.
  // CHECK-NEXT: uint v10 = addsat(uint(a), uint(b));
  %10 = enigma.math add_sat(%a, %b) unsigned : (i32, i32) -> i32
  // CHECK-NEXT: int v11 = popcount(a);
  // CHECK-NEXT: int v12 = clz(a);
  // CHECK-NEXT: uchar v13 = ctz(c);
  %11 = math.ctpop %a : i32
  %12 = math.ctlz %a : i32
  %13 = math.cttz %c : i8
  // CHECK-NEXT: bool v14 = uint(a) < uint(b);
  // CHECK-NEXT: bool v15 = uint(a) >= uint(b);
  // CHECK-NEXT: bool v16 = a < b;
  %14 = arith.cmpi ult, %a, %b : i32
  %15 = arith.cmpi uge, %a, %b : i32
  %16 = arith.cmpi slt, %a, %b : i32
  // as_type: a bit cast.
  // CHECK-NEXT: float v17 = as_type<float>(a);
  %17 = arith.bitcast %a : i32 to f32
  enigma.return
}
