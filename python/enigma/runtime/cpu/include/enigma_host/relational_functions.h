//===- enigma_host/relational_functions.h - select, isnan -------*- C++ -*-===//
//
// Metal's lane-wise choice and classification functions and its bit cast.
// `select(a, b, c)` is `c ? b : a` (Metal's argument order: the value when
// false comes first), with a scalar bool or a bool vector of matching width
// as the condition. isnan, isinf, isfinite, isnormal and signbit answer a bool
// for a scalar and a bool vector for a vector. as_type<T>(x) reinterprets the
// bits of a value of the same size.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_RELATIONAL_FUNCTIONS_H
#define ENIGMA_HOST_RELATIONAL_FUNCTIONS_H

#include "enigma_host/traits.h"

namespace metal {
namespace detail {

/// A bool (scalar) or bool vector of T's width holding `pred` of each lane.
template <class T, class Pred> inline auto test_lanes(T x, Pred pred) {
  if constexpr (lane_count<T> == 1) {
    return static_cast<bool>(pred(static_cast<float>(x)));
  } else {
    vector_t<bool, lane_count<T>> result;
    for (int lane = 0; lane < lane_count<T>; ++lane)
      result[lane] = pred(static_cast<float>(x[lane]));
    return result;
  }
}

} // namespace detail

template <class T> inline T select(T a, T b, bool c) { return c ? b : a; }

template <class T, int N>
inline T select(T a, T b, bool __attribute__((ext_vector_type(N))) c) {
  static_assert(detail::lane_count<T> == N,
                "select's condition has as many lanes as its values");
  return c ? b : a;
}

/// The condition as clang types a vector comparison (`a < b` is a lane mask
/// of integers, where Metal has a bool vector).
template <class T, class M, int N>
inline T select(T a, T b, M __attribute__((ext_vector_type(N))) c) {
  static_assert(detail::is_integer_element<M> && detail::lane_count<T> == N,
                "select's condition is a bool vector as wide as its values");
  return (c != 0) ? b : a;
}

template <class T, detail::if_floating<T> = 0> inline auto isnan(T x) {
  return detail::test_lanes(x, [](float v) { return __builtin_isnan(v); });
}

template <class T, detail::if_floating<T> = 0> inline auto isinf(T x) {
  return detail::test_lanes(x, [](float v) { return __builtin_isinf(v); });
}

template <class T, detail::if_floating<T> = 0> inline auto isfinite(T x) {
  return detail::test_lanes(x, [](float v) { return __builtin_isfinite(v); });
}

/// Whether the value is normal in its own type (a half subnormal is a normal
/// float, so the test is done on the element type's exponent range).
template <class T, detail::if_floating<T> = 0> inline auto isnormal(T x) {
  using E = detail::element_t<T>;
  constexpr float smallest = __is_same(E, half)     ? 0x1p-14f
                             : __is_same(E, bfloat) ? 0x1p-126f
                                                    : __FLT_MIN__;
  return detail::test_lanes(x, [](float v) {
    return __builtin_isfinite(v) && __builtin_fabsf(v) >= smallest;
  });
}

template <class T, detail::if_floating<T> = 0> inline auto signbit(T x) {
  return detail::test_lanes(x,
                            [](float v) { return __builtin_signbit(v) != 0; });
}

template <class To, class From> inline To as_type(From x) {
  static_assert(sizeof(To) == sizeof(From),
                "as_type reinterprets a value as a type of the same size");
  return __builtin_bit_cast(To, x);
}

} // namespace metal

#endif // ENIGMA_HOST_RELATIONAL_FUNCTIONS_H
