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
// `rsqrt` is 1 / sqrt.
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

#undef ENIGMA_FLOAT_UNARY
#undef ENIGMA_FLOAT_BINARY

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

} // namespace metal

#endif // ENIGMA_HOST_MATH_FUNCTIONS_H
