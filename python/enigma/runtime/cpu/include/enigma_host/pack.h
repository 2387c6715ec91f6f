//===- enigma_host/pack.h - Metal's pack and unpack functions ---*- C++ -*-===//
//
// pack_float_to_<format>(float4 or float2) -> uint and
// unpack_<format>_to_float(uint) -> float4 or float2, lane 0 in the lowest
// bits, with the conversions of MSL §7.7, all in float:
//   float -> unorm of n bits: rint(min(max(f * M, 0), M)), M = 2^n - 1
//   float -> snorm of n bits: rint(min(max(f * M, -M), M)), M = 2^(n-1) - 1
//   (fmax/fmin return the number when f * M is NaN, so NaN packs as 0; rint
//   rounds halves to even)
//   unorm -> float: c / M          snorm -> float: max(c / M, -1)
//   linear -> sRGB (r, g, b): NaN -> 0; clamp to [0, 1]; c < 0.0031308 ?
//       12.92 c : 1.055 powr(c, 1/2.4) - 0.055; then unorm8
//   sRGB -> linear: c <= 0.04045 ? c / 12.92 : powr((c + 0.055) / 1.055, 2.4)
// The cpu build compiles with -ffp-contract=off, so each operation rounds as
// written (no fused multiply-add), which the bit-exact tests rely on.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_PACK_H
#define ENIGMA_HOST_PACK_H

#include "enigma_host/types.h"

namespace metal {
namespace detail {

inline uint to_unorm(float f, float max) {
  return uint(
      __builtin_rintf(__builtin_fminf(__builtin_fmaxf(f * max, 0.0f), max)));
}

/// The low `bits` bits of the two's complement of the rounded snorm value.
inline uint to_snorm(float f, float max, int bits) {
  int value = int(
      __builtin_rintf(__builtin_fminf(__builtin_fmaxf(f * max, -max), max)));
  return uint(value) & ((1u << bits) - 1u);
}

/// The field of `bits` bits at `shift` of `word`, sign-extended.
inline int signed_field(uint word, int shift, int bits) {
  return int(word << (32 - shift - bits)) >> (32 - bits);
}

inline float from_snorm(int value, float max) {
  return __builtin_fmaxf(float(value) / max, -1.0f);
}

inline float linear_to_srgb(float c) {
  if (__builtin_isnan(c))
    c = 0.0f;
  if (c > 1.0f)
    return 1.0f;
  if (c < 0.0f)
    return 0.0f;
  if (c < 0.0031308f)
    return 12.92f * c;
  return 1.055f * __builtin_powf(c, 1.0f / 2.4f) - 0.055f;
}

inline float srgb_to_linear(float c) {
  if (c <= 0.04045f)
    return c / 12.92f;
  return __builtin_powf((c + 0.055f) / 1.055f, 2.4f);
}

} // namespace detail

inline uint pack_float_to_unorm4x8(float4 x) {
  uint word = 0;
  for (int lane = 0; lane < 4; ++lane)
    word |= detail::to_unorm(x[lane], 255.0f) << (8 * lane);
  return word;
}

inline uint pack_float_to_snorm4x8(float4 x) {
  uint word = 0;
  for (int lane = 0; lane < 4; ++lane)
    word |= detail::to_snorm(x[lane], 127.0f, 8) << (8 * lane);
  return word;
}

inline uint pack_float_to_unorm2x16(float2 x) {
  return detail::to_unorm(x[0], 65535.0f) | detail::to_unorm(x[1], 65535.0f)
                                                << 16;
}

inline uint pack_float_to_snorm2x16(float2 x) {
  return detail::to_snorm(x[0], 32767.0f, 16) |
         detail::to_snorm(x[1], 32767.0f, 16) << 16;
}

inline uint pack_float_to_srgb_unorm4x8(float4 x) {
  uint word = detail::to_unorm(x[3], 255.0f) << 24;
  for (int lane = 0; lane < 3; ++lane)
    word |= detail::to_unorm(detail::linear_to_srgb(x[lane]), 255.0f)
            << (8 * lane);
  return word;
}

inline uint pack_float_to_unorm10a2(float4 x) {
  uint word = detail::to_unorm(x[3], 3.0f) << 30;
  for (int lane = 0; lane < 3; ++lane)
    word |= detail::to_unorm(x[lane], 1023.0f) << (10 * lane);
  return word;
}

inline float4 unpack_unorm4x8_to_float(uint x) {
  float4 result;
  for (int lane = 0; lane < 4; ++lane)
    result[lane] = float((x >> (8 * lane)) & 0xffu) / 255.0f;
  return result;
}

inline float4 unpack_snorm4x8_to_float(uint x) {
  float4 result;
  for (int lane = 0; lane < 4; ++lane)
    result[lane] =
        detail::from_snorm(detail::signed_field(x, 8 * lane, 8), 127.0f);
  return result;
}

inline float2 unpack_unorm2x16_to_float(uint x) {
  float2 result;
  result[0] = float(x & 0xffffu) / 65535.0f;
  result[1] = float(x >> 16) / 65535.0f;
  return result;
}

inline float2 unpack_snorm2x16_to_float(uint x) {
  float2 result;
  result[0] = detail::from_snorm(detail::signed_field(x, 0, 16), 32767.0f);
  result[1] = detail::from_snorm(detail::signed_field(x, 16, 16), 32767.0f);
  return result;
}

inline float4 unpack_unorm4x8_srgb_to_float(uint x) {
  float4 result = unpack_unorm4x8_to_float(x);
  for (int lane = 0; lane < 3; ++lane)
    result[lane] = detail::srgb_to_linear(result[lane]);
  return result;
}

inline float4 unpack_unorm10a2_to_float(uint x) {
  float4 result;
  for (int lane = 0; lane < 3; ++lane)
    result[lane] = float((x >> (10 * lane)) & 0x3ffu) / 1023.0f;
  result[3] = float(x >> 30) / 3.0f;
  return result;
}

} // namespace metal

#endif // ENIGMA_HOST_PACK_H
