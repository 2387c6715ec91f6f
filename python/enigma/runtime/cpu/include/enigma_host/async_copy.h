//===- enigma_host/async_copy.h - SIMD-group async copies -------*- C++ -*-===//
//
// The AIR intrinsics that Metal kernels declare for SIMD-group async copies
// (see AsyncCopyPrinter.cpp; the MSL declares them only for the Metal
// compiler), as plain synchronous copies: the copy is complete when the
// call returns, so waiting is a no-op. Every lane of the SIMD-group makes
// the same call (Metal requires it); each copies the same bytes, which is
// harmless because the lanes of a threadgroup run one after another on one
// OS thread. Metal's completion guarantee is only observable after a wait
// (and, for other SIMD-groups, a barrier), so the early completion is
// faithful.
//
// Element (c, r) of the destination tile gets element (c, r) of the source
// tile; destination elements outside the source tile are zeroed (Metal's
// clamp_to_zero, the only mode the emitter uses).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_ASYNC_COPY_H
#define ENIGMA_HOST_ASYNC_COPY_H

#include "enigma_host/types.h"
#include <cstring>

struct _simdgroup_event_t {};

inline _simdgroup_event_t *__metal_simdgroup_async_copy_2d(
    ulong element_size, ulong /*alignment*/, void *dst,
    ulong dst_elements_per_row, ulong /*dst_scale*/, ulong2 dst_tile,
    const void *src, ulong src_elements_per_row, ulong /*src_scale*/,
    ulong2 src_tile, long2 /*origin*/, int /*clamp_mode*/) {
  static _simdgroup_event_t completed;
  auto *to = static_cast<unsigned char *>(dst);
  const auto *from = static_cast<const unsigned char *>(src);
  for (ulong r = 0; r < dst_tile.y; ++r)
    for (ulong c = 0; c < dst_tile.x; ++c) {
      unsigned char *out = to + (r * dst_elements_per_row + c) * element_size;
      if (r < src_tile.y && c < src_tile.x)
        std::memcpy(out, from + (r * src_elements_per_row + c) * element_size,
                    element_size);
      else
        std::memset(out, 0, element_size);
    }
  return &completed;
}

inline void __metal_wait_simdgroup_events(int, _simdgroup_event_t **) {}

#endif // ENIGMA_HOST_ASYNC_COPY_H
