// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Every conversion is explicit. Extensions and int-to-float conversions read
// their source with the op's signedness; bool widens to 0/1 (extui) or 0/-1
// (extsi); truncation to bool keeps the low bit; bitcasts are as_type.

// CHECK-LABEL: kernel void conversions(
enigma.kernel @conversions(%i: i32 {enigma.name = "i", enigma.dtype = "int"},
                           %u: i32 {enigma.name = "u", enigma.dtype = "uint"},
                           %c: i8 {enigma.name = "c", enigma.dtype = "char"},
                           %f: f32 {enigma.name = "f", enigma.dtype = "float"},
                           %h: f16 {enigma.name = "h", enigma.dtype = "half"},
                           %b: i1 {enigma.name = "b", enigma.dtype = "bool"}) {
  // CHECK:      float v0 = float(h);
  // CHECK-NEXT: half v1 = half(f);
  // CHECK-NEXT: bfloat v2 = bfloat(f);
  %0 = arith.extf %h : f16 to f32
  %1 = arith.truncf %f : f32 to f16
  %2 = arith.truncf %f : f32 to bf16
  // A signless result takes its source's signedness: u sign-extends into a
  // ulong.
  // CHECK-NEXT: long v3 = long(i);
  // CHECK-NEXT: ulong v4 = ulong(int(u));
  // CHECK-NEXT: ulong v5 = ulong(u);
  // CHECK-NEXT: int v6 = int(uchar(c));
  // CHECK-NEXT: uchar v7 = uchar(u);
  %3 = arith.extsi %i : i32 to i64
  %4 = arith.extsi %u : i32 to i64
  %5 = arith.extui %u : i32 to i64
  %6 = arith.extui %c : i8 to i32
  %7 = arith.trunci %u : i32 to i8
  // CHECK-NEXT: float v8 = float(i);
  // CHECK-NEXT: float v9 = float(uint(i));
  // CHECK-NEXT: half v10 = half(int(u));
  // CHECK-NEXT: int v11 = int(f);
  // CHECK-NEXT: uint v12 = uint(f);
  // CHECK-NEXT: uchar v13 = uchar(h);
  %8 = arith.sitofp %i : i32 to f32
  %9 = arith.uitofp %i : i32 to f32
  %10 = arith.sitofp %u : i32 to f16
  %11 = arith.fptosi %f : f32 to i32
  %12 = arith.fptoui %f : f32 to i32
  %13 = arith.fptoui %h : f16 to i8
  // CHECK-NEXT: int v14 = as_type<int>(f);
  // CHECK-NEXT: short v15 = as_type<short>(h);
  // CHECK-NEXT: half v16 = as_type<half>(v15);
  %14 = arith.bitcast %f : f32 to i32
  %15 = arith.bitcast %h : f16 to i16
  %16 = arith.bitcast %15 : i16 to f16
  // CHECK-NEXT: int v17 = int(b);
  // CHECK-NEXT: int v18 = b ? -1 : 0;
  // CHECK-NEXT: float v19 = float(b);
  // CHECK-NEXT: half v20 = b ? -1.0h : 0.0h;
  // CHECK-NEXT: bool v21 = (i & 1) != 0;
  %17 = arith.extui %b : i1 to i32
  %18 = arith.extsi %b : i1 to i32
  %19 = arith.uitofp %b : i1 to f32
  %20 = arith.sitofp %b : i1 to f16
  %21 = arith.trunci %i : i32 to i1
  enigma.return
}

// Indices are inline: a signed cast reads its source as int, an unsigned one
// as uint.
// CHECK-LABEL: kernel void indices(
// CHECK:      float v0 = a[i];
// CHECK-NEXT: float v1 = a[uint(i)];
// CHECK-NEXT: float v2 = a[int(u)];
// CHECK-NEXT: a[7] = v0;
enigma.kernel @indices(%a: memref<?xf32, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float"},
                       %i: i32 {enigma.name = "i", enigma.dtype = "int"},
                       %u: i32 {enigma.name = "u", enigma.dtype = "uint"}) {
  %c7 = arith.constant 7 : index
  %0 = arith.index_cast %i : i32 to index
  %1 = arith.index_castui %i : i32 to index
  %2 = arith.index_cast %u : i32 to index
  %x = memref.load %a[%0] : memref<?xf32, #enigma.address_space<device>>
  %y = memref.load %a[%1] : memref<?xf32, #enigma.address_space<device>>
  %z = memref.load %a[%2] : memref<?xf32, #enigma.address_space<device>>
  memref.store %x, %a[%c7] : memref<?xf32, #enigma.address_space<device>>
  enigma.return
}
