// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Float arithmetic, IEEE comparisons, select and the math functions (float
// calls of functions with a fast variant print as precise::, see math.mlir).

// CHECK-LABEL: kernel void floats(
enigma.kernel @floats(%f: f32 {enigma.name = "f", enigma.dtype = "float"},
                      %g: f32 {enigma.name = "g", enigma.dtype = "float"},
                      %h: f16 {enigma.name = "h", enigma.dtype = "half"},
                      %c: i1 {enigma.name = "c", enigma.dtype = "bool"}) {
  %neg = arith.constant -1.5 : f32
  %two = arith.constant 2.0 : f16
  // CHECK:      float v0 = f + g;
  // CHECK-NEXT: float v1 = f - -1.5f;
  // CHECK-NEXT: float v2 = f * g;
  // CHECK-NEXT: float v3 = f / g;
  // CHECK-NEXT: half v4 = h * 2.0h;
  // CHECK-NEXT: float v5 = -f;
  // CHECK-NEXT: float v6 = -(-1.5f);
  // CHECK-NEXT: float v7 = precise::fmod(f, g);
  %0 = arith.addf %f, %g : f32
  %1 = arith.subf %f, %neg : f32
  %2 = arith.mulf %f, %g : f32
  %3 = arith.divf %f, %g : f32
  %4 = arith.mulf %h, %two : f16
  %5 = arith.negf %f : f32
  %6 = arith.negf %neg : f32
  %7 = arith.remf %f, %g : f32
  // fmin/fmax ignore a NaN operand (minnumf); minimumf propagates NaN and
  // orders -0 below +0.
  // CHECK-NEXT: float v8 = precise::fmin(f, g);
  // CHECK-NEXT: half v9 = fmax(h, 2.0h);
  // CHECK-NEXT: float v10 = isnan(f) || isnan(g) ? f + g : (f == g ? (signbit(f) ? f : g) : fmin(f, g));
  // CHECK-NEXT: float v11 = isnan(f) || isnan(g) ? f + g : (f == g ? (signbit(f) ? g : f) : fmax(f, g));
  %8 = arith.minnumf %f, %g : f32
  %9 = arith.maxnumf %h, %two : f16
  %10 = arith.minimumf %f, %g : f32
  %11 = arith.maximumf %f, %g : f32
  // Every predicate keeps its NaN behaviour.
  // CHECK-NEXT: bool v12 = false;
  // CHECK-NEXT: bool v13 = f == g;
  // CHECK-NEXT: bool v14 = f > g;
  // CHECK-NEXT: bool v15 = f >= g;
  // CHECK-NEXT: bool v16 = f < g;
  // CHECK-NEXT: bool v17 = f <= g;
  // CHECK-NEXT: bool v18 = f < g || f > g;
  // CHECK-NEXT: bool v19 = !isnan(f) && !isnan(g);
  // CHECK-NEXT: bool v20 = !(f < g || f > g);
  // CHECK-NEXT: bool v21 = !(f <= g);
  // CHECK-NEXT: bool v22 = !(f < g);
  // CHECK-NEXT: bool v23 = !(f >= g);
  // CHECK-NEXT: bool v24 = !(f > g);
  // CHECK-NEXT: bool v25 = f != g;
  // CHECK-NEXT: bool v26 = isnan(f) || isnan(g);
  // CHECK-NEXT: bool v27 = true;
  %12 = arith.cmpf false, %f, %g : f32
  %13 = arith.cmpf oeq, %f, %g : f32
  %14 = arith.cmpf ogt, %f, %g : f32
  %15 = arith.cmpf oge, %f, %g : f32
  %16 = arith.cmpf olt, %f, %g : f32
  %17 = arith.cmpf ole, %f, %g : f32
  %18 = arith.cmpf one, %f, %g : f32
  %19 = arith.cmpf ord, %f, %g : f32
  %20 = arith.cmpf ueq, %f, %g : f32
  %21 = arith.cmpf ugt, %f, %g : f32
  %22 = arith.cmpf uge, %f, %g : f32
  %23 = arith.cmpf ult, %f, %g : f32
  %24 = arith.cmpf ule, %f, %g : f32
  %25 = arith.cmpf une, %f, %g : f32
  %26 = arith.cmpf uno, %f, %g : f32
  %27 = arith.cmpf true, %f, %g : f32
  // CHECK-NEXT: float v28 = c ? f : -1.5f;
  %28 = arith.select %c, %f, %neg : f32
  enigma.return
}

