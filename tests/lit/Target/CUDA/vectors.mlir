// RUN: enigma-translate --emit-cuda --emit-cuda-locations=false %s | FileCheck %s

// Metal's vectors are the prelude's `enigma_vec<T, N>` (CUDAVectorPrelude.inc):
// lanes `v.z` or `v[i]`, constructors `enigma_vec<float, 3>(a, b, c)`,
// operators lane by lane, comparisons giving bool vectors, Metal's select()
// as enigma_select, functions lane by lane. CUDA's vectors have no swizzles:
// the CUDA legalization (CUDALegalize.cpp) rebuilds every shuffle from its
// lanes before printing. Vector loads and stores dereference the element
// pointer cast to a vector pointer.

// CHECK-LABEL: extern "C" __global__ void lanes(enigma_vec<float, 4> v,
// CHECK-NEXT: enigma_vec<unsigned int, 3> u,
// CHECK-NEXT: unsigned int i,
// CHECK-NEXT: enigma_vec<float, 3>* o,
// CHECK-NEXT: EnigmaLaunch enigma_launch) {
// CHECK-NEXT: if (!enigma_in_grid(enigma_launch)) return;
// CHECK-NEXT: float v0 = v.z;
// CHECK-NEXT: float v1 = v[i];
// CHECK-NEXT: float v2 = v.w;
// CHECK-NEXT: float v3 = v.z;
// CHECK-NEXT: float v4 = v.y;
// CHECK-NEXT: enigma_vec<float, 3> v5 = enigma_vec<float, 3>(v2, v3, v4);
// CHECK-NEXT: float v6 = v.x;
// CHECK-NEXT: float v7 = v5.y;
// CHECK-NEXT: float v8 = v.w;
// CHECK-NEXT: enigma_vec<float, 3> v9 = enigma_vec<float, 3>(v6, v7, v8);
// CHECK-NEXT: enigma_vec<float, 3> v10 = enigma_vec<float, 3>(v0, v1, 1.0f);
// CHECK-NEXT: enigma_vec<float, 3> v11 = v9 + v10;
// CHECK-NEXT: o[0] = v11;
// CHECK-NEXT: }
enigma.kernel @lanes(%v: vector<4xf32> {enigma.name = "v", enigma.dtype = "float4"},
                     %u: vector<3xi32> {enigma.name = "u", enigma.dtype = "uint3"},
                     %i: i32 {enigma.name = "i", enigma.dtype = "uint"},
                     %o: memref<?xvector<3xf32>, #enigma.address_space<device>> {enigma.name = "o", enigma.dtype = "float3"}) {
  %0 = vector.extract %v[2] : f32 from vector<4xf32>
  %idx = arith.index_castui %i : i32 to index
  %1 = vector.extract %v[%idx] : f32 from vector<4xf32>
  %2 = vector.shuffle %v, %v [3, 2, 1] : vector<4xf32>, vector<4xf32>
  %4 = vector.shuffle %v, %2 [0, 5, 3] : vector<4xf32>, vector<3xf32>
  %one = arith.constant 1.0 : f32
  %5 = vector.from_elements %0, %1, %one : vector<3xf32>
  %6 = arith.addf %4, %5 : vector<3xf32>
  %c0 = arith.constant 0 : index
  memref.store %6, %o[%c0] : memref<?xvector<3xf32>, #enigma.address_space<device>>
  enigma.return
}

// CHECK-LABEL: extern "C" __global__ void bool_lanes(enigma_vec<float, 4> a,
// CHECK-NEXT: enigma_vec<float, 4> b,
// CHECK-NEXT: enigma_vec<float, 4>* o,
// CHECK-NEXT: EnigmaLaunch enigma_launch) {
// CHECK-NEXT: if (!enigma_in_grid(enigma_launch)) return;
// CHECK-NEXT: enigma_vec<bool, 4> v0 = a < b;
// CHECK-NEXT: enigma_vec<bool, 4> v1 = a > b;
// CHECK-NEXT: enigma_vec<bool, 4> v2 = v0 & v1;
// CHECK-NEXT: bool v3 = v2[1];
// CHECK-NEXT: bool v4 = v2[0];
// CHECK-NEXT: enigma_vec<bool, 2> v5 = enigma_vec<bool, 2>(v3, v4);
// CHECK-NEXT: enigma_vec<float, 4> v6 = enigma_select(b, a, v0);
// CHECK-NEXT: enigma_vec<float, 4> v7 = enigma_vec<float, 4>(v1);
// CHECK-NEXT: enigma_vec<float, 4> v8 = enigma_sqrt(v7);
// CHECK-NEXT: o[0] = v6;
// CHECK-NEXT: o[0] = v8;
// CHECK-NEXT: }
enigma.kernel @bool_lanes(%a: vector<4xf32> {enigma.name = "a", enigma.dtype = "float4"},
                          %b: vector<4xf32> {enigma.name = "b", enigma.dtype = "float4"},
                          %o: memref<?xvector<4xf32>, #enigma.address_space<device>> {enigma.name = "o", enigma.dtype = "float4"}) {
  %0 = arith.cmpf olt, %a, %b : vector<4xf32>
  %1 = arith.cmpf ogt, %a, %b : vector<4xf32>
  %2 = arith.andi %0, %1 : vector<4xi1>
  %3 = vector.shuffle %2, %2 [1, 0] : vector<4xi1>, vector<4xi1>
  %4 = arith.select %0, %a, %b : vector<4xi1>, vector<4xf32>
  %5 = arith.uitofp %1 : vector<4xi1> to vector<4xf32>
  %6 = math.sqrt %5 : vector<4xf32>
  %c0 = arith.constant 0 : index
  memref.store %4, %o[%c0] : memref<?xvector<4xf32>, #enigma.address_space<device>>
  memref.store %6, %o[%c0] : memref<?xvector<4xf32>, #enigma.address_space<device>>
  enigma.return
}

