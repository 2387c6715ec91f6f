// RUN: enigma-translate --emit-cuda --emit-cuda-locations=false %s | FileCheck %s

// Float to integer conversions print as the prelude's enigma_float_to_int,
// which gives Metal's result (toward zero, saturating, NaN -> 0) for float,
// half, bfloat and their vectors; a C cast is undefined out of range, and
// cuda_fp16.h's conversion gives the minimum for a NaN half. Integer to
// float and float to float conversions stay casts.

// CHECK-LABEL: extern "C" __global__ void to_integers(__half h,
// CHECK: long long v0 = enigma_float_to_int<long long>(h);
// CHECK: unsigned char v1 = enigma_float_to_int<unsigned char>(b);
// CHECK: enigma_vec<int, 2> v2 = enigma_float_to_int<enigma_vec<int, 2>>(hv);
// CHECK: int v3 = enigma_float_to_int<int>(f);
// CHECK: float v4 = (float)(i);
enigma.kernel @to_integers(%h: f16 {enigma.name = "h", enigma.dtype = "half"},
                           %b: bf16 {enigma.name = "b", enigma.dtype = "bfloat"},
                           %hv: vector<2xf16> {enigma.name = "hv", enigma.dtype = "half2"},
                           %f: f32 {enigma.name = "f", enigma.dtype = "float"},
                           %i: i32 {enigma.name = "i", enigma.dtype = "int"},
                           %o: memref<?xi64, #enigma.address_space<device>> {enigma.name = "o", enigma.dtype = "long"},
                           %o8: memref<?xi8, #enigma.address_space<device>> {enigma.name = "o8", enigma.dtype = "uchar"},
                           %o2: memref<?xvector<2xi32>, #enigma.address_space<device>> {enigma.name = "o2", enigma.dtype = "int2"},
                           %o32: memref<?xi32, #enigma.address_space<device>> {enigma.name = "o32", enigma.dtype = "int"},
                           %of: memref<?xf32, #enigma.address_space<device>> {enigma.name = "of", enigma.dtype = "float"}) {
  %c0 = arith.constant 0 : index
  %0 = arith.fptosi %h : f16 to i64
  memref.store %0, %o[%c0] : memref<?xi64, #enigma.address_space<device>>
  %1 = arith.fptoui %b : bf16 to i8
  memref.store %1, %o8[%c0] : memref<?xi8, #enigma.address_space<device>>
  %2 = arith.fptosi %hv : vector<2xf16> to vector<2xi32>
  memref.store %2, %o2[%c0] : memref<?xvector<2xi32>, #enigma.address_space<device>>
  %3 = arith.fptosi %f : f32 to i32
  memref.store %3, %o32[%c0] : memref<?xi32, #enigma.address_space<device>>
  %4 = arith.sitofp %i : i32 to f32
  memref.store %4, %of[%c0] : memref<?xf32, #enigma.address_space<device>>
  enigma.return
}
