//===- enigma_host/vector_constructors.h - Vector constructors --*- C++ -*-===//
//
// Metal builds vectors with constructor calls -- `float4(x)` (splat),
// `float4(a, b, c, d)`, `float4(v.xy, z, w)`, `float4(some_int4)` (lane-wise
// conversion) -- but clang's ext_vector_type has no constructors in C++:
// `float4(a, b)` does not compile, and a cast between vectors of the same
// size reinterprets bits instead of converting values.
//
// So each vector type name is also a function-like macro. The preprocessor
// expands a function-like macro only when its name is followed by `(`, so
// `float4 v` and `as_type<float4>(x)` still name the type, while
// `float4(...)` becomes make_vector<float4>(...), which splats, converts or
// concatenates with Metal's rules and rejects a wrong lane count at compile
// time. (A macro's own name in its expansion is not expanded again, so the
// `::float4` inside is the type.)
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_VECTOR_CONSTRUCTORS_H
#define ENIGMA_HOST_VECTOR_CONSTRUCTORS_H

#include "enigma_host/traits.h"

namespace metal::detail {

template <class V, class A>
inline void append_lanes(V &result, int &next, A part) {
  using E = element_t<V>;
  if constexpr (lane_count<A> == 1) {
    result[next++] = static_cast<E>(part);
  } else {
    for (int lane = 0; lane < lane_count<A>; ++lane)
      result[next++] = static_cast<E>(part[lane]);
  }
}

/// `float4()`: all lanes zero.
template <class V> inline V make_vector() { return V{}; }

/// `float4(x)`: a splat of a scalar, or a lane-wise value conversion.
template <class V, class A> inline V make_vector(A part) {
  if constexpr (lane_count<A> == 1) {
    return V(static_cast<element_t<V>>(part));
  } else {
    static_assert(lane_count<A> == lane_count<V>,
                  "a vector converts only from a vector of as many lanes");
    using From = element_t<A>;
    using To = element_t<V>;
    if constexpr (__is_floating_point(From) && __is_integral(To) &&
                  !__is_same(To, bool)) {
      // Lane by lane: scalar casts saturate (NaN gives 0) under
      // -fno-strict-float-cast-overflow, as Apple GPUs convert, while
      // __builtin_convertvector leaves out-of-range lanes undefined.
      V result{};
      for (int lane = 0; lane < lane_count<V>; ++lane)
        result[lane] = static_cast<To>(part[lane]);
      return result;
    } else {
      return __builtin_convertvector(part, V);
    }
  }
}

/// `float4(v.xy, z, w)`: the lanes of the parts, in order.
template <class V, class A, class B, class... Rest>
inline V make_vector(A first, B second, Rest... rest) {
  static_assert(lane_count<A> + lane_count<B> + (0 + ... + lane_count<Rest>) ==
                    lane_count<V>,
                "a vector constructor takes as many lanes as the vector has");
  if constexpr (__is_same(element_t<V>, bool)) {
    // clang 22's x86 instruction selection crashes on lanes inserted into a
    // bool vector from another bool vector: build chars, convert once.
    using Chars = vector_t<char, lane_count<V>>;
    return __builtin_convertvector(make_vector<Chars>(first, second, rest...),
                                   V);
  }
  V result{};
  int next = 0;
  append_lanes(result, next, first);
  append_lanes(result, next, second);
  (append_lanes(result, next, rest), ...);
  return result;
}

} // namespace metal::detail

#define bool2(...) ::metal::detail::make_vector<::bool2>(__VA_ARGS__)
#define bool3(...) ::metal::detail::make_vector<::bool3>(__VA_ARGS__)
#define bool4(...) ::metal::detail::make_vector<::bool4>(__VA_ARGS__)
#define char2(...) ::metal::detail::make_vector<::char2>(__VA_ARGS__)
#define char3(...) ::metal::detail::make_vector<::char3>(__VA_ARGS__)
#define char4(...) ::metal::detail::make_vector<::char4>(__VA_ARGS__)
#define uchar2(...) ::metal::detail::make_vector<::uchar2>(__VA_ARGS__)
#define uchar3(...) ::metal::detail::make_vector<::uchar3>(__VA_ARGS__)
#define uchar4(...) ::metal::detail::make_vector<::uchar4>(__VA_ARGS__)
#define short2(...) ::metal::detail::make_vector<::short2>(__VA_ARGS__)
#define short3(...) ::metal::detail::make_vector<::short3>(__VA_ARGS__)
#define short4(...) ::metal::detail::make_vector<::short4>(__VA_ARGS__)
#define ushort2(...) ::metal::detail::make_vector<::ushort2>(__VA_ARGS__)
#define ushort3(...) ::metal::detail::make_vector<::ushort3>(__VA_ARGS__)
#define ushort4(...) ::metal::detail::make_vector<::ushort4>(__VA_ARGS__)
#define int2(...) ::metal::detail::make_vector<::int2>(__VA_ARGS__)
#define int3(...) ::metal::detail::make_vector<::int3>(__VA_ARGS__)
#define int4(...) ::metal::detail::make_vector<::int4>(__VA_ARGS__)
#define uint2(...) ::metal::detail::make_vector<::uint2>(__VA_ARGS__)
#define uint3(...) ::metal::detail::make_vector<::uint3>(__VA_ARGS__)
#define uint4(...) ::metal::detail::make_vector<::uint4>(__VA_ARGS__)
#define long2(...) ::metal::detail::make_vector<::long2>(__VA_ARGS__)
#define long3(...) ::metal::detail::make_vector<::long3>(__VA_ARGS__)
#define long4(...) ::metal::detail::make_vector<::long4>(__VA_ARGS__)
#define ulong2(...) ::metal::detail::make_vector<::ulong2>(__VA_ARGS__)
#define ulong3(...) ::metal::detail::make_vector<::ulong3>(__VA_ARGS__)
#define ulong4(...) ::metal::detail::make_vector<::ulong4>(__VA_ARGS__)
#define half2(...) ::metal::detail::make_vector<::half2>(__VA_ARGS__)
#define half3(...) ::metal::detail::make_vector<::half3>(__VA_ARGS__)
#define half4(...) ::metal::detail::make_vector<::half4>(__VA_ARGS__)
#define bfloat2(...) ::metal::detail::make_vector<::bfloat2>(__VA_ARGS__)
#define bfloat3(...) ::metal::detail::make_vector<::bfloat3>(__VA_ARGS__)
#define bfloat4(...) ::metal::detail::make_vector<::bfloat4>(__VA_ARGS__)
#define float2(...) ::metal::detail::make_vector<::float2>(__VA_ARGS__)
#define float3(...) ::metal::detail::make_vector<::float3>(__VA_ARGS__)
#define float4(...) ::metal::detail::make_vector<::float4>(__VA_ARGS__)

#endif // ENIGMA_HOST_VECTOR_CONSTRUCTORS_H
