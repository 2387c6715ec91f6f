// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Vector values as a Metal programmer writes them: lanes `v.z` or `v[i]`,
// swizzles `v.zyx`, constructors `float4(a, b, c, d)`. Bool vectors read
// lanes with subscripts (the cpu device's bool vectors have no swizzles) and
// combine with `&` and `|` (`&&` and `||` are scalar-only).

// CHECK-LABEL: kernel void lanes(
enigma.kernel @lanes(%v: vector<4xf32> {enigma.name = "v", enigma.dtype = "float4"},
                     %u: vector<3xi32> {enigma.name = "u", enigma.dtype = "uint3"},
                     %i: i32 {enigma.name = "i", enigma.dtype = "uint"},
                     %o: memref<?xvector<3xf32>, #enigma.address_space<device>> {enigma.name = "o", enigma.dtype = "float3"}) {
  // CHECK:      float v0 = v.z;
  // CHECK-NEXT: float v1 = v[i];
  // CHECK-NEXT: float3 v2 = v.wzy;
  // CHECK-NEXT: float4 v3 = v.xxxx;
  // CHECK-NEXT: float3 v4 = float3(v.x, v2.y, v.w);
  // CHECK-NEXT: float3 v5 = float3(v0, v1, 1.0f);
  // CHECK-NEXT: uint v6 = u.y;
  // CHECK-NEXT: uint2 v7 = uint2(v6, 3u);
  %0 = vector.extract %v[2] : f32 from vector<4xf32>
  %idx = arith.index_castui %i : i32 to index
  %1 = vector.extract %v[%idx] : f32 from vector<4xf32>
  %2 = vector.shuffle %v, %v [3, 2, 1] : vector<4xf32>, vector<4xf32>
  %3 = vector.shuffle %v, %v [0, 0, 0, 0] : vector<4xf32>, vector<4xf32>
  %4 = vector.shuffle %v, %2 [0, 5, 3] : vector<4xf32>, vector<3xf32>
  %one = arith.constant 1.0 : f32
  %5 = vector.from_elements %0, %1, %one : vector<3xf32>
  %6 = vector.extract %u[1] : i32 from vector<3xi32>
  %three = arith.constant 3 : i32
  %7 = vector.from_elements %6, %three : vector<2xi32>
  %c0 = arith.constant 0 : index
  memref.store %4, %o[%c0] : memref<?xvector<3xf32>, #enigma.address_space<device>>
  memref.store %5, %o[%c0] : memref<?xvector<3xf32>, #enigma.address_space<device>>
  enigma.return
}

// CHECK-LABEL: kernel void bool_lanes(
enigma.kernel @bool_lanes(%a: vector<4xf32> {enigma.name = "a", enigma.dtype = "float4"},
                          %b: vector<4xf32> {enigma.name = "b", enigma.dtype = "float4"}) {
  // CHECK:      bool4 v0 = a < b;
  // CHECK-NEXT: bool4 v1 = a > b;
  // CHECK-NEXT: bool4 v2 = v0 & v1;
  // CHECK-NEXT: bool4 v3 = v0 | v1;
  // CHECK-NEXT: bool v4 = v2[3];
  // CHECK-NEXT: bool2 v5 = bool2(v3[1], v3[0]);
  // CHECK-NEXT: bool v6 = v2[0];
  // CHECK-NEXT: bool3 v7 = bool3(v4, true, v6);
  %0 = arith.cmpf olt, %a, %b : vector<4xf32>
  %1 = arith.cmpf ogt, %a, %b : vector<4xf32>
  %2 = arith.andi %0, %1 : vector<4xi1>
  %3 = arith.ori %0, %1 : vector<4xi1>
  %4 = vector.extract %2[3] : i1 from vector<4xi1>
  %5 = vector.shuffle %3, %3 [1, 0] : vector<4xi1>, vector<4xi1>
  %t = arith.constant true
  %l = vector.extract %2[0] : i1 from vector<4xi1>
  %6 = vector.from_elements %4, %t, %l : vector<3xi1>
  enigma.return
}

// Integer floor division of vectors chooses the step lane by lane.
// CHECK-LABEL: kernel void floor_division(
enigma.kernel @floor_division(%a: vector<2xi32> {enigma.name = "a", enigma.dtype = "int2"},
                              %b: vector<2xi32> {enigma.name = "b", enigma.dtype = "int2"}) {
  // CHECK: int2 v0 = a / b - select(int2(0), select(int2(0), int2(1), (a ^ b) < int2(0)), a % b != int2(0));
  %0 = arith.floordivsi %a, %b : vector<2xi32>
  enigma.return
}

