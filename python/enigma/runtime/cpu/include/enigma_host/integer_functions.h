//===- enigma_host/integer_functions.h - Integer functions ------*- C++ -*-===//
//
// Metal's abs, min, max, clamp and bit counts over the eight integer types
// and their vectors.
// They wrap as Metal's do: abs of the most negative value is itself (no
// undefined behaviour), and abs of an unsigned value is the value.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_INTEGER_FUNCTIONS_H
#define ENIGMA_HOST_INTEGER_FUNCTIONS_H

#include "enigma_host/traits.h"

namespace metal {
template <class T, detail::if_integer<T> = 0> inline T abs(T x) {
  if constexpr (detail::is_signed_element<detail::element_t<T>>)
    return __builtin_elementwise_abs(x);
  else
    return x;
}

template <class T, detail::if_integer<T> = 0> inline T min(T x, T y) {
  return __builtin_elementwise_min(x, y);
}

template <class T, detail::if_integer<T> = 0> inline T max(T x, T y) {
  return __builtin_elementwise_max(x, y);
}

template <class T, detail::if_integer<T> = 0>
inline T clamp(T x, T low, T high) {
  return min(max(x, low), high);
}

/// Bit counts; clz and ctz of zero are the bit width, as in Metal.
template <class T, detail::if_integer<T> = 0> inline T popcount(T x) {
  return __builtin_elementwise_popcount(x);
}
template <class T, detail::if_integer<T> = 0> inline T clz(T x) {
  return __builtin_elementwise_clzg(x, T(sizeof(detail::element_t<T>) * 8));
}
template <class T, detail::if_integer<T> = 0> inline T ctz(T x) {
  return __builtin_elementwise_ctzg(x, T(sizeof(detail::element_t<T>) * 8));
}

} // namespace metal

#endif // ENIGMA_HOST_INTEGER_FUNCTIONS_H
