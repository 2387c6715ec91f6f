// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Constants print inline, spelled for the type that reads them: the shortest
// float decimal that reads back exactly, with the type's suffix; NaN and
// infinity by name (a NaN with a payload by its bits); integer minimums as a
// difference (`-2147483648` is not an int literal); narrow integers through
// their type; vectors through a constructor.

// CHECK-LABEL: kernel void constants(
// CHECK:        h[0] = 1.5h;
// CHECK-NEXT:   h[1] = 0.099975586h;
// CHECK-NEXT:   h[2] = half(NAN);
// CHECK-NEXT:   h[3] = half(-INFINITY);
// CHECK-NEXT:   bf[0] = bfloat(1.5f);
// CHECK-NEXT:   bf[1] = bfloat(INFINITY);
// CHECK-NEXT:   f[0] = 1.5f;
// CHECK-NEXT:   f[1] = 0.1f;
// CHECK-NEXT:   f[2] = -0.0f;
// CHECK-NEXT:   f[3] = 3.0f;
// CHECK-NEXT:   f[4] = 1e+30f;
// CHECK-NEXT:   f[5] = 1e-45f;
// CHECK-NEXT:   f[6] = NAN;
// CHECK-NEXT:   f[7] = -INFINITY;
// CHECK-NEXT:   f[8] = as_type<float>(2143289345u);
// CHECK-NEXT:   l[0] = (-9223372036854775807L - 1L);
// CHECK-NEXT:   l[1] = 42L;
// CHECK-NEXT:   ul[0] = 18446744073709551615UL;
// CHECK-NEXT:   i[0] = (-2147483647 - 1);
// CHECK-NEXT:   i[1] = -7;
// CHECK-NEXT:   u[0] = 4294967295u;
// CHECK-NEXT:   s[0] = short(-32768);
// CHECK-NEXT:   c[0] = uchar(200);
// CHECK-NEXT:   b[0] = true;
// CHECK-NEXT:   b[1] = false;
// CHECK-NEXT:   f4[0] = float4(1.5f);
// CHECK-NEXT:   f4[1] = float4(1.0f, 2.0f, 3.0f, 4.5f);
// CHECK-NEXT:   i4[0] = int4(-1, 0, 1, (-2147483647 - 1));
// CHECK-NEXT: }
enigma.kernel @constants(
    %h: memref<?xf16, #enigma.address_space<device>> {enigma.name = "h", enigma.dtype = "half"},
    %bf: memref<?xbf16, #enigma.address_space<device>> {enigma.name = "bf", enigma.dtype = "bfloat"},
    %f: memref<?xf32, #enigma.address_space<device>> {enigma.name = "f", enigma.dtype = "float"},
    %l: memref<?xi64, #enigma.address_space<device>> {enigma.name = "l", enigma.dtype = "long"},
    %ul: memref<?xi64, #enigma.address_space<device>> {enigma.name = "ul", enigma.dtype = "ulong"},
    %i: memref<?xi32, #enigma.address_space<device>> {enigma.name = "i", enigma.dtype = "int"},
    %u: memref<?xi32, #enigma.address_space<device>> {enigma.name = "u", enigma.dtype = "uint"},
    %s: memref<?xi16, #enigma.address_space<device>> {enigma.name = "s", enigma.dtype = "short"},
    %c: memref<?xi8, #enigma.address_space<device>> {enigma.name = "c", enigma.dtype = "uchar"},
    %b: memref<?xi1, #enigma.address_space<device>> {enigma.name = "b", enigma.dtype = "bool"},
    %f4: memref<?xvector<4xf32>, #enigma.address_space<device>> {enigma.name = "f4", enigma.dtype = "float4"},
    %i4: memref<?xvector<4xi32>, #enigma.address_space<device>> {enigma.name = "i4", enigma.dtype = "int4"}) {
  %0 = arith.constant 0 : index
  %1 = arith.constant 1 : index
  %2 = arith.constant 2 : index
  %3 = arith.constant 3 : index
  %4 = arith.constant 4 : index
  %5 = arith.constant 5 : index
  %6 = arith.constant 6 : index
  %7 = arith.constant 7 : index
  %8 = arith.constant 8 : index
  %h_a = arith.constant 1.5 : f16
  %h_b = arith.constant 0.1 : f16
  %h_nan = arith.constant 0x7E00 : f16
  %h_ninf = arith.constant 0xFC00 : f16
  memref.store %h_a, %h[%0] : memref<?xf16, #enigma.address_space<device>>
  memref.store %h_b, %h[%1] : memref<?xf16, #enigma.address_space<device>>
  memref.store %h_nan, %h[%2] : memref<?xf16, #enigma.address_space<device>>
  memref.store %h_ninf, %h[%3] : memref<?xf16, #enigma.address_space<device>>
  %bf_a = arith.constant 1.5 : bf16
  %bf_inf = arith.constant 0x7F80 : bf16
  memref.store %bf_a, %bf[%0] : memref<?xbf16, #enigma.address_space<device>>
  memref.store %bf_inf, %bf[%1] : memref<?xbf16, #enigma.address_space<device>>
  %f_a = arith.constant 1.5 : f32
  %f_b = arith.constant 0.1 : f32
  %f_nzero = arith.constant -0.0 : f32
  %f_int = arith.constant 3.0 : f32
  %f_big = arith.constant 1.0e+30 : f32
  %f_tiny = arith.constant 0x00000001 : f32
  %f_nan = arith.constant 0x7FC00000 : f32
  %f_ninf = arith.constant 0xFF800000 : f32
  %f_payload = arith.constant 0x7FC00001 : f32
  memref.store %f_a, %f[%0] : memref<?xf32, #enigma.address_space<device>>
  memref.store %f_b, %f[%1] : memref<?xf32, #enigma.address_space<device>>
  memref.store %f_nzero, %f[%2] : memref<?xf32, #enigma.address_space<device>>
  memref.store %f_int, %f[%3] : memref<?xf32, #enigma.address_space<device>>
  memref.store %f_big, %f[%4] : memref<?xf32, #enigma.address_space<device>>
  memref.store %f_tiny, %f[%5] : memref<?xf32, #enigma.address_space<device>>
  memref.store %f_nan, %f[%6] : memref<?xf32, #enigma.address_space<device>>
  memref.store %f_ninf, %f[%7] : memref<?xf32, #enigma.address_space<device>>
  memref.store %f_payload, %f[%8] : memref<?xf32, #enigma.address_space<device>>
  %l_min = arith.constant -9223372036854775808 : i64
  %l_a = arith.constant 42 : i64
  %ul_max = arith.constant -1 : i64
  memref.store %l_min, %l[%0] : memref<?xi64, #enigma.address_space<device>>
  memref.store %l_a, %l[%1] : memref<?xi64, #enigma.address_space<device>>
  memref.store %ul_max, %ul[%0] : memref<?xi64, #enigma.address_space<device>>
  %i_min = arith.constant -2147483648 : i32
  %i_a = arith.constant -7 : i32
  %u_max = arith.constant -1 : i32
  memref.store %i_min, %i[%0] : memref<?xi32, #enigma.address_space<device>>
  memref.store %i_a, %i[%1] : memref<?xi32, #enigma.address_space<device>>
  memref.store %u_max, %u[%0] : memref<?xi32, #enigma.address_space<device>>
  %s_min = arith.constant -32768 : i16
  %c_a = arith.constant 200 : i8
  memref.store %s_min, %s[%0] : memref<?xi16, #enigma.address_space<device>>
  memref.store %c_a, %c[%0] : memref<?xi8, #enigma.address_space<device>>
  %true = arith.constant true
  %false = arith.constant false
  memref.store %true, %b[%0] : memref<?xi1, #enigma.address_space<device>>
  memref.store %false, %b[%1] : memref<?xi1, #enigma.address_space<device>>
  %splat = arith.constant dense<1.5> : vector<4xf32>
  %lanes = arith.constant dense<[1.0, 2.0, 3.0, 4.5]> : vector<4xf32>
  %ilanes = arith.constant dense<[-1, 0, 1, -2147483648]> : vector<4xi32>
  memref.store %splat, %f4[%0] : memref<?xvector<4xf32>, #enigma.address_space<device>>
  memref.store %lanes, %f4[%1] : memref<?xvector<4xf32>, #enigma.address_space<device>>
  memref.store %ilanes, %i4[%0] : memref<?xvector<4xi32>, #enigma.address_space<device>>
  enigma.return
}
