//===- CUDAPrelude.h - What CUDA lacks of Metal's kernel language ---------===//
//
// The text printed before the kernels of every CUDA file: the fp16/bf16
// headers, the EnigmaLaunch record, Metal's thread queries computed from
// CUDA's (with Metal's partial last threadgroup), and the Metal functions
// that CUDA spells differently or lacks (clamp, mix, fract, popcount,
// mulhi, addsat, extract_bits, simd_sum, quad_shuffle, atomics, as_type...),
// each as an `enigma_` device function. Half and bfloat math runs in float
// and rounds once, which is at least as accurate as Metal's.
//
// SIMD-group functions run on the warp (a simdgroup is 32 lanes, a quad is 4
// consecutive lanes) over the lanes active at the call, as Metal's do: lanes
// past the threadgroup's end, or off in another branch, are not combined.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TARGET_CUDA_CUDAPRELUDE_H
#define ENIGMA_TARGET_CUDA_CUDAPRELUDE_H

#include "llvm/ADT/StringRef.h"

namespace mlir::enigma {

inline constexpr llvm::StringLiteral kCUDAPrelude =
    R"cuda(#include <cuda_fp16.h>
#include <cuda_bf16.h>

#define ENIGMA_DEVICE __device__ __forceinline__
#define ENIGMA_NAN __int_as_float(0x7fc00000)
#define ENIGMA_INFINITY __int_as_float(0x7f800000)

// The Metal dispatch (dispatchThreads): the grid counts threads. The block
// size is the threadgroup size; CUDA runs ceil(grid / threads) blocks.
struct EnigmaLaunch {
  uint3 grid;
};

ENIGMA_DEVICE bool enigma_in_grid(const EnigmaLaunch &l) {
  return blockIdx.x * blockDim.x + threadIdx.x < l.grid.x &&
         blockIdx.y * blockDim.y + threadIdx.y < l.grid.y &&
         blockIdx.z * blockDim.z + threadIdx.z < l.grid.z;
}
ENIGMA_DEVICE uint3 enigma_thread_position_in_grid(const EnigmaLaunch &) {
  return make_uint3(blockIdx.x * blockDim.x + threadIdx.x,
                    blockIdx.y * blockDim.y + threadIdx.y,
                    blockIdx.z * blockDim.z + threadIdx.z);
}
ENIGMA_DEVICE uint3 enigma_threads_per_grid(const EnigmaLaunch &l) { return l.grid; }
ENIGMA_DEVICE uint3 enigma_thread_position_in_threadgroup(const EnigmaLaunch &) {
  return threadIdx;
}
ENIGMA_DEVICE uint3 enigma_threadgroup_position_in_grid(const EnigmaLaunch &) { return blockIdx; }
ENIGMA_DEVICE uint3 enigma_threadgroups_per_grid(const EnigmaLaunch &) { return gridDim; }
// Metal's last threadgroup of a dimension holds only the rest of the grid.
ENIGMA_DEVICE uint3 enigma_threads_per_threadgroup(const EnigmaLaunch &l) {
  return make_uint3(min(blockDim.x, l.grid.x - blockIdx.x * blockDim.x),
                    min(blockDim.y, l.grid.y - blockIdx.y * blockDim.y),
                    min(blockDim.z, l.grid.z - blockIdx.z * blockDim.z));
}
ENIGMA_DEVICE unsigned enigma_thread_index_in_threadgroup(const EnigmaLaunch &l) {
  uint3 size = enigma_threads_per_threadgroup(l);
  return threadIdx.x + size.x * (threadIdx.y + size.y * threadIdx.z);
}
ENIGMA_DEVICE unsigned enigma_thread_index_in_simdgroup(const EnigmaLaunch &l) {
  return enigma_thread_index_in_threadgroup(l) % 32u;
}
ENIGMA_DEVICE unsigned enigma_simdgroup_index_in_threadgroup(const EnigmaLaunch &l) {
  return enigma_thread_index_in_threadgroup(l) / 32u;
}
ENIGMA_DEVICE unsigned enigma_threads_per_simdgroup(const EnigmaLaunch &) { return 32u; }
ENIGMA_DEVICE unsigned enigma_simdgroups_per_threadgroup(const EnigmaLaunch &l) {
  uint3 size = enigma_threads_per_threadgroup(l);
  return (size.x * size.y * size.z + 31u) / 32u;
}

// --- Bits and integer traits -------------------------------------------
template <class To, class From> ENIGMA_DEVICE To enigma_as_type(From from) {
  static_assert(sizeof(To) == sizeof(From), "as_type needs types of one size");
  To to;
  memcpy(&to, &from, sizeof(To));
  return to;
}
template <int Bytes> struct EnigmaBits;
template <> struct EnigmaBits<1> { typedef unsigned char type; };
template <> struct EnigmaBits<2> { typedef unsigned short type; };
template <> struct EnigmaBits<4> { typedef unsigned int type; };
template <> struct EnigmaBits<8> { typedef unsigned long long type; };
#define ENIGMA_UNSIGNED(T) typename EnigmaBits<sizeof(T)>::type
template <class T> ENIGMA_DEVICE constexpr bool enigma_signed() { return T(-1) < T(0); }
template <class T> ENIGMA_DEVICE constexpr int enigma_width() { return int(sizeof(T)) * 8; }
template <class T> ENIGMA_DEVICE T enigma_max_of() {
  typedef ENIGMA_UNSIGNED(T) U;
  return enigma_signed<T>() ? T(U(~U(0)) >> 1) : T(~U(0));
}
template <class T> ENIGMA_DEVICE T enigma_min_of() {
  return enigma_signed<T>() ? T(-enigma_max_of<T>() - 1) : T(0);
}
// Wide results clamp into T (Metal's saturating functions).
template <class T> ENIGMA_DEVICE T enigma_saturate_wide(__int128 wide) {
  if (wide > __int128(enigma_max_of<T>())) return enigma_max_of<T>();
  if (wide < __int128(enigma_min_of<T>())) return enigma_min_of<T>();
  return T(wide);
}
template <class T> ENIGMA_DEVICE T enigma_saturate_wide(unsigned __int128 wide) {
  return wide > (unsigned __int128)(enigma_max_of<T>()) ? enigma_max_of<T>() : T(wide);
}
// Metal's float -> integer conversion: toward zero, saturating, NaN -> 0.
// C++ leaves out-of-range conversions undefined (LLVM folds them freely), so
// the bounds are explicit; F(max) rounds up to a power of two, so `>=` holds.
template <class To> struct EnigmaFloatToInt {
  template <class F> static ENIGMA_DEVICE To clamp(F x) {
    if (x != x) return To(0);
    if (x <= F(enigma_min_of<To>())) return enigma_min_of<To>();
    if (x >= F(enigma_max_of<To>())) return enigma_max_of<To>();
    return To(x);
  }
  static ENIGMA_DEVICE To convert(double x) { return clamp(x); }
  static ENIGMA_DEVICE To convert(float x) { return clamp(x); }
  static ENIGMA_DEVICE To convert(__half x) { return clamp(__half2float(x)); }
  static ENIGMA_DEVICE To convert(__nv_bfloat16 x) { return clamp(__bfloat162float(x)); }
};
template <class To, class From> ENIGMA_DEVICE To enigma_float_to_int(const From &x) {
  return EnigmaFloatToInt<To>::convert(x);
}
#define ENIGMA_WIDE(T, x) \
  typename EnigmaWide<enigma_signed<T>()>::type(x)
template <bool Signed> struct EnigmaWide { typedef __int128 type; };
template <> struct EnigmaWide<false> { typedef unsigned __int128 type; };

// --- Integer functions ---------------------------------------------------
template <class T> ENIGMA_DEVICE T enigma_min(T a, T b) { return b < a ? b : a; }
template <class T> ENIGMA_DEVICE T enigma_max(T a, T b) { return a < b ? b : a; }
template <class T> ENIGMA_DEVICE T enigma_abs(T x) {
  typedef ENIGMA_UNSIGNED(T) U;
  return x < T(0) ? T(U(0) - U(x)) : x;  // wraps at the minimum, as Metal's
}
template <class T> ENIGMA_DEVICE T enigma_clamp(T x, T lo, T hi) {
  return enigma_min(enigma_max(x, lo), hi);
}
template <class T> ENIGMA_DEVICE T enigma_clz(T x) {
  typedef ENIGMA_UNSIGNED(T) U;
  if constexpr (sizeof(T) == 8) return T(__clzll((long long)U(x)));
  else
    return T(__clz(int(unsigned(U(x)))) - (32 - enigma_width<T>()));
}
template <class T> ENIGMA_DEVICE T enigma_ctz(T x) {
  typedef ENIGMA_UNSIGNED(T) U;
  if (U(x) == 0) return T(enigma_width<T>());
  if constexpr (sizeof(T) == 8) return T(__ffsll((long long)U(x)) - 1);
  else
    return T(__ffs(int(unsigned(U(x)))) - 1);
}
template <class T> ENIGMA_DEVICE T enigma_popcount(T x) {
  typedef ENIGMA_UNSIGNED(T) U;
  if constexpr (sizeof(T) == 8) return T(__popcll((unsigned long long)U(x)));
  else
    return T(__popc(unsigned(U(x))));
}
template <class T> ENIGMA_DEVICE T enigma_reverse_bits(T x) {
  typedef ENIGMA_UNSIGNED(T) U;
  if constexpr (sizeof(T) == 8) return T(__brevll((unsigned long long)U(x)));
  else
    return T(U(__brev(unsigned(U(x))) >> (32 - enigma_width<T>())));
}
template <class T> ENIGMA_DEVICE T enigma_absdiff(T a, T b) {
  typedef ENIGMA_UNSIGNED(T) U;
  return T(a < b ? U(U(b) - U(a)) : U(U(a) - U(b)));
}
template <class T> ENIGMA_DEVICE T enigma_addsat(T a, T b) {
  return enigma_saturate_wide<T>(ENIGMA_WIDE(T, a) + ENIGMA_WIDE(T, b));
}
template <class T> ENIGMA_DEVICE T enigma_subsat(T a, T b) {
  if (!enigma_signed<T>()) return a < b ? T(0) : T(a - b);
  return enigma_saturate_wide<T>(ENIGMA_WIDE(T, a) - ENIGMA_WIDE(T, b));
}
template <class T> ENIGMA_DEVICE T enigma_madsat(T a, T b, T c) {
  return enigma_saturate_wide<T>(ENIGMA_WIDE(T, a) * ENIGMA_WIDE(T, b) + ENIGMA_WIDE(T, c));
}
template <class T> ENIGMA_DEVICE T enigma_mulhi(T a, T b) {
  return T((ENIGMA_WIDE(T, a) * ENIGMA_WIDE(T, b)) >> enigma_width<T>());
}
template <class T> ENIGMA_DEVICE T enigma_rotate(T x, T count) {
  typedef ENIGMA_UNSIGNED(T) U;
  unsigned w = enigma_width<T>(), s = unsigned(U(count)) & (w - 1u);
  U u = U(x);
  return s == 0 ? x : T(U(U(u << s) | U(u >> (w - s))));
}
template <class T> ENIGMA_DEVICE T enigma_extract_bits(T x, unsigned offset, unsigned bits) {
  typedef ENIGMA_UNSIGNED(T) U;
  if (bits == 0) return T(0);
  unsigned long long field = (unsigned long long)U(x) >> offset;
  if (bits < 64) {
    field &= (1ull << bits) - 1ull;
    if (enigma_signed<T>() && ((field >> (bits - 1)) & 1ull)) field |= ~0ull << bits;
  }
  return T(U(field));
}
template <class T>
ENIGMA_DEVICE T enigma_insert_bits(T base, T insert, unsigned offset, unsigned bits) {
  typedef ENIGMA_UNSIGNED(T) U;
  if (bits == 0) return base;
  unsigned long long mask = (bits < 64 ? (1ull << bits) - 1ull : ~0ull) << offset;
  unsigned long long merged = ((unsigned long long)U(base) & ~mask) |
                              (((unsigned long long)U(insert) << offset) & mask);
  return T(U(merged));
}

// --- Float functions: float, and half/bfloat through float ---------------
ENIGMA_DEVICE float enigma_float(float x) { return x; }
ENIGMA_DEVICE float enigma_float(__half x) { return __half2float(x); }
ENIGMA_DEVICE float enigma_float(__nv_bfloat16 x) { return __bfloat162float(x); }
#define ENIGMA_F1(name, expr) \
  ENIGMA_DEVICE float name(float x) { return (expr); } \
  ENIGMA_DEVICE __half name(__half x_) { float x = __half2float(x_); return __float2half_rn(expr); } \
  ENIGMA_DEVICE __nv_bfloat16 name(__nv_bfloat16 x_) { \
    float x = __bfloat162float(x_); return __float2bfloat16_rn(expr); }
#define ENIGMA_F2(name, expr) \
  ENIGMA_DEVICE float name(float x, float y) { return (expr); } \
  ENIGMA_DEVICE __half name(__half x_, __half y_) { \
    float x = __half2float(x_), y = __half2float(y_); return __float2half_rn(expr); } \
  ENIGMA_DEVICE __nv_bfloat16 name(__nv_bfloat16 x_, __nv_bfloat16 y_) { \
    float x = __bfloat162float(x_), y = __bfloat162float(y_); return __float2bfloat16_rn(expr); }
#define ENIGMA_F3(name, expr) \
  ENIGMA_DEVICE float name(float x, float y, float z) { return (expr); } \
  ENIGMA_DEVICE __half name(__half x_, __half y_, __half z_) { \
    float x = __half2float(x_), y = __half2float(y_), z = __half2float(z_); \
    return __float2half_rn(expr); } \
  ENIGMA_DEVICE __nv_bfloat16 name(__nv_bfloat16 x_, __nv_bfloat16 y_, __nv_bfloat16 z_) { \
    float x = __bfloat162float(x_), y = __bfloat162float(y_), z = __bfloat162float(z_); \
    return __float2bfloat16_rn(expr); }
ENIGMA_F1(enigma_fabs, fabsf(x)) ENIGMA_F1(enigma_sqrt, sqrtf(x)) ENIGMA_F1(enigma_rsqrt, 1.0f / sqrtf(x))
ENIGMA_F1(enigma_exp, expf(x)) ENIGMA_F1(enigma_exp2, exp2f(x)) ENIGMA_F1(enigma_log, logf(x))
ENIGMA_F1(enigma_log2, log2f(x)) ENIGMA_F1(enigma_log10, log10f(x)) ENIGMA_F1(enigma_sin, sinf(x))
ENIGMA_F1(enigma_cos, cosf(x)) ENIGMA_F1(enigma_tan, tanf(x)) ENIGMA_F1(enigma_asin, asinf(x))
ENIGMA_F1(enigma_acos, acosf(x)) ENIGMA_F1(enigma_atan, atanf(x)) ENIGMA_F1(enigma_sinh, sinhf(x))
ENIGMA_F1(enigma_cosh, coshf(x)) ENIGMA_F1(enigma_tanh, tanhf(x)) ENIGMA_F1(enigma_asinh, asinhf(x))
ENIGMA_F1(enigma_acosh, acoshf(x)) ENIGMA_F1(enigma_atanh, atanhf(x))
ENIGMA_F1(enigma_floor, floorf(x)) ENIGMA_F1(enigma_ceil, ceilf(x)) ENIGMA_F1(enigma_trunc, truncf(x))
// Metal's round is half away from zero (roundf), rint half to even.
ENIGMA_F1(enigma_round, roundf(x)) ENIGMA_F1(enigma_rint, rintf(x))
ENIGMA_F1(enigma_sign, x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : (x == x ? x : 0.0f)))
ENIGMA_F1(enigma_saturate, fminf(fmaxf(x, 0.0f), 1.0f))
ENIGMA_F2(enigma_fmod, fmodf(x, y)) ENIGMA_F2(enigma_fmin, fminf(x, y)) ENIGMA_F2(enigma_fmax, fmaxf(x, y))
ENIGMA_F2(enigma_pow, powf(x, y)) ENIGMA_F2(enigma_atan2, atan2f(x, y))
ENIGMA_F2(enigma_copysign, copysignf(x, y)) ENIGMA_F2(enigma_step, y < x ? 0.0f : 1.0f)
ENIGMA_F3(enigma_fma, fmaf(x, y, z)) ENIGMA_F3(enigma_clamp, fminf(fmaxf(x, y), z))
ENIGMA_F3(enigma_mix, x + (y - x) * z)
ENIGMA_F3(enigma_smoothstep,
          (fminf(fmaxf((z - x) / (y - x), 0.0f), 1.0f)) * (fminf(fmaxf((z - x) / (y - x), 0.0f), 1.0f)) *
              (3.0f - 2.0f * fminf(fmaxf((z - x) / (y - x), 0.0f), 1.0f)))
