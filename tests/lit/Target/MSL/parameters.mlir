// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Parameter types and names: a buffer that is read and written is `device T*`,
// one never touched is `device const T*`; vector and narrow Scalars keep their
// Metal type. Python names that are MSL words, type or function names,
// thread-query names or look like generated names get a trailing `_`.

// CHECK-LABEL: kernel void params(device float* data {{\[\[}}buffer(0)]],
// CHECK-NEXT:                     device const half* half_ {{\[\[}}buffer(1)]],
// CHECK-NEXT:                     device const bool* flags {{\[\[}}buffer(2)]],
// CHECK-NEXT:                     device const uint4* v0_ {{\[\[}}buffer(3)]],
// CHECK-NEXT:                     constant float4& float4_ {{\[\[}}buffer(4)]],
// CHECK-NEXT:                     constant uchar& tg0_ {{\[\[}}buffer(5)]],
// CHECK-NEXT:                     constant int& thread_position_in_grid_ {{\[\[}}buffer(6)]],
// CHECK-NEXT:                     constant long& sqrt_ {{\[\[}}buffer(7)]],
// CHECK-NEXT:                     constant short& kernel_ {{\[\[}}buffer(8)]],
// CHECK-NEXT:                     uint3 thread_position_in_grid {{\[\[}}thread_position_in_grid]]) {
// CHECK-NEXT:    uint v0 = thread_position_in_grid.x;
// CHECK-NEXT:    float v1 = data[v0];
// CHECK-NEXT:    float v2 = v1 * v1;
// CHECK-NEXT:    data[v0] = v2;
// CHECK-NEXT:  }
enigma.kernel @params(
    %data: memref<?xf32, #enigma.address_space<device>> {enigma.name = "data", enigma.dtype = "float"},
    %h: memref<?xf16, #enigma.address_space<device>> {enigma.name = "half", enigma.dtype = "half"},
    %flags: memref<?xi1, #enigma.address_space<device>> {enigma.name = "flags", enigma.dtype = "bool"},
    %v: memref<?xvector<4xi32>, #enigma.address_space<device>> {enigma.name = "v0", enigma.dtype = "uint4"},
    %f4: vector<4xf32> {enigma.name = "float4", enigma.dtype = "float4"},
    %tg: i8 {enigma.name = "tg0", enigma.dtype = "uchar"},
    %q: i32 {enigma.name = "thread_position_in_grid", enigma.dtype = "int"},
    %s: i64 {enigma.name = "sqrt", enigma.dtype = "long"},
    %k: i16 {enigma.name = "kernel", enigma.dtype = "short"}) {
  %tid = enigma.builtin thread_position_in_grid x : i32
  %i = arith.index_castui %tid : i32 to index
  %x = memref.load %data[%i] : memref<?xf32, #enigma.address_space<device>>
  %y = arith.mulf %x, %x : f32
  memref.store %y, %data[%i] : memref<?xf32, #enigma.address_space<device>>
  enigma.return
}