// CHECK-LABEL: kernel void math(
// CHECK:      float v0 = precise::sqrt(x);
// CHECK-NEXT: float v1 = precise::rsqrt(x);
// CHECK-NEXT: float v2 = precise::exp(x);
// CHECK-NEXT: float v3 = precise::exp2(x);
// CHECK-NEXT: float v4 = precise::log(x);
// CHECK-NEXT: float v5 = precise::log2(x);
// CHECK-NEXT: float v6 = precise::log10(x);
// CHECK-NEXT: float v7 = precise::sin(x);
// CHECK-NEXT: float v8 = precise::cos(x);
// CHECK-NEXT: float v9 = precise::tan(x);
// CHECK-NEXT: float v10 = precise::asin(x);
// CHECK-NEXT: float v11 = precise::acos(x);
// CHECK-NEXT: float v12 = precise::atan(x);
// CHECK-NEXT: float v13 = precise::sinh(x);
// CHECK-NEXT: float v14 = precise::cosh(x);
// CHECK-NEXT: float v15 = precise::tanh(x);
// CHECK-NEXT: float v16 = floor(x);
// CHECK-NEXT: float v17 = ceil(x);
// CHECK-NEXT: float v18 = round(x);
// CHECK-NEXT: float v19 = rint(x);
// CHECK-NEXT: float v20 = trunc(x);
// CHECK-NEXT: float v21 = fabs(x);
// CHECK-NEXT: float v22 = precise::pow(x, y);
// CHECK-NEXT: float v23 = precise::atan2(x, y);
// CHECK-NEXT: float v24 = copysign(x, y);
// CHECK-NEXT: float v25 = fma(x, y, x);
// CHECK-NEXT: bool v26 = isnan(x);
// CHECK-NEXT: bool v27 = isinf(x);
// CHECK-NEXT: bool v28 = isfinite(x);
// CHECK-NEXT: half4 v29 = sqrt(v);
enigma.kernel @math(%x: f32 {enigma.name = "x", enigma.dtype = "float"},
                    %y: f32 {enigma.name = "y", enigma.dtype = "float"},
                    %v: vector<4xf16> {enigma.name = "v", enigma.dtype = "half4"}) {
  %0 = math.sqrt %x : f32
  %1 = math.rsqrt %x : f32
  %2 = math.exp %x : f32
  %3 = math.exp2 %x : f32
  %4 = math.log %x : f32
  %5 = math.log2 %x : f32
  %6 = math.log10 %x : f32
  %7 = math.sin %x : f32
  %8 = math.cos %x : f32
  %9 = math.tan %x : f32
  %10 = math.asin %x : f32
  %11 = math.acos %x : f32
  %12 = math.atan %x : f32
  %13 = math.sinh %x : f32
  %14 = math.cosh %x : f32
  %15 = math.tanh %x : f32
  %16 = math.floor %x : f32
  %17 = math.ceil %x : f32
  %18 = math.round %x : f32
  %19 = math.roundeven %x : f32
  %20 = math.trunc %x : f32
  %21 = math.absf %x : f32
  %22 = math.powf %x, %y : f32
  %23 = math.atan2 %x, %y : f32
  %24 = math.copysign %x, %y : f32
  %25 = math.fma %x, %y, %x : f32
  %26 = math.isnan %x : f32
  %27 = math.isinf %x : f32
  %28 = math.isfinite %x : f32
  %29 = math.sqrt %v : vector<4xf16>
  enigma.return
}

// Vectors: lane-wise arithmetic, comparisons into bool vectors, select()
// with Metal's (false, true, condition) order, scalars broadcast.
// CHECK-LABEL: kernel void vectors(
// CHECK:      float4 v0 = a[0];
// CHECK-NEXT: float4 v1 = v0 + float4(1.5f);
// CHECK-NEXT: bool4 v2 = v0 < v1;
// CHECK-NEXT: float4 v3 = select(v1, v0, v2);
// CHECK-NEXT: float4 v4 = float4(s);
// CHECK-NEXT: uint4 v5 = uint4(u);
// CHECK-NEXT: a[0] = v3;
enigma.kernel @vectors(%a: memref<?xvector<4xf32>, #enigma.address_space<device>> {enigma.name = "a", enigma.dtype = "float4"},
                       %s: f32 {enigma.name = "s", enigma.dtype = "float"},
                       %u: i32 {enigma.name = "u", enigma.dtype = "uint"}) {
  %i0 = arith.constant 0 : index
  %splat = arith.constant dense<1.5> : vector<4xf32>
  %x = memref.load %a[%i0] : memref<?xvector<4xf32>, #enigma.address_space<device>>
  %y = arith.addf %x, %splat : vector<4xf32>
  %lt = arith.cmpf olt, %x, %y : vector<4xf32>
  %m = arith.select %lt, %x, %y : vector<4xi1>, vector<4xf32>
  %b = vector.broadcast %s : f32 to vector<4xf32>
  %bu = vector.broadcast %u : i32 to vector<4xi32>
  memref.store %m, %a[%i0] : memref<?xvector<4xf32>, #enigma.address_space<device>>
  enigma.return
}
