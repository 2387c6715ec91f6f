//===- enigma_host/simdgroup.h - SIMD-group and quad-group functions -*- C++
//-*-===//
//
// Metal's simd_* (32 lanes) and quad_* (4 lanes) functions for the cpu
// device. Each call is a rendezvous of the lanes of the caller's SIMD-group:
// the lane fills a LaneRecord (its value, its lane/delta/mask argument) on its
// own stack and suspends in libenigma_cpu (enigma_cpu_simdgroup_op), naming
// its call site, the loop iterations it is in (enigma_host/loop_frames.h)
// and the function that computes the op. The scheduler
// (cpp/cpu_runtime/lib/SimdgroupScheduler.cpp) runs that function once for
// the lanes that are active at the site -- with the record of every such
// lane, while all of them are suspended -- and resumes them with their
// results. So the kernel's MSL stays exactly `simd_sum(x)`: the call site is
// a default argument, __builtin_LINE() and __builtin_COLUMN() of the call in
// the .metal file, which the emitter prints in program order.
//
// Semantics are Metal's over the active lanes, in lane order (a float sum is
// accumulated from the lowest active lane up, rounding after each addition);
// min/max of floats ignore NaNs as fmin/fmax do. Where Metal leaves a result
// undefined -- a shuffle or broadcast from a lane that is inactive or does
// not exist (lane id >= 32, a delta past the group, a partial SIMD-group) --
// the cpu device returns the caller's own value.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_SIMDGROUP_H
#define ENIGMA_HOST_SIMDGROUP_H

#include "enigma_host/abi.h"
#include "enigma_host/loop_frames.h"
#include "enigma_host/traits.h"

namespace enigma_host::simd {

enum class Kind {
  Sum,
  Product,
  Min,
  Max,
  And,
  Or,
  Xor,
  PrefixExclusiveSum,
  PrefixInclusiveSum,
  PrefixExclusiveProduct,
  PrefixInclusiveProduct,
  Shuffle,
  ShuffleUp,
  ShuffleDown,
  ShuffleXor,
};

/// What one lane brings to a rendezvous and takes from it.
template <class T> struct LaneRecord {
  T value;
  T result;
  ushort argument; // lane, delta or mask of a shuffle
};

/// `f` applied to each element of a and b (scalars: to a and b).
template <class T, class F> inline T lanewise(T a, T b, F f) {
  if constexpr (metal::detail::lane_count<T> == 1) {
    return f(a, b);
  } else {
    T r;
    for (int i = 0; i < metal::detail::lane_count<T>; ++i)
      r[i] = f(a[i], b[i]);
    return r;
  }
}

/// The binary operation of a reduction or scan kind. Integer results are
/// converted back to T: C promotes char and short to int, Metal does not.
template <Kind K, class T> inline T combine(T a, T b) {
  using E = metal::detail::element_t<T>;
  return lanewise(a, b, [](E x, E y) -> E {
    if constexpr (K == Kind::Sum || K == Kind::PrefixExclusiveSum ||
                  K == Kind::PrefixInclusiveSum)
      return E(x + y);
    else if constexpr (K == Kind::Product ||
                       K == Kind::PrefixExclusiveProduct ||
                       K == Kind::PrefixInclusiveProduct)
      return E(x * y);
    else if constexpr (K == Kind::Min)
      return x != x ? y : (y != y ? x : (y < x ? y : x));
    else if constexpr (K == Kind::Max)
      return x != x ? y : (y != y ? x : (y > x ? y : x));
    else if constexpr (K == Kind::And)
      return E(x & y);
    else if constexpr (K == Kind::Or)
      return E(x | y);
    else
      return E(x ^ y);
  });
}

/// The source lane of shuffle kind K for `lane` (0..Width-1 within its
/// cluster), or -1 when there is none (the caller keeps its value).
template <Kind K, unsigned Width>
inline int source(unsigned lane, unsigned arg) {
  long src;
  if constexpr (K == Kind::Shuffle)
    src = arg;
  else if constexpr (K == Kind::ShuffleUp)
    src = long(lane) - long(arg);
  else if constexpr (K == Kind::ShuffleDown)
    src = long(lane) + long(arg);
  else
    src = lane ^ arg;
  return src >= 0 && src < long(Width) ? int(src) : -1;
}

/// Computes kind K for the active lanes (bit i of `active` set: records[i]
/// is lane i's record) in clusters of Width lanes (32: simd_, 4: quad_).
template <class T, unsigned Width, Kind K>
void compute(void *const *records, unsigned active) {
  auto record = [&](unsigned i) {
    return static_cast<LaneRecord<T> *>(records[i]);
  };
  for (unsigned i = 0; i < ENIGMA_SIMD_WIDTH; ++i) {
    if (!(active >> i & 1u))
      continue;
    LaneRecord<T> &self = *record(i);
    unsigned base = i / Width * Width;
    if constexpr (K >= Kind::Shuffle) {
      int src = source<K, Width>(i - base, self.argument);
      unsigned lane = base + unsigned(src);
      self.result =
          src >= 0 && (active >> lane & 1u) ? record(lane)->value : self.value;
    } else {
      bool prefix = K >= Kind::PrefixExclusiveSum;
      bool inclusive =
          K == Kind::PrefixInclusiveSum || K == Kind::PrefixInclusiveProduct;
      unsigned end = prefix ? (inclusive ? i + 1 : i) : base + Width;
      bool any = false;
      T acc = metal::detail::element_t<T>(
          K == Kind::PrefixExclusiveProduct ? 1 : 0); // splats
      for (unsigned j = base; j < end; ++j) {
        if (!(active >> j & 1u))
          continue;
        acc = any ? combine<K>(acc, record(j)->value) : record(j)->value;
        any = true;
      }
      self.result = acc;
    }
  }
}

/// One lane's call: deposit, wait for the rendezvous of this call site in
/// the current iteration of the enclosing loops, return the result.
template <class T, unsigned Width, Kind K>
inline T call(T value, ushort argument, unsigned site) {
  LaneRecord<T> record{value, value, argument};
  KeepLoopFrame keep;
  enigma_cpu_simdgroup_op(site, innermost_loop, &compute<T, Width, K>, &record);
  return record.result;
}

template <class E> constexpr bool is_shuffle_element = false;
template <> constexpr bool is_shuffle_element<char> = true;
template <> constexpr bool is_shuffle_element<uchar> = true;
template <> constexpr bool is_shuffle_element<short> = true;
template <> constexpr bool is_shuffle_element<ushort> = true;
template <> constexpr bool is_shuffle_element<int> = true;
template <> constexpr bool is_shuffle_element<uint> = true;
template <> constexpr bool is_shuffle_element<half> = true;
template <> constexpr bool is_shuffle_element<float> = true;

template <class E>
constexpr bool is_arithmetic_element = is_shuffle_element<E> && sizeof(E) >= 2;
template <class E>
constexpr bool is_bitwise_element =
    is_shuffle_element<E> && metal::detail::is_integer_element<E>;

template <class T>
using if_shuffle =
    metal::detail::enable_if_t<is_shuffle_element<metal::detail::element_t<T>>,
                               int>;
template <class T>
using if_arithmetic = metal::detail::enable_if_t<
    is_arithmetic_element<metal::detail::element_t<T>>, int>;
template <class T>
using if_bitwise =
    metal::detail::enable_if_t<is_bitwise_element<metal::detail::element_t<T>>,
                               int>;

} // namespace enigma_host::simd