// fract is below 1 in its own type (the float result would round up to 1);
// NaN stays NaN and +-inf gives +-0, as OpenCL's fract, which Metal's follows.
ENIGMA_DEVICE float enigma_fract_below(float f, float below_one) {
  if (isinf(f))
    return copysignf(0.0f, f);
  if (isnan(f))
    return f; // fminf would turn NaN into the bound
  return fminf(f - floorf(f), below_one);
}
ENIGMA_DEVICE float enigma_fract(float x) { return enigma_fract_below(x, 0x1.fffffep-1f); }
ENIGMA_DEVICE __half enigma_fract(__half x) {
  float r = __half2float(__float2half_rn(enigma_fract_below(__half2float(x), 1.0f)));
  return __float2half_rn(r < 1.0f || isnan(r) ? r : 0x1.ffcp-1f);
}
ENIGMA_DEVICE __nv_bfloat16 enigma_fract(__nv_bfloat16 x) {
  float r = __bfloat162float(__float2bfloat16_rn(enigma_fract_below(__bfloat162float(x), 1.0f)));
  return __float2bfloat16_rn(r < 1.0f || isnan(r) ? r : 0x1.fep-1f);
}
template <class T> ENIGMA_DEVICE bool enigma_isnan(T x) {
  float f = enigma_float(x);
  return f != f;
}
template <class T> ENIGMA_DEVICE bool enigma_isinf(T x) {
  return fabsf(enigma_float(x)) == ENIGMA_INFINITY;
}
template <class T> ENIGMA_DEVICE bool enigma_isfinite(T x) {
  return fabsf(enigma_float(x)) < ENIGMA_INFINITY;
}
ENIGMA_DEVICE bool enigma_signbit(float x) { return (__float_as_uint(x) >> 31) != 0u; }
ENIGMA_DEVICE bool enigma_signbit(__half x) { return (__half_as_ushort(x) >> 15) != 0; }
ENIGMA_DEVICE bool enigma_signbit(__nv_bfloat16 x) { return (__bfloat16_as_ushort(x) >> 15) != 0; }
// Normal in the value's own type: a half subnormal is a normal float.
ENIGMA_DEVICE bool enigma_isnormal(float x) {
  return fabsf(x) >= 0x1p-126f && fabsf(x) < ENIGMA_INFINITY;
}
ENIGMA_DEVICE bool enigma_isnormal(__half x) {
  float f = fabsf(__half2float(x));
  return f >= 0x1p-14f && f < ENIGMA_INFINITY;
}
ENIGMA_DEVICE bool enigma_isnormal(__nv_bfloat16 x) { return enigma_isnormal(__bfloat162float(x)); }

)cuda"
// Metal's SIMD-group and quad-group functions, atomics.
#include "CUDASimdPrelude.inc"
// Metal's vector types, lane-wise functions, geometry and pack/unpack.
#include "CUDAVectorPrelude.inc"
// Metal's simdgroup matrices.
#include "CUDAMatrixPrelude.inc"
// Hopper's warpgroup MMA (sm_90a).
#include "CUDAWgmmaPrelude.inc"
// Threadgroup matrices: tile GEMMs on the block, on the wgmma wrappers.
#include "CUDATileMatrixPrelude.inc"
    ;

} // namespace mlir::enigma

#endif // ENIGMA_TARGET_CUDA_CUDAPRELUDE_H