// Geometric functions are calls; length, distance and normalize of float
// print their precise variant, as the math functions do.
// CHECK-LABEL: kernel void geometry(
enigma.kernel @geometry(%x: vector<3xf32> {enigma.name = "x", enigma.dtype = "float3"},
                        %y: vector<3xf32> {enigma.name = "y", enigma.dtype = "float3"},
                        %h: vector<2xf16> {enigma.name = "h", enigma.dtype = "half2"},
                        %eta: f32 {enigma.name = "eta", enigma.dtype = "float"}) {
  // CHECK:      float v0 = dot(x, y);
  // CHECK-NEXT: float v1 = precise::length(x);
  // CHECK-NEXT: half v2 = length(h);
  // CHECK-NEXT: float v3 = precise::distance(x, y);
  // CHECK-NEXT: float3 v4 = cross(x, y);
  // CHECK-NEXT: float3 v5 = precise::normalize(x);
  // CHECK-NEXT: float3 v6 = reflect(x, y);
  // CHECK-NEXT: float3 v7 = refract(x, y, eta);
  // CHECK-NEXT: float3 v8 = faceforward(x, y, v4);
  %0 = enigma.dot %x, %y : vector<3xf32>
  %1 = enigma.length %x : vector<3xf32>
  %2 = enigma.length %h : vector<2xf16>
  %3 = enigma.distance %x, %y : vector<3xf32>
  %4 = enigma.cross %x, %y : vector<3xf32>
  %5 = enigma.normalize %x : vector<3xf32>
  %6 = enigma.reflect %x, %y : vector<3xf32>
  %7 = enigma.refract %x, %y, %eta : vector<3xf32>
  %8 = enigma.faceforward %x, %y, %4 : vector<3xf32>
  enigma.return
}

// Pack results are Metal uints, unpack reads one.
// CHECK-LABEL: kernel void pack(
enigma.kernel @pack(%v: vector<4xf32> {enigma.name = "v", enigma.dtype = "float4"},
                    %w: vector<2xf32> {enigma.name = "w", enigma.dtype = "float2"},
                    %s: i32 {enigma.name = "s", enigma.dtype = "int"}) {
  // CHECK:      uint v0 = pack_float_to_snorm4x8(v);
  // CHECK-NEXT: uint v1 = pack_float_to_unorm4x8(v);
  // CHECK-NEXT: uint v2 = pack_float_to_snorm2x16(w);
  // CHECK-NEXT: uint v3 = pack_float_to_unorm2x16(w);
  // CHECK-NEXT: uint v4 = pack_float_to_srgb_unorm4x8(v);
  // CHECK-NEXT: uint v5 = pack_float_to_unorm10a2(v);
  // CHECK-NEXT: float4 v6 = unpack_snorm4x8_to_float(v0);
  // CHECK-NEXT: float4 v7 = unpack_unorm4x8_to_float(v1);
  // CHECK-NEXT: float2 v8 = unpack_snorm2x16_to_float(v2);
  // CHECK-NEXT: float2 v9 = unpack_unorm2x16_to_float(v3);
  // CHECK-NEXT: float4 v10 = unpack_unorm4x8_srgb_to_float(v4);
  // CHECK-NEXT: float4 v11 = unpack_unorm10a2_to_float(uint(s));
  %0 = enigma.pack_float_to_snorm4x8 %v : vector<4xf32>
  %1 = enigma.pack_float_to_unorm4x8 %v : vector<4xf32>
  %2 = enigma.pack_float_to_snorm2x16 %w : vector<2xf32>
  %3 = enigma.pack_float_to_unorm2x16 %w : vector<2xf32>
  %4 = enigma.pack_float_to_srgb_unorm4x8 %v : vector<4xf32>
  %5 = enigma.pack_float_to_unorm10a2 %v : vector<4xf32>
  %6 = enigma.unpack_snorm4x8_to_float %0 : vector<4xf32>
  %7 = enigma.unpack_unorm4x8_to_float %1 : vector<4xf32>
  %8 = enigma.unpack_snorm2x16_to_float %2 : vector<2xf32>
  %9 = enigma.unpack_unorm2x16_to_float %3 : vector<2xf32>
  %10 = enigma.unpack_unorm4x8_srgb_to_float %4 : vector<4xf32>
  %11 = enigma.unpack_unorm10a2_to_float %s : vector<4xf32>
  enigma.return
}
