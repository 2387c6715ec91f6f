// RUN: enigma-translate --emit-msl --emit-msl-locations=false %s | FileCheck %s

// Metal's float math functions: float calls of the functions that have a
// fast variant print as precise:: (Enigma's math is precise by default),
// half and bfloat calls plainly; functions with no upstream op come from
// enigma.math.

// CHECK-LABEL: kernel void unary(
enigma.kernel @unary(%f: f32 {enigma.name = "f", enigma.dtype = "float"},
                     %h: f16 {enigma.name = "h", enigma.dtype = "half"},
                     %b: bf16 {enigma.name = "b", enigma.dtype = "bfloat"}) {
  // CHECK:      float v0 = precise::sqrt(f);
  // CHECK-NEXT: half v1 = sqrt(h);
  // CHECK-NEXT: bfloat v2 = sqrt(b);
  // CHECK-NEXT: float v3 = precise::rsqrt(f);
  // CHECK-NEXT: float v4 = precise::exp(f);
  // CHECK-NEXT: float v5 = precise::exp2(f);
  // CHECK-NEXT: float v6 = precise::log(f);
  // CHECK-NEXT: float v7 = precise::log2(f);
  // CHECK-NEXT: float v8 = precise::log10(f);
  // CHECK-NEXT: float v9 = precise::sin(f);
  // CHECK-NEXT: float v10 = precise::cos(f);
  // CHECK-NEXT: float v11 = precise::tan(f);
  // CHECK-NEXT: float v12 = precise::asin(f);
  // CHECK-NEXT: float v13 = precise::acos(f);
  // CHECK-NEXT: float v14 = precise::atan(f);
  // CHECK-NEXT: float v15 = precise::sinh(f);
  // CHECK-NEXT: float v16 = precise::cosh(f);
  // CHECK-NEXT: half v17 = tanh(h);
  %0 = math.sqrt %f : f32
  %1 = math.sqrt %h : f16
  %2 = math.sqrt %b : bf16
  %3 = math.rsqrt %f : f32
  %4 = math.exp %f : f32
  %5 = math.exp2 %f : f32
  %6 = math.log %f : f32
  %7 = math.log2 %f : f32
  %8 = math.log10 %f : f32
  %9 = math.sin %f : f32
  %10 = math.cos %f : f32
  %11 = math.tan %f : f32
  %12 = math.asin %f : f32
  %13 = math.acos %f : f32
  %14 = math.atan %f : f32
  %15 = math.sinh %f : f32
  %16 = math.cosh %f : f32
  %17 = math.tanh %h : f16
  // Rounding: `round` is half away from zero in Metal, as math.round.
  // CHECK-NEXT: float v18 = ceil(f);
  // CHECK-NEXT: float v19 = floor(f);
  // CHECK-NEXT: float v20 = round(f);
  // CHECK-NEXT: float v21 = trunc(f);
  // CHECK-NEXT: float v22 = fabs(f);
  %18 = math.ceil %f : f32
  %19 = math.floor %f : f32
  %20 = math.round %f : f32
  %21 = math.trunc %f : f32
  %22 = math.absf %f : f32
  // CHECK-NEXT: float v23 = sign(f);
  // CHECK-NEXT: half v24 = saturate(h);
  // CHECK-NEXT: bfloat v25 = fract(b);
  // CHECK-NEXT: bool v26 = signbit(f);
  %23 = enigma.math sign(%f) : (f32) -> f32
  %24 = enigma.math saturate(%h) : (f16) -> f16
  %25 = enigma.math fract(%b) : (bf16) -> bf16
  %26 = enigma.math signbit(%f) : (f32) -> i1
  // CHECK-NEXT: bool v27 = isnan(f);
  // CHECK-NEXT: bool v28 = isinf(h);
  // CHECK-NEXT: bool v29 = isfinite(b);
  // CHECK-NEXT: bool v30 = isnormal(f);
  %27 = math.isnan %f : f32
  %28 = math.isinf %h : f16
  %29 = math.isfinite %b : bf16
  %30 = math.isnormal %f : f32
  enigma.return
}

// CHECK-LABEL: kernel void binary_ternary(
enigma.kernel @binary_ternary(%f: f32 {enigma.name = "f", enigma.dtype = "float"},
                              %g: f32 {enigma.name = "g", enigma.dtype = "float"},
                              %h: f16 {enigma.name = "h", enigma.dtype = "half"}) {
  // CHECK:      float v0 = precise::fmin(f, g);
  // CHECK-NEXT: half v1 = fmax(h, h);
  // CHECK-NEXT: float v2 = precise::pow(f, g);
  // CHECK-NEXT: float v3 = precise::fmod(f, g);
  // CHECK-NEXT: float v4 = precise::atan2(f, g);
  // CHECK-NEXT: float v5 = copysign(f, g);
  // CHECK-NEXT: float v6 = step(f, g);
  %0 = arith.minnumf %f, %g : f32
  %1 = arith.maxnumf %h, %h : f16
  %2 = math.powf %f, %g : f32
  %3 = arith.remf %f, %g : f32
  %4 = math.atan2 %f, %g : f32
  %5 = math.copysign %f, %g : f32
  %6 = enigma.math step(%f, %g) : (f32, f32) -> f32
  // CHECK-NEXT: float v7 = precise::clamp(f, g, f);
  // CHECK-NEXT: half v8 = clamp(h, h, h);
  // CHECK-NEXT: float v9 = fma(f, g, f);
  // CHECK-NEXT: float v10 = mix(f, g, f);
  // CHECK-NEXT: half v11 = smoothstep(h, h, h);
  %7 = enigma.math clamp(%f, %g, %f) : (f32, f32, f32) -> f32
  %8 = enigma.math clamp(%h, %h, %h) : (f16, f16, f16) -> f16
  %9 = math.fma %f, %g, %f : f32
  %10 = enigma.math mix(%f, %g, %f) : (f32, f32, f32) -> f32
  %11 = enigma.math smoothstep(%h, %h, %h) : (f16, f16, f16) -> f16
  enigma.return
}
