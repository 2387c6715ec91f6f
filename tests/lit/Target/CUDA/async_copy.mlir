// RUN: enigma-translate --emit-cuda --emit-cuda-locations=false %s | FileCheck %s

// The CUDA legalization (CUDALegalize.cpp) turns an async copy into a plain
// copy shared by the SIMD-group's active lanes: each copies every count-th
// element of the tile from its rank among them on (count: simd_sum(1), rank:
// simd_prefix_exclusive_sum(1)). A wait becomes a SIMD-group barrier, which
// orders those writes before the other lanes' reads, as Metal's wait does
// for the SIMD-group.

// CHECK-LABEL: extern "C" __global__ void copies(float* a,
// CHECK-NEXT: unsigned int k,
// CHECK-NEXT: EnigmaLaunch enigma_launch) {
// CHECK-NEXT: __shared__ __align__(16) float tg0[64];
// CHECK-NEXT: if (!enigma_in_grid(enigma_launch)) return;
// CHECK-NEXT: unsigned int v0 = enigma_simd_sum(1u);
// CHECK-NEXT: unsigned int v1 = enigma_simd_prefix_exclusive_sum(1u);
// CHECK-NEXT: unsigned int v2 = 8u * 8u;
// CHECK-NEXT: for (int v3 = (int)(v1); v3 < (int)(v2); v3 += (int)(v0)) {
// CHECK-NEXT: unsigned int v4 = (unsigned int)(v3) / 8u;
// CHECK-NEXT: unsigned int v5 = (unsigned int)(v3) % 8u;
// CHECK-NEXT: unsigned int v6 = v4 * 64u;
// CHECK-NEXT: unsigned int v7 = v6 + v5;
// CHECK-NEXT: unsigned int v8 = k + v7;
// CHECK-NEXT: unsigned int v9 = v4 * 8u;
// CHECK-NEXT: unsigned int v10 = v9 + v5;
// CHECK-NEXT: unsigned int v11 = 0u + v10;
// CHECK-NEXT: float v12 = a[v8];
// CHECK-NEXT: tg0[v11] = v12;
// CHECK-NEXT: }
// CHECK-NEXT: __syncwarp(__activemask());
// CHECK-NEXT: unsigned int v13 = enigma_simd_sum(1u);
// CHECK-NEXT: unsigned int v14 = enigma_simd_prefix_exclusive_sum(1u);
// CHECK-NEXT: unsigned int v15 = 64u * 1u;
// CHECK-NEXT: for (int v16 = (int)(v14); v16 < (int)(v15); v16 += (int)(v13)) {
// CHECK-NEXT: unsigned int v17 = (unsigned int)(v16) / 64u;
// CHECK-NEXT: unsigned int v18 = (unsigned int)(v16) % 64u;
// CHECK-NEXT: unsigned int v19 = v17 * 64u;
// CHECK-NEXT: unsigned int v20 = v19 + v18;
// CHECK-NEXT: unsigned int v21 = 0u + v20;
// CHECK-NEXT: unsigned int v22 = v17 * 64u;
// CHECK-NEXT: unsigned int v23 = v22 + v18;
// CHECK-NEXT: unsigned int v24 = 8u + v23;
// CHECK-NEXT: float v25 = tg0[v21];
// CHECK-NEXT: a[v24] = v25;
// CHECK-NEXT: }
// CHECK-NEXT: __syncwarp(__activemask());
// CHECK-NEXT: }
!devf = memref<?xf32, #enigma.address_space<device>>
!tgf = memref<64xf32, #enigma.address_space<threadgroup>>

enigma.kernel @copies(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                      %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  %tg = enigma.threadgroup_alloc "float" : !tgf
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c8 = arith.constant 8 : i32
  %c64 = arith.constant 64 : i32
  %i0 = arith.index_castui %c0 : i32 to index
  %i1 = arith.index_castui %c1 : i32 to index
  %i8 = arith.index_castui %c8 : i32 to index
  %i64 = arith.index_castui %c64 : i32 to index
  %ik = arith.index_castui %k : i32 to index
  %e = enigma.async_copy %tg[%i0] stride %i8, %a[%ik] stride %i64 tile(%i8, %i8) : !tgf, !devf
  enigma.async_copy_wait %e
  %f = enigma.async_copy %a[%i8] stride %i64, %tg[%i0] stride %i64 tile(%i64, %i1) : !devf, !tgf
  enigma.async_copy_wait %e, %f
  enigma.return
}
