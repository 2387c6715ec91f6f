//===- enigma_host/math_functions.h - Metal's float math --------*- C++ -*-===//
//
// Metal's math functions over float, half and bfloat scalars and vectors,
// with the precise (not fast-math) semantics: each is computed in float with
// clang's __builtin_* (lowered to instructions or libm) and rounded once to
// the argument type, so half and bfloat results are the correctly rounded
// float result, as Metal's precise half functions are.
//
// Where Metal differs from a C name, Metal wins: `round` rounds halves away
// from zero (C's roundf; `rint` rounds them to even); `fmin`/`fmax`,
// `min`/`max` and `clamp` on floats return the other operand when one is NaN;
// `rsqrt` is 1 / sqrt. `fract`, `sign`, `saturate`, `step`, `mix` and
// `smoothstep` follow the MSL specification's definitions. The `precise::`
// and `fast::` namespaces (Enigma's MSL calls `precise::sin` on float) name
// the same, precise, functions.
//
// Each function is one template over every floating scalar and vector type,
// applying a float lambda lane by lane; at -O2 the lane loops of the cheap
// functions (sqrt, floor, fma, ...) vectorise.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_MATH_FUNCTIONS_H
#define ENIGMA_HOST_MATH_FUNCTIONS_H

#include "enigma_host/traits.h"

