//===- enigma_host/integer_functions.h - Integer functions ------*- C++ -*-===//
//
// Metal's integer functions over the eight integer types and their vectors:
// abs, min, max, clamp, bit counts, and the saturating, high-half, rotate
// and bit-field functions.
// They wrap as Metal's do: abs of the most negative value is itself (no
// undefined behaviour), and abs of an unsigned value is the value. The
// lane-wise helpers compute in 64 bits (128 for the products of longs), so C's
// promotion of char and short to int never changes a result.
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

namespace detail {

template <class E> struct unsigned_of;
template <> struct unsigned_of<char> {
  using type = uchar;
};
template <> struct unsigned_of<uchar> {
  using type = uchar;
};
template <> struct unsigned_of<short> {
  using type = ushort;
};
template <> struct unsigned_of<ushort> {
  using type = ushort;
};
template <> struct unsigned_of<int> {
  using type = uint;
};
template <> struct unsigned_of<uint> {
  using type = uint;
};
template <> struct unsigned_of<long> {
  using type = ulong;
};
template <> struct unsigned_of<ulong> {
  using type = ulong;
};
/// The unsigned type of T's width and lane count (uint for int, ushort4 for
/// short4).
template <class T>
using unsigned_t =
    vector_t<typename unsigned_of<element_t<T>>::type, lane_count<T>>;

/// `f` of each lane of integer values; R is the result type.
template <class R, class T, class F, class... Rest>
inline R map_integer_lanes(F f, T x, Rest... rest) {
  if constexpr (lane_count<T> == 1) {
    return static_cast<R>(f(x, rest...));
  } else {
    R result;
    for (int lane = 0; lane < lane_count<T>; ++lane)
      result[lane] = f(x[lane], rest[lane]...);
    return result;
  }
}

template <class E> constexpr int bit_width = sizeof(E) * 8;
template <class E>
constexpr __int128 min_of =
    is_signed_element<E> ? -(static_cast<__int128>(1) << (bit_width<E> - 1))
                         : 0;
template <class E>
constexpr __int128 max_of =
    (static_cast<__int128>(1) << (bit_width<E> - is_signed_element<E>)) - 1;

/// `v` saturated to E's range.
template <class E> inline E saturate_to(__int128 v) {
  return static_cast<E>(v < min_of<E>   ? min_of<E>
                        : v > max_of<E> ? max_of<E>
                                        : v);
}

/// The low `bits` bits set (bits may be 64).
inline ulong low_mask(uint bits) {
  return bits >= 64 ? ~0ul : (1ul << bits) - 1;
}

} // namespace detail

template <class T, detail::if_integer<T> = 0> inline T reverse_bits(T x) {
  return __builtin_elementwise_bitreverse(x);
}

/// |x - y| without overflow, as the unsigned type of x's width.
template <class T, detail::if_integer<T> = 0>
inline detail::unsigned_t<T> absdiff(T x, T y) {
  using E = detail::element_t<T>;
  using U = typename detail::unsigned_of<E>::type;
  return detail::map_integer_lanes<detail::unsigned_t<T>>(
      [](E a, E b) { return a > b ? U(U(a) - U(b)) : U(U(b) - U(a)); }, x, y);
}

template <class T, detail::if_integer<T> = 0> inline T addsat(T x, T y) {
  return __builtin_elementwise_add_sat(x, y);
}
template <class T, detail::if_integer<T> = 0> inline T subsat(T x, T y) {
  return __builtin_elementwise_sub_sat(x, y);
}

/// The high half of the full product x * y (also for long and ulong).
template <class T, detail::if_integer<T> = 0> inline T mulhi(T x, T y) {
  using E = detail::element_t<T>;
  return detail::map_integer_lanes<T>(
      [](E a, E b) {
        __int128 product = static_cast<__int128>(a) * static_cast<__int128>(b);
        if constexpr (!detail::is_signed_element<E>)
          product =
              static_cast<__int128>(static_cast<unsigned __int128>(a) *
                                        static_cast<unsigned __int128>(b) >>
                                    detail::bit_width<E>);
        else
          product >>= detail::bit_width<E>;
        return static_cast<E>(product);
      },
      x, y);
}

/// a * b + c computed exactly, saturated to the type's range.
template <class T, detail::if_integer<T> = 0> inline T madsat(T a, T b, T c) {
  using E = detail::element_t<T>;
  return detail::map_integer_lanes<T>(
      [](E x, E y, E z) {
        if constexpr (detail::is_signed_element<E>)
          return detail::saturate_to<E>(static_cast<__int128>(x) * y + z);
        unsigned __int128 exact = static_cast<unsigned __int128>(x) * y + z;
        return exact > static_cast<unsigned __int128>(detail::max_of<E>)
                   ? static_cast<E>(detail::max_of<E>)
                   : static_cast<E>(exact);
      },
      a, b, c);
}

/// v rotated left by i bits, i taken modulo the bit width.
template <class T, detail::if_integer<T> = 0> inline T rotate(T v, T i) {
  using E = detail::element_t<T>;
  using U = typename detail::unsigned_of<E>::type;
  constexpr uint width = detail::bit_width<E>;
  return detail::map_integer_lanes<T>(
      [](E x, E amount) {
        uint n = static_cast<uint>(static_cast<U>(amount) % width);
        ulong bits = static_cast<U>(x);
        ulong rotated = (bits << n) | (n ? bits >> (width - n) : 0);
        return static_cast<E>(static_cast<U>(rotated));
      },
      v, i);
}

/// Bits [offset, offset + bits) of x in the low bits, sign-extended for
/// signed types; 0 when bits is 0. Metal leaves offset + bits > width
/// undefined.
template <class T, detail::if_integer<T> = 0>
inline T extract_bits(T x, uint offset, uint bits) {
  using E = detail::element_t<T>;
  using U = typename detail::unsigned_of<E>::type;
  return detail::map_integer_lanes<T>(
      [offset, bits](E v) {
        if (bits == 0)
          return E(0);
        ulong field = (static_cast<ulong>(static_cast<U>(v)) >> offset) &
                      detail::low_mask(bits);
        if (detail::is_signed_element<E> && bits < 64 &&
            ((field >> (bits - 1)) & 1))
          field |= ~detail::low_mask(bits);
        return static_cast<E>(field);
      },
      x);
}

/// base with bits [offset, offset + bits) replaced by the low bits of
/// insert; base itself when bits is 0.
template <class T, detail::if_integer<T> = 0>
inline T insert_bits(T base, T insert, uint offset, uint bits) {
  using E = detail::element_t<T>;
  using U = typename detail::unsigned_of<E>::type;
  return detail::map_integer_lanes<T>(
      [offset, bits](E b, E i) {
        if (bits == 0)
          return b;
        ulong mask = detail::low_mask(bits) << offset;
        ulong result =
            (static_cast<ulong>(static_cast<U>(b)) & ~mask) |
            ((static_cast<ulong>(static_cast<U>(i)) << offset) & mask);
        return static_cast<E>(static_cast<U>(result));
      },
      base, insert);
}

} // namespace metal

#endif // ENIGMA_HOST_INTEGER_FUNCTIONS_H
