//===- enigma_host/synchronization.h - Barriers -----------------*- C++ -*-===//
//
// threadgroup_barrier and simdgroup_barrier suspend the calling GPU thread in
// libenigma_cpu (enigma_host/abi.h) until its threadgroup (simdgroup) has
// caught up; that is only possible on the fiber path, which the launcher
// chooses for every kernel whose compile result says it uses barriers.
//
// All threads of a group run on one OS thread, so no hardware fence is
// needed, whatever the mem_flags: what is needed is that the compiler keep
// no threadgroup or device value in a register across the barrier, since
// other fibers change memory while this one is suspended. The call to the
// runtime is opaque, and the signal fences around it say so explicitly
// (they emit no instruction). Like every call that can suspend, a barrier
// keeps the thread's loop frame (enigma_host/loop_frames.h).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_SYNCHRONIZATION_H
#define ENIGMA_HOST_SYNCHRONIZATION_H

#include "enigma_host/abi.h"
#include "enigma_host/loop_frames.h"

namespace metal {

enum class mem_flags : unsigned {
  mem_none = 0,
  mem_device = 1,
  mem_threadgroup = 2,
  mem_texture = 4,
};

inline constexpr mem_flags operator|(mem_flags a, mem_flags b) {
  return static_cast<mem_flags>(static_cast<unsigned>(a) |
                                static_cast<unsigned>(b));
}

inline constexpr mem_flags operator&(mem_flags a, mem_flags b) {
  return static_cast<mem_flags>(static_cast<unsigned>(a) &
                                static_cast<unsigned>(b));
}

inline void threadgroup_barrier(mem_flags) {
  ::enigma_host::KeepLoopFrame keep;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  enigma_cpu_threadgroup_barrier();
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

inline void simdgroup_barrier(mem_flags) {
  ::enigma_host::KeepLoopFrame keep;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  enigma_cpu_simdgroup_barrier();
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

} // namespace metal

#endif // ENIGMA_HOST_SYNCHRONIZATION_H
