// The default pipeline (canonicalize, cse, hoist, check) every compile runs: folds
// constants, merges duplicates, drops dead code and unused threadgroup
// memory, keeps barriers, and hoists threadgroup memory to kernel scope.
// RUN: enigma-opt %s --enigma-default-pipeline | FileCheck %s

// The used allocation comes first, the unused one is gone; 2 + 3 folds to 5;
// the two identical queries become one; dead code is dropped; barriers have
// unknown effects, so both stay, in order.
// CHECK-LABEL: enigma.kernel @reduce
// CHECK-NEXT: %[[TG:.*]] = enigma.threadgroup_alloc "float" : memref<256xf32
// CHECK-NEXT: %[[FIVE:.*]] = arith.constant 5.000000e+00 : f32
// CHECK-NEXT: %[[TID:.*]] = enigma.builtin thread_index_in_threadgroup : i32
// CHECK-NEXT: %[[I:.*]] = arith.index_castui %[[TID]] : i32 to index
// CHECK-NEXT: %[[X:.*]] = memref.load %in[%[[I]]]
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[X]], %[[FIVE]] : f32
// CHECK-NEXT: memref.store %[[Y]], %[[TG]][%[[I]]]
// CHECK-NEXT: enigma.threadgroup_barrier mem_threadgroup
// CHECK-NEXT: enigma.threadgroup_barrier mem_threadgroup
// CHECK-NEXT: %[[Z:.*]] = memref.load %[[TG]][%[[I]]]
// CHECK-NEXT: memref.store %[[Z]], %out[%[[I]]]
// CHECK-NEXT: enigma.return
enigma.kernel @reduce(%in: memref<?xf32, #enigma.address_space<device>> {enigma.name = "in", enigma.dtype = "float"},
                      %out: memref<?xf32, #enigma.address_space<device>> {enigma.name = "out", enigma.dtype = "float"}) {
  %tid = enigma.builtin thread_index_in_threadgroup : i32
  %tid2 = enigma.builtin thread_index_in_threadgroup : i32
  %i = arith.index_castui %tid : i32 to index
  %j = arith.index_castui %tid2 : i32 to index
  %x = memref.load %in[%i] : memref<?xf32, #enigma.address_space<device>>
  %two = arith.constant 2.0 : f32
  %three = arith.constant 3.0 : f32
  %five = arith.addf %two, %three : f32
  %y = arith.mulf %x, %five : f32
  %dead = arith.subf %x, %five : f32
  %unused = enigma.threadgroup_alloc "int" : memref<16xi32, #enigma.address_space<threadgroup>>
  %tg = enigma.threadgroup_alloc "float" : memref<256xf32, #enigma.address_space<threadgroup>>
  memref.store %y, %tg[%j] : memref<256xf32, #enigma.address_space<threadgroup>>
  enigma.threadgroup_barrier mem_threadgroup
  enigma.threadgroup_barrier mem_threadgroup
  %z = memref.load %tg[%i] : memref<256xf32, #enigma.address_space<threadgroup>>
  memref.store %z, %out[%i] : memref<?xf32, #enigma.address_space<device>>
  enigma.return
}

// Unsigned loop bounds keep their unsigned comparison through the pipeline.
// CHECK-LABEL: enigma.kernel @unsigned_loop
// CHECK: scf.for unsigned
enigma.kernel @unsigned_loop(%n: i32 {enigma.name = "n", enigma.dtype = "uint"},
                             %out: memref<?xi32, #enigma.address_space<device>> {enigma.name = "out", enigma.dtype = "uint"}) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %sum = scf.for unsigned %k = %c0 to %n step %c1 iter_args(%acc = %c0) -> (i32) : i32 {
    %next = arith.addi %acc, %k : i32
    scf.yield %next : i32
  }
  %i = arith.constant 0 : index
  memref.store %sum, %out[%i] : memref<?xi32, #enigma.address_space<device>>
  enigma.return
}
