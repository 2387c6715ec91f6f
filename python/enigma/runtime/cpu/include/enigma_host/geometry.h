//===- enigma_host/geometry.h - Metal's geometric functions -----*- C++ -*-===//
//
// dot, length, distance, cross, normalize, reflect, refract and faceforward
// over float, half and bfloat vectors of 2-4 lanes (cross: 3 lanes), with
// MSL's definitions:
//   dot(x, y) = sum of x[i] * y[i]      length(x) = sqrt(dot(x, x))
//   distance(x, y) = length(x - y)      normalize(x) = x / length(x)
//   reflect(i, n) = i - 2 dot(n, i) n   faceforward(n, i, r) = dot(r, i) < 0 ?
//   n : -n refract(i, n, eta): k = 1 - eta^2 (1 - dot(n, i)^2);
//                       k < 0 ? 0 : eta i - (eta dot(n, i) + sqrt(k)) n
// Each is evaluated in double and rounded once to the element type: the
// products of float lanes are exact in double, so results are the correctly
// rounded value up to that final rounding, and length() of large float
// vectors does not overflow where the true length is finite. That is within
// the accuracy of both of Metal's variants, so `precise::` and `fast::` name
// the same functions here.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_GEOMETRY_H
#define ENIGMA_HOST_GEOMETRY_H

#include "enigma_host/traits.h"

namespace metal {
namespace detail {

/// Guards the geometric overloads: float/half/bfloat vectors of 2-4 lanes.
template <class T>
using if_float_vector =
    enable_if_t<is_floating<T> && (lane_count<T> >= 2), int>;

template <class T> inline double dot_in_double(T x, T y) {
  double sum = 0.0;
  for (int lane = 0; lane < lane_count<T>; ++lane)
    sum += double(x[lane]) * double(y[lane]);
  return sum;
}

/// `f(lane)` (a double) of every lane, rounded once to T's element type.
template <class T, class F> inline T from_double_lanes(F f) {
  T result;
  for (int lane = 0; lane < lane_count<T>; ++lane)
    result[lane] = static_cast<element_t<T>>(f(lane));
  return result;
}

} // namespace detail

template <class T, detail::if_float_vector<T> = 0>
inline detail::element_t<T> dot(T x, T y) {
  return static_cast<detail::element_t<T>>(detail::dot_in_double(x, y));
}

template <class T, detail::if_float_vector<T> = 0>
inline detail::element_t<T> length(T x) {
  return static_cast<detail::element_t<T>>(
      __builtin_sqrt(detail::dot_in_double(x, x)));
}

template <class T, detail::if_float_vector<T> = 0>
inline detail::element_t<T> distance(T x, T y) {
  double sum = 0.0;
  for (int lane = 0; lane < detail::lane_count<T>; ++lane) {
    double d = double(x[lane]) - double(y[lane]);
    sum += d * d;
  }
  return static_cast<detail::element_t<T>>(__builtin_sqrt(sum));
}

template <class T, detail::if_float_vector<T> = 0> inline T normalize(T x) {
  double norm = __builtin_sqrt(detail::dot_in_double(x, x));
  return detail::from_double_lanes<T>(
      [&](int lane) { return double(x[lane]) / norm; });
}

template <class T, detail::if_float_vector<T> = 0> inline T cross(T x, T y) {
  static_assert(detail::lane_count<T> == 3, "cross takes 3-lane vectors");
  auto d = [](auto v, int lane) { return double(v[lane]); };
  double lanes[3] = {d(x, 1) * d(y, 2) - d(y, 1) * d(x, 2),
                     d(x, 2) * d(y, 0) - d(y, 2) * d(x, 0),
                     d(x, 0) * d(y, 1) - d(y, 0) * d(x, 1)};
  return detail::from_double_lanes<T>([&](int lane) { return lanes[lane]; });
}

template <class T, detail::if_float_vector<T> = 0> inline T reflect(T i, T n) {
  double twice = 2.0 * detail::dot_in_double(n, i);
  return detail::from_double_lanes<T>(
      [&](int lane) { return double(i[lane]) - twice * double(n[lane]); });
}

template <class T, detail::if_float_vector<T> = 0>
inline T refract(T i, T n, detail::element_t<T> eta) {
  double e = double(eta);
  double ni = detail::dot_in_double(n, i);
  double k = 1.0 - e * e * (1.0 - ni * ni);
  if (k < 0.0)
    return T{};
  double scale = e * ni + __builtin_sqrt(k);
  return detail::from_double_lanes<T>(
      [&](int lane) { return e * double(i[lane]) - scale * double(n[lane]); });
}

template <class T, detail::if_float_vector<T> = 0>
inline T faceforward(T n, T i, T nref) {
  return detail::dot_in_double(nref, i) < 0.0 ? n : -n;
}

// MSL's fast and precise variants (float): the same functions here.
namespace precise {
using metal::distance;
using metal::length;
using metal::normalize;
} // namespace precise
namespace fast {
using metal::distance;
using metal::length;
using metal::normalize;
} // namespace fast

} // namespace metal

#endif // ENIGMA_HOST_GEOMETRY_H
