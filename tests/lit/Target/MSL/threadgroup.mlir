// RUN: enigma-translate --emit-msl %s | FileCheck %s

// Threadgroup arrays are declared first, named tg0, tg1, ... in program
// order, with their dtype's signedness; barriers print with Metal's
// mem_flags. A threadgroup sum reduction:

!dev = memref<?xf32, #enigma.address_space<device>>
!tgf = memref<256xf32, #enigma.address_space<threadgroup>>
!tgu = memref<32xi32, #enigma.address_space<threadgroup>>

// CHECK-LABEL: kernel void reduce(device const float* input {{\[\[}}buffer(0)]],
// CHECK-NEXT:                     device float* output {{\[\[}}buffer(1)]],
// CHECK-NEXT:                     uint3 thread_position_in_grid {{\[\[}}thread_position_in_grid]],
// CHECK-NEXT:                     uint3 threadgroup_position_in_grid {{\[\[}}threadgroup_position_in_grid]],
// CHECK-NEXT:                     uint thread_index_in_threadgroup {{\[\[}}thread_index_in_threadgroup]]) {
// CHECK-NEXT:   alignas(16) threadgroup float tg0[256];
// CHECK-NEXT:   alignas(16) threadgroup uint tg1[32];
// CHECK-NEXT:   // reduce.py:5
// CHECK-NEXT:   uint v0 = thread_position_in_grid.x;
// CHECK-NEXT:   uint v1 = thread_index_in_threadgroup;
// CHECK-NEXT:   uint v2 = threadgroup_position_in_grid.x;
// CHECK-NEXT:   // reduce.py:7
// CHECK-NEXT:   float v3 = input[v0];
// CHECK-NEXT:   tg0[v1] = v3;
// CHECK-NEXT:   tg1[0] = v1;
// CHECK-NEXT:   // reduce.py:8
// CHECK-NEXT:   threadgroup_barrier(mem_flags::mem_threadgroup);
// CHECK-NEXT:   // reduce.py:9
// CHECK-NEXT:   for (uint v4 = 0u; v4 < 8u; v4 += 1u) {
// CHECK-NEXT:     // reduce.py:10
// CHECK-NEXT:     uint v5 = 128u >> v4;
// CHECK-NEXT:     bool v6 = v1 < v5;
// CHECK-NEXT:     // reduce.py:11
// CHECK-NEXT:     if (v6) {
// CHECK-NEXT:       // reduce.py:12
// CHECK-NEXT:       float v7 = tg0[v1];
// CHECK-NEXT:       uint v8 = v1 + v5;
// CHECK-NEXT:       float v9 = tg0[v8];
// CHECK-NEXT:       float v10 = v7 + v9;
// CHECK-NEXT:       tg0[v1] = v10;
// CHECK-NEXT:     }
// CHECK-NEXT:     // reduce.py:13
// CHECK-NEXT:     threadgroup_barrier(mem_flags::mem_threadgroup);
// CHECK-NEXT:   }
// CHECK-NEXT:   // reduce.py:14
// CHECK-NEXT:   threadgroup_barrier(mem_flags::mem_none);
// CHECK-NEXT:   threadgroup_barrier(mem_flags::mem_device);
// CHECK-NEXT:   threadgroup_barrier(mem_flags::mem_device | mem_flags::mem_threadgroup);
// CHECK-NEXT:   threadgroup_barrier(mem_flags::mem_texture);
// CHECK-NEXT:   simdgroup_barrier(mem_flags::mem_threadgroup);
// CHECK-NEXT:   // reduce.py:15
// CHECK-NEXT:   float v11 = tg0[0];
// CHECK-NEXT:   output[v2] = v11;
// CHECK-NEXT: }
enigma.kernel @reduce(%input: !dev {enigma.name = "input", enigma.dtype = "float"},
                      %output: !dev {enigma.name = "output", enigma.dtype = "float"}) {
  %tid = enigma.builtin thread_position_in_grid x : i32 loc(#l5)
  %lid = enigma.builtin thread_index_in_threadgroup : i32 loc(#l5)
  %gid = enigma.builtin threadgroup_position_in_grid x : i32 loc(#l5)
  %tg = enigma.threadgroup_alloc "float" : !tgf loc(#l6)
  %tgu = enigma.threadgroup_alloc "uint" : !tgu loc(#l6)
  %c0 = arith.constant 0 : i32 loc(#l9)
  %c1 = arith.constant 1 : i32 loc(#l9)
  %c8 = arith.constant 8 : i32 loc(#l9)
  %c128 = arith.constant 128 : i32 loc(#l10)
  %i0 = arith.constant 0 : index loc(#l7)
  %itid = arith.index_castui %tid : i32 to index loc(#l7)
  %ilid = arith.index_castui %lid : i32 to index loc(#l7)
  %x = memref.load %input[%itid] : !dev loc(#l7)
  memref.store %x, %tg[%ilid] : !tgf loc(#l7)
  memref.store %lid, %tgu[%i0] : !tgu loc(#l7)
  enigma.threadgroup_barrier mem_threadgroup loc(#l8)
  scf.for unsigned %k = %c0 to %c8 step %c1 : i32 {
    %stride = arith.shrui %c128, %k : i32 loc(#l10)
    %active = arith.cmpi ult, %lid, %stride : i32 loc(#l10)
    scf.if %active {
      %a = memref.load %tg[%ilid] : !tgf loc(#l12)
      %j = arith.addi %lid, %stride : i32 loc(#l12)
      %ij = arith.index_castui %j : i32 to index loc(#l12)
      %b = memref.load %tg[%ij] : !tgf loc(#l12)
      %s = arith.addf %a, %b : f32 loc(#l12)
      memref.store %s, %tg[%ilid] : !tgf loc(#l12)
    } loc(#l11)
    enigma.threadgroup_barrier mem_threadgroup loc(#l13)
  } loc(#l9)
  enigma.threadgroup_barrier mem_none loc(#l14)
  enigma.threadgroup_barrier mem_device loc(#l14)
  enigma.threadgroup_barrier mem_device_and_threadgroup loc(#l14)
  enigma.threadgroup_barrier mem_texture loc(#l14)
  enigma.simdgroup_barrier mem_threadgroup loc(#l14)
  %r = memref.load %tg[%i0] : !tgf loc(#l15)
  %igid = arith.index_castui %gid : i32 to index loc(#l15)
  memref.store %r, %output[%igid] : !dev loc(#l15)
  enigma.return loc(#l15)
} loc(#l4)

#l4 = loc("/src/reduce.py":4:0)
#l5 = loc("/src/reduce.py":5:4)
#l6 = loc("/src/reduce.py":6:4)
#l7 = loc("/src/reduce.py":7:4)
#l8 = loc("/src/reduce.py":8:4)
#l9 = loc("/src/reduce.py":9:4)
#l10 = loc("/src/reduce.py":10:8)
#l11 = loc("/src/reduce.py":11:8)
#l12 = loc("/src/reduce.py":12:12)
#l13 = loc("/src/reduce.py":13:8)
#l14 = loc("/src/reduce.py":14:4)
#l15 = loc("/src/reduce.py":15:4)
