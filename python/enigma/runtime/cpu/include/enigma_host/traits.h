//===- enigma_host/traits.h - Type classification ---------------*- C++ -*-===//
//
// The few type traits the function headers need, written out instead of
// taken from <type_traits> (see metal_stdlib on why no standard header):
// the element type and lane count of a scalar or vector, the vector of N
// lanes of an element type, and the classes of element type Metal's overload
// sets are defined over (floating: float, half, bfloat; integer: the eight
// integer types).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_TRAITS_H
#define ENIGMA_HOST_TRAITS_H

#include "enigma_host/types.h"

namespace metal::detail {

template <bool Cond, class T = void> struct enable_if {};
template <class T> struct enable_if<true, T> {
  using type = T;
};
template <bool Cond, class T = void>
using enable_if_t = typename enable_if<Cond, T>::type;

/// Element type and lane count: scalars are one-lane.
template <class T> struct lanes_of {
  using element = T;
  static constexpr int count = 1;
};
template <class T, int N>
struct lanes_of<T __attribute__((ext_vector_type(N)))> {
  using element = T;
  static constexpr int count = N;
};
template <class T> using element_t = typename lanes_of<T>::element;
template <class T> constexpr int lane_count = lanes_of<T>::count;

/// The N-lane vector of E (E itself for N == 1).
template <class E, int N> struct vector_of {
  using type = E __attribute__((ext_vector_type(N)));
};
template <class E> struct vector_of<E, 1> {
  using type = E;
};
template <class E, int N> using vector_t = typename vector_of<E, N>::type;

template <class E> constexpr bool is_floating_element = false;
template <> constexpr bool is_floating_element<float> = true;
template <> constexpr bool is_floating_element<half> = true;
template <> constexpr bool is_floating_element<bfloat> = true;

template <class E> constexpr bool is_integer_element = false;
template <> constexpr bool is_integer_element<char> = true;
template <> constexpr bool is_integer_element<uchar> = true;
template <> constexpr bool is_integer_element<short> = true;
template <> constexpr bool is_integer_element<ushort> = true;
template <> constexpr bool is_integer_element<int> = true;
template <> constexpr bool is_integer_element<uint> = true;
template <> constexpr bool is_integer_element<long> = true;
template <> constexpr bool is_integer_element<ulong> = true;

template <class E> constexpr bool is_signed_element = E(-1) < E(0);

template <class T>
constexpr bool is_floating = is_floating_element<element_t<T>>;
template <class T> constexpr bool is_integer = is_integer_element<element_t<T>>;

/// SFINAE guards for the floating and integer overload sets.
template <class T> using if_floating = enable_if_t<is_floating<T>, int>;
template <class T> using if_integer = enable_if_t<is_integer<T>, int>;

} // namespace metal::detail

#endif // ENIGMA_HOST_TRAITS_H
