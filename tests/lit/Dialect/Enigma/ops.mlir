// Round-trip of every enigma op: the printed form parses back to the same IR.
// RUN: enigma-opt %s | enigma-opt | FileCheck %s
// RUN: enigma-opt %s --mlir-print-op-generic | enigma-opt | FileCheck %s

// CHECK-LABEL: enigma.kernel @vector_add
// CHECK-SAME: (%a: memref<?xf32, #enigma.address_space<device>> {enigma.dtype = "float", enigma.name = "a"},
// CHECK-SAME: %b: memref<?xf32, #enigma.address_space<device>> {enigma.dtype = "float", enigma.name = "b"},
// CHECK-SAME: %c: memref<?xf32, #enigma.address_space<device>> {enigma.dtype = "float", enigma.name = "c"},
// CHECK-SAME: %n: i32 {enigma.dtype = "uint", enigma.name = "n"})
enigma.kernel @vector_add(
    %a: memref<?xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"},
    %b: memref<?xf32, #enigma.address_space<device>> {enigma.name = "b", enigma.dtype = "float"},
    %c: memref<?xf32, #enigma.address_space<device>> {enigma.name = "c", enigma.dtype = "float"},
    %n: i32 {enigma.name = "n", enigma.dtype = "uint"}) {
  // CHECK: %[[TID:.*]] = enigma.builtin thread_position_in_grid x : i32
  %tid = enigma.builtin thread_position_in_grid x : i32
  %inside = arith.cmpi ult, %tid, %n : i32
  scf.if %inside {
    %i = arith.index_castui %tid : i32 to index
    %x = memref.load %a[%i] : memref<?xf32, #enigma.address_space<device>>
    %y = memref.load %b[%i] : memref<?xf32, #enigma.address_space<device>>
    %sum = arith.addf %x, %y : f32
    memref.store %sum, %c[%i] : memref<?xf32, #enigma.address_space<device>>
  }
  // CHECK: enigma.return
  enigma.return
}

// Every builtin kind, dimmed ones with each dim.
// CHECK-LABEL: enigma.kernel @builtins
// CHECK-SAME: (%v: vector<4xf16> {enigma.dtype = "half4", enigma.name = "v"})
enigma.kernel @builtins(%v: vector<4xf16> {enigma.name = "v", enigma.dtype = "half4"}) {
  // CHECK-NEXT: enigma.builtin thread_position_in_grid x : i32
  // CHECK-NEXT: enigma.builtin thread_position_in_threadgroup y : i32
  // CHECK-NEXT: enigma.builtin threadgroup_position_in_grid z : i32
  // CHECK-NEXT: enigma.builtin threads_per_threadgroup x : i32
  // CHECK-NEXT: enigma.builtin threads_per_grid y : i32
  // CHECK-NEXT: enigma.builtin threadgroups_per_grid z : i32
  // CHECK-NEXT: enigma.builtin thread_index_in_threadgroup : i32
  // CHECK-NEXT: enigma.builtin thread_index_in_simdgroup : i32
  // CHECK-NEXT: enigma.builtin simdgroup_index_in_threadgroup : i32
  // CHECK-NEXT: enigma.builtin threads_per_simdgroup : i32
  // CHECK-NEXT: enigma.builtin simdgroups_per_threadgroup : i32
  %0 = enigma.builtin thread_position_in_grid x : i32
  %1 = enigma.builtin thread_position_in_threadgroup y : i32
  %2 = enigma.builtin threadgroup_position_in_grid z : i32
  %3 = enigma.builtin threads_per_threadgroup x : i32
  %4 = enigma.builtin threads_per_grid y : i32
  %5 = enigma.builtin threadgroups_per_grid z : i32
  %6 = enigma.builtin thread_index_in_threadgroup : i32
  %7 = enigma.builtin thread_index_in_simdgroup : i32
  %8 = enigma.builtin simdgroup_index_in_threadgroup : i32
  %9 = enigma.builtin threads_per_simdgroup : i32
  %10 = enigma.builtin simdgroups_per_threadgroup : i32
  enigma.return
}