namespace metal {
namespace detail {

template <class T, class F> inline T map_lanes(T x, F f) {
  using E = element_t<T>;
  if constexpr (lane_count<T> == 1) {
    return static_cast<T>(f(static_cast<float>(x)));
  } else {
    T result;
    for (int lane = 0; lane < lane_count<T>; ++lane)
      result[lane] = static_cast<E>(f(static_cast<float>(x[lane])));
    return result;
  }
}

template <class T, class F> inline T map_lanes(T x, T y, F f) {
  using E = element_t<T>;
  if constexpr (lane_count<T> == 1) {
    return static_cast<T>(f(static_cast<float>(x), static_cast<float>(y)));
  } else {
    T result;
    for (int lane = 0; lane < lane_count<T>; ++lane)
      result[lane] = static_cast<E>(
          f(static_cast<float>(x[lane]), static_cast<float>(y[lane])));
    return result;
  }
}

template <class T, class F> inline T map_lanes(T x, T y, T z, F f) {
  using E = element_t<T>;
  if constexpr (lane_count<T> == 1) {
    return static_cast<T>(
        f(static_cast<float>(x), static_cast<float>(y), static_cast<float>(z)));
  } else {
    T result;
    for (int lane = 0; lane < lane_count<T>; ++lane)
      result[lane] = static_cast<E>(f(static_cast<float>(x[lane]),
                                      static_cast<float>(y[lane]),
                                      static_cast<float>(z[lane])));
    return result;
  }
}

} // namespace detail

#define ENIGMA_FLOAT_UNARY(name, expr)                                         \
  template <class T, detail::if_floating<T> = 0> inline T name(T x) {          \
    return detail::map_lanes(x, [](float v) { return expr; });                 \
  }
#define ENIGMA_FLOAT_BINARY(name, expr)                                        \
  template <class T, detail::if_floating<T> = 0> inline T name(T x, T y) {     \
    return detail::map_lanes(x, y, [](float a, float b) { return expr; });     \
  }

ENIGMA_FLOAT_UNARY(sqrt, __builtin_sqrtf(v))
ENIGMA_FLOAT_UNARY(rsqrt, 1.0f / __builtin_sqrtf(v))
ENIGMA_FLOAT_UNARY(exp, __builtin_expf(v))
ENIGMA_FLOAT_UNARY(exp2, __builtin_exp2f(v))
ENIGMA_FLOAT_UNARY(log, __builtin_logf(v))
ENIGMA_FLOAT_UNARY(log2, __builtin_log2f(v))
ENIGMA_FLOAT_UNARY(log10, __builtin_log10f(v))
ENIGMA_FLOAT_UNARY(sin, __builtin_sinf(v))
ENIGMA_FLOAT_UNARY(cos, __builtin_cosf(v))
ENIGMA_FLOAT_UNARY(tan, __builtin_tanf(v))
ENIGMA_FLOAT_UNARY(asin, __builtin_asinf(v))
ENIGMA_FLOAT_UNARY(acos, __builtin_acosf(v))
ENIGMA_FLOAT_UNARY(atan, __builtin_atanf(v))
ENIGMA_FLOAT_UNARY(sinh, __builtin_sinhf(v))
ENIGMA_FLOAT_UNARY(cosh, __builtin_coshf(v))
ENIGMA_FLOAT_UNARY(tanh, __builtin_tanhf(v))
ENIGMA_FLOAT_UNARY(asinh, __builtin_asinhf(v))
ENIGMA_FLOAT_UNARY(acosh, __builtin_acoshf(v))
ENIGMA_FLOAT_UNARY(atanh, __builtin_atanhf(v))
ENIGMA_FLOAT_UNARY(floor, __builtin_floorf(v))
ENIGMA_FLOAT_UNARY(ceil, __builtin_ceilf(v))
ENIGMA_FLOAT_UNARY(round, __builtin_roundf(v))
ENIGMA_FLOAT_UNARY(rint, __builtin_rintf(v))
ENIGMA_FLOAT_UNARY(trunc, __builtin_truncf(v))
ENIGMA_FLOAT_UNARY(fabs, __builtin_fabsf(v))

ENIGMA_FLOAT_BINARY(pow, __builtin_powf(a, b))
ENIGMA_FLOAT_BINARY(fmod, __builtin_fmodf(a, b))
ENIGMA_FLOAT_BINARY(fmin, __builtin_fminf(a, b))
ENIGMA_FLOAT_BINARY(fmax, __builtin_fmaxf(a, b))
ENIGMA_FLOAT_BINARY(copysign, __builtin_copysignf(a, b))
ENIGMA_FLOAT_BINARY(atan2, __builtin_atan2f(a, b))

/// Fused multiply-add. For half and bfloat the product is exact in float, so
/// only the sum is rounded (to float, then to the element type).
template <class T, detail::if_floating<T> = 0> inline T fma(T a, T b, T c) {
  return detail::map_lanes(a, b, c, [](float x, float y, float z) {
    return __builtin_fmaf(x, y, z);
  });
}

/// Metal's abs, min and max on floats (their integer forms are in
/// integer_functions.h).
template <class T, detail::if_floating<T> = 0> inline T abs(T x) {
  return fabs(x);
}
template <class T, detail::if_floating<T> = 0> inline T min(T x, T y) {
  return fmin(x, y);
}
template <class T, detail::if_floating<T> = 0> inline T max(T x, T y) {
  return fmax(x, y);
}
template <class T, detail::if_floating<T> = 0>
inline T clamp(T x, T low, T high) {
  return fmin(fmax(x, low), high);
}

/// Metal's common functions. sign(±0) is ±0 and sign(NaN) is 0; saturate
/// clamps to [0, 1] (NaN gives 0, as fmax(NaN, 0) does); step(edge, x) is
/// 0 where x < edge, else 1.
ENIGMA_FLOAT_UNARY(sign, v > 0.0f ? 1.0f : v < 0.0f ? -1.0f : v == v ? v : 0.0f)
ENIGMA_FLOAT_UNARY(saturate, __builtin_fminf(__builtin_fmaxf(v, 0.0f), 1.0f))
ENIGMA_FLOAT_BINARY(step, b < a ? 0.0f : 1.0f)

/// x - floor(x), kept below 1 in the element type (the largest value
/// before 1 of float, half or bfloat); NaN stays NaN and ±inf gives ±0, as
/// OpenCL's fract, which Metal's follows.
template <class T, detail::if_floating<T> = 0> inline T fract(T x) {
  using E = detail::element_t<T>;
  constexpr float below_one = __is_same(E, half)     ? 0x1.ffcp-1f
                              : __is_same(E, bfloat) ? 0x1.fep-1f
                                                     : 0x1.fffffep-1f;
  return detail::map_lanes(x, [](float v) {
    if (__builtin_isinf(v))
      return __builtin_copysignf(0.0f, v);
    if (__builtin_isnan(v))
      return v; // fmin below would turn NaN into the bound
    float f = static_cast<float>(static_cast<E>(v - __builtin_floorf(v)));
    return __builtin_fminf(f, below_one);
  });
}

/// mix(x, y, a) = x + (y - x) * a; smoothstep is the Hermite cubic of x
/// clamped between the edges.
template <class T, detail::if_floating<T> = 0> inline T mix(T x, T y, T a) {
  return detail::map_lanes(
      x, y, a, [](float u, float v, float t) { return u + (v - u) * t; });
}
template <class T, detail::if_floating<T> = 0>
inline T smoothstep(T edge0, T edge1, T x) {
  return detail::map_lanes(edge0, edge1, x, [](float e0, float e1, float v) {
    float t =
        __builtin_fminf(__builtin_fmaxf((v - e0) / (e1 - e0), 0.0f), 1.0f);
    return t * t * (3.0f - 2.0f * t);
  });
}

/// The variants MSL offers under fast math. The cpu device computes both
/// precisely (the precise variants' accuracy is within the fast ones').
namespace precise {
using metal::acos;
using metal::acosh;
using metal::asin;
using metal::asinh;
using metal::atan;
using metal::atan2;
using metal::atanh;
using metal::clamp;
using metal::cos;
using metal::cosh;
using metal::exp;
using metal::exp2;
using metal::fmax;
using metal::fmin;
using metal::fmod;
using metal::log;
using metal::log10;
using metal::log2;
using metal::pow;
using metal::rsqrt;
using metal::sin;
using metal::sinh;
using metal::sqrt;
using metal::tan;
using metal::tanh;
} // namespace precise
namespace fast {
using namespace precise;
} // namespace fast

#undef ENIGMA_FLOAT_UNARY
#undef ENIGMA_FLOAT_BINARY

} // namespace metal

#endif // ENIGMA_HOST_MATH_FUNCTIONS_H
