// Round-trip of enigma.vector_load and enigma.vector_store on device buffers
// and threadgroup arrays, for 4- and 2-lane vectors of float, half and int.
// RUN: enigma-opt %s | enigma-opt | FileCheck %s
// RUN: enigma-opt %s --mlir-print-op-generic | enigma-opt | FileCheck %s

!devf = memref<?xf32, #enigma.address_space<device>>
!devh = memref<?xf16, #enigma.address_space<device>>
!tgi = memref<64xi32, #enigma.address_space<threadgroup>>

// CHECK-LABEL: enigma.kernel @vectors
enigma.kernel @vectors(%a: !devf {enigma.name = "a", enigma.dtype = "float"},
                       %h: !devh {enigma.name = "h", enigma.dtype = "half"},
                       %k: i32 {enigma.name = "k", enigma.dtype = "uint"}) {
  %i = arith.index_castui %k : i32 to index
  %c8 = arith.constant 8 : index
  %tg = enigma.threadgroup_alloc "int" : !tgi
  // CHECK: %[[V:.*]] = enigma.vector_load %{{.*}}[%{{.*}}] : memref<?xf32, #enigma.address_space<device>> -> vector<4xf32>
  %v = enigma.vector_load %a[%i] : !devf -> vector<4xf32>
  // CHECK: enigma.vector_store %[[V]], %{{.*}}[%{{.*}}] : vector<4xf32>, memref<?xf32, #enigma.address_space<device>>
  enigma.vector_store %v, %a[%c8] : vector<4xf32>, !devf
  // CHECK: enigma.vector_load %{{.*}}[%{{.*}}] : memref<?xf16, #enigma.address_space<device>> -> vector<2xf16>
  %w = enigma.vector_load %h[%c8] : !devh -> vector<2xf16>
  // CHECK: enigma.vector_load %{{.*}}[%{{.*}}] : memref<64xi32, #enigma.address_space<threadgroup>> -> vector<4xi32>
  %t = enigma.vector_load %tg[%c8] : !tgi -> vector<4xi32>
  // CHECK: enigma.vector_store %{{.*}}, %{{.*}}[%{{.*}}] : vector<4xi32>, memref<64xi32, #enigma.address_space<threadgroup>>
  enigma.vector_store %t, %tg[%i] : vector<4xi32>, !tgi
  enigma.return
}