// The call site of a SIMD function, in program order of the .metal file.
#define ENIGMA_SIMD_SITE (__builtin_LINE() * 1024u + __builtin_COLUMN())

#define ENIGMA_SIMD_REDUCTION(NAME, WIDTH, KIND, TYPES)                        \
  template <class T, ::enigma_host::simd::TYPES<T> = 0>                        \
  inline T NAME(T x, unsigned site = ENIGMA_SIMD_SITE) {                       \
    return ::enigma_host::simd::call<T, WIDTH,                                 \
                                     ::enigma_host::simd::Kind::KIND>(x, 0,    \
                                                                      site);   \
  }
#define ENIGMA_SIMD_SHUFFLE(NAME, WIDTH, KIND)                                 \
  template <class T, ::enigma_host::simd::if_shuffle<T> = 0>                   \
  inline T NAME(T x, ushort lane, unsigned site = ENIGMA_SIMD_SITE) {          \
    return ::enigma_host::simd::call<T, WIDTH,                                 \
                                     ::enigma_host::simd::Kind::KIND>(x, lane, \
                                                                      site);   \
  }
#define ENIGMA_SIMD_FAMILY(PREFIX, WIDTH)                                      \
  ENIGMA_SIMD_REDUCTION(PREFIX##_sum, WIDTH, Sum, if_arithmetic)               \
  ENIGMA_SIMD_REDUCTION(PREFIX##_product, WIDTH, Product, if_arithmetic)       \
  ENIGMA_SIMD_REDUCTION(PREFIX##_min, WIDTH, Min, if_arithmetic)               \
  ENIGMA_SIMD_REDUCTION(PREFIX##_max, WIDTH, Max, if_arithmetic)               \
  ENIGMA_SIMD_REDUCTION(PREFIX##_and, WIDTH, And, if_bitwise)                  \
  ENIGMA_SIMD_REDUCTION(PREFIX##_or, WIDTH, Or, if_bitwise)                    \
  ENIGMA_SIMD_REDUCTION(PREFIX##_xor, WIDTH, Xor, if_bitwise)                  \
  ENIGMA_SIMD_REDUCTION(PREFIX##_prefix_exclusive_sum, WIDTH,                  \
                        PrefixExclusiveSum, if_arithmetic)                     \
  ENIGMA_SIMD_REDUCTION(PREFIX##_prefix_inclusive_sum, WIDTH,                  \
                        PrefixInclusiveSum, if_arithmetic)                     \
  ENIGMA_SIMD_SHUFFLE(PREFIX##_shuffle, WIDTH, Shuffle)                        \
  ENIGMA_SIMD_SHUFFLE(PREFIX##_shuffle_up, WIDTH, ShuffleUp)                   \
  ENIGMA_SIMD_SHUFFLE(PREFIX##_shuffle_down, WIDTH, ShuffleDown)               \
  ENIGMA_SIMD_SHUFFLE(PREFIX##_shuffle_xor, WIDTH, ShuffleXor)                 \
  ENIGMA_SIMD_SHUFFLE(PREFIX##_broadcast, WIDTH, Shuffle)

namespace metal {
ENIGMA_SIMD_FAMILY(simd, 32)
ENIGMA_SIMD_FAMILY(quad, 4)
ENIGMA_SIMD_REDUCTION(simd_prefix_exclusive_product, 32, PrefixExclusiveProduct,
                      if_arithmetic)
ENIGMA_SIMD_REDUCTION(simd_prefix_inclusive_product, 32, PrefixInclusiveProduct,
                      if_arithmetic)
} // namespace metal

#undef ENIGMA_SIMD_FAMILY
#undef ENIGMA_SIMD_SHUFFLE
#undef ENIGMA_SIMD_REDUCTION
#undef ENIGMA_SIMD_SITE

#endif // ENIGMA_HOST_SIMDGROUP_H