// Barriers with every flag, and threadgroup memory of several dtypes.
// CHECK-LABEL: enigma.kernel @sync_and_memory
enigma.kernel @sync_and_memory(%out: memref<?xi32, #enigma.address_space<device>> {enigma.name = "out", enigma.dtype = "int"}) {
  // CHECK: %[[TG:.*]] = enigma.threadgroup_alloc "float" : memref<256xf32, #enigma.address_space<threadgroup>>
  // CHECK: enigma.threadgroup_alloc "uint4" : memref<8xvector<4xi32>, #enigma.address_space<threadgroup>>
  // CHECK: enigma.threadgroup_alloc "bool" : memref<3xi1, #enigma.address_space<threadgroup>>
  %tg = enigma.threadgroup_alloc "float" : memref<256xf32, #enigma.address_space<threadgroup>>
  %tg4 = enigma.threadgroup_alloc "uint4" : memref<8xvector<4xi32>, #enigma.address_space<threadgroup>>
  %flags = enigma.threadgroup_alloc "bool" : memref<3xi1, #enigma.address_space<threadgroup>>
  // CHECK: enigma.threadgroup_barrier mem_none
  // CHECK: enigma.threadgroup_barrier mem_device
  // CHECK: enigma.threadgroup_barrier mem_threadgroup
  // CHECK: enigma.threadgroup_barrier mem_device_and_threadgroup
  // CHECK: enigma.threadgroup_barrier mem_texture
  // CHECK: enigma.simdgroup_barrier mem_none
  // CHECK: enigma.simdgroup_barrier mem_threadgroup
  enigma.threadgroup_barrier mem_none
  enigma.threadgroup_barrier mem_device
  enigma.threadgroup_barrier mem_threadgroup
  enigma.threadgroup_barrier mem_device_and_threadgroup
  enigma.threadgroup_barrier mem_texture
  enigma.simdgroup_barrier mem_none
  enigma.simdgroup_barrier mem_threadgroup
  %c0 = arith.constant 0 : index
  %x = memref.load %tg[%c0] : memref<256xf32, #enigma.address_space<threadgroup>>
  enigma.return
}

// The address-space attribute on its own, in every spelling.
// CHECK-LABEL: func.func @address_spaces
// CHECK-SAME: #enigma.address_space<device>
// CHECK-SAME: #enigma.address_space<threadgroup>
// CHECK-SAME: #enigma.address_space<constant>
// CHECK-SAME: #enigma.address_space<thread>
func.func @address_spaces() attributes {spaces = [#enigma.address_space<device>, #enigma.address_space<threadgroup>, #enigma.address_space<constant>, #enigma.address_space<thread>]} {
  return
}

// enigma.math: every arity, float and integer, the `unsigned` flag.
// CHECK-LABEL: enigma.kernel @math
// CHECK: enigma.math saturate(%{{.*}}) : (f32) -> f32
// CHECK: enigma.math signbit(%{{.*}}) : (vector<4xf16>) -> vector<4xi1>
// CHECK: enigma.math smoothstep(%{{.*}}, %{{.*}}, %{{.*}}) : (f32, f32, f32) -> f32
// CHECK: enigma.math add_sat(%{{.*}}, %{{.*}}) unsigned : (i8, i8) -> i8
// CHECK: enigma.math insert_bits(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (i64, i64, i32, i32) -> i64
enigma.kernel @math(%f: f32 {enigma.name = "f", enigma.dtype = "float"},
                    %v: vector<4xf16> {enigma.name = "v", enigma.dtype = "half4"},
                    %c: i8 {enigma.name = "c", enigma.dtype = "uchar"},
                    %l: i64 {enigma.name = "l", enigma.dtype = "long"},
                    %n: i32 {enigma.name = "n", enigma.dtype = "uint"}) {
  %0 = enigma.math saturate(%f) : (f32) -> f32
  %1 = enigma.math signbit(%v) : (vector<4xf16>) -> vector<4xi1>
  %2 = enigma.math smoothstep(%f, %f, %f) : (f32, f32, f32) -> f32
  %3 = enigma.math add_sat(%c, %c) unsigned : (i8, i8) -> i8
  %4 = enigma.math insert_bits(%l, %l, %n, %n) : (i64, i64, i32, i32) -> i64
  enigma.return
}

// A kernel is an automatic allocation scope: per-thread arrays (register_tensor)
// are memref.alloca in the thread address space, their dtype in `enigma.dtype`.
// CHECK-LABEL: enigma.kernel @registers
// CHECK: memref.alloca() {enigma.dtype = "uint"} : memref<4xi32, #enigma.address_space<thread>>
enigma.kernel @registers(%n: i32 {enigma.name = "n", enigma.dtype = "uint"}) {
  %c0 = arith.constant 0 : index
  %r = memref.alloca() {enigma.dtype = "uint"} : memref<4xi32, #enigma.address_space<thread>>
  memref.store %n, %r[%c0] : memref<4xi32, #enigma.address_space<thread>>
  enigma.return
}