// CHECK-LABEL: extern "C" __global__ void floor_division(enigma_vec<int, 2> a,
// CHECK-NEXT: enigma_vec<int, 2> b,
// CHECK-NEXT: EnigmaLaunch enigma_launch) {
// CHECK-NEXT: if (!enigma_in_grid(enigma_launch)) return;
// CHECK-NEXT: enigma_vec<int, 2> v0 = a / b - enigma_select(enigma_vec<int, 2>(0), enigma_select(enigma_vec<int, 2>(0), enigma_vec<int, 2>(1), (a ^ b) < enigma_vec<int, 2>(0)), a % b != enigma_vec<int, 2>(0));
// CHECK-NEXT: }
enigma.kernel @floor_division(%a: vector<2xi32> {enigma.name = "a", enigma.dtype = "int2"},
                              %b: vector<2xi32> {enigma.name = "b", enigma.dtype = "int2"}) {
  %0 = arith.floordivsi %a, %b : vector<2xi32>
  enigma.return
}

// CHECK-LABEL: extern "C" __global__ void geometry(enigma_vec<float, 3> x,
// CHECK-NEXT: enigma_vec<float, 3> y,
// CHECK-NEXT: enigma_vec<float, 4> w,
// CHECK-NEXT: EnigmaLaunch enigma_launch) {
// CHECK-NEXT: if (!enigma_in_grid(enigma_launch)) return;
// CHECK-NEXT: float v0 = enigma_dot(x, y);
// CHECK-NEXT: float v1 = enigma_length(x);
// CHECK-NEXT: enigma_vec<float, 3> v2 = enigma_cross(x, y);
// CHECK-NEXT: unsigned int v3 = enigma_pack_float_to_unorm4x8(w);
// CHECK-NEXT: }
enigma.kernel @geometry(%x: vector<3xf32> {enigma.name = "x", enigma.dtype = "float3"},
                        %y: vector<3xf32> {enigma.name = "y", enigma.dtype = "float3"},
                        %w: vector<4xf32> {enigma.name = "w", enigma.dtype = "float4"}) {
  %0 = enigma.dot %x, %y : vector<3xf32>
  %1 = enigma.length %x : vector<3xf32>
  %4 = enigma.cross %x, %y : vector<3xf32>
  %5 = enigma.pack_float_to_unorm4x8 %w : vector<4xf32>
  enigma.return
}

!devf = memref<?xf32, #enigma.address_space<device>>
!devh = memref<?xf16, #enigma.address_space<device>>
!tgf = memref<64xf32, #enigma.address_space<threadgroup>>
// CHECK-LABEL: extern "C" __global__ void vector_access(const float* a,
// CHECK-NEXT: __half* h,
// CHECK-NEXT: unsigned int k,
// CHECK-NEXT: EnigmaLaunch enigma_launch) {
// CHECK-NEXT: __shared__ __align__(16) float tg0[64];
// CHECK-NEXT: if (!enigma_in_grid(enigma_launch)) return;
// CHECK-NEXT: enigma_vec<float, 4> v0 = *reinterpret_cast<const enigma_vec<float, 4>*>(a + k);
// CHECK-NEXT: *reinterpret_cast<enigma_vec<float, 4>*>(tg0 + 8u) = v0;
// CHECK-NEXT: enigma_vec<float, 4> v1 = *reinterpret_cast<enigma_vec<float, 4>*>(tg0 + k);
// CHECK-NEXT: enigma_vec<__half, 2> v2 = *reinterpret_cast<const enigma_vec<__half, 2>*>(h + 8u);
// CHECK-NEXT: *reinterpret_cast<enigma_vec<__half, 2>*>(h + k) = v2;
// CHECK-NEXT: }
enigma.kernel @vector_access(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                       %h: !devh {enigma.name = "h", enigma.dtype = "half"},
                       %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  %tg = enigma.threadgroup_alloc "float" : !tgf
  %c0 = arith.constant 0 : i32
  %c8 = arith.constant 8 : i32
  %i0 = arith.index_castui %c0 : i32 to index
  %i8 = arith.index_castui %c8 : i32 to index
  %ik = arith.index_castui %k : i32 to index
  %v = enigma.vector_load %a[%ik] : !devf -> vector<4xf32>
  enigma.vector_store %v, %tg[%i8] : vector<4xf32>, !tgf
  %t = enigma.vector_load %tg[%ik] : !tgf -> vector<4xf32>
  %x = enigma.vector_load %h[%i8] : !devh -> vector<2xf16>
  enigma.vector_store %x, %h[%ik] : vector<2xf16>, !devh
  enigma.return
}
