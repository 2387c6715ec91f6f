//===- enigma_host/loop_frames.h - Loop iterations of a thread -*- C++ -*-===//
//
// Which iteration of which loops a GPU thread is in, so that a SIMD-group
// function called inside a loop meets only the lanes of the same iteration
// (cpp/cpu_runtime/lib/SimdgroupScheduler.cpp). On a GPU the lanes of a
// SIMD-group run a loop's iterations in lockstep: in iteration k a call
// under `if ((lane + k) % 3 == 0)` sees the lanes taking that branch in
// iteration k, never a lane that takes it in iteration k + 1. A call site
// alone cannot tell the two apart; the site plus the iteration count of each
// enclosing loop can.
//
// Each loop of a fiber-path kernel keeps a LoopScope on the thread's (fiber's)
// stack: an EnigmaLoopFrame linked to the enclosing loop's, with the number
// of iterations begun. The innermost frame is `innermost_loop`, one word per
// OS thread: the fibers of a threadgroup share an OS thread, so each fiber
// saves it before it suspends and restores it when resumed (KeepLoopFrame,
// used by every call that can suspend), and run_thread clears it when a fiber
// starts. The loops are counted without a change to the MSL: the launcher
// compiles the kernel with `for` and `while` defined as macros
// (enigma_host/loop_keywords.h) that wrap each loop in a LoopScope.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_LOOP_FRAMES_H
#define ENIGMA_HOST_LOOP_FRAMES_H

#include "enigma_host/abi.h"

namespace enigma_host {

/// The innermost loop the GPU thread running on this OS thread is in.
inline thread_local const EnigmaLoopFrame *innermost_loop = nullptr;

/// One loop's frame for as long as the thread is in the loop (the loop
/// macros declare it in an `if` around the loop); `begin_iteration()` runs at
/// the start of each iteration.
class LoopScope {
public:
  explicit LoopScope(unsigned site) : frame{innermost_loop, site, 0} {
    innermost_loop = &frame;
  }
  ~LoopScope() { innermost_loop = frame.outer; }
  LoopScope(const LoopScope &) = delete;
  LoopScope &operator=(const LoopScope &) = delete;

  void begin_iteration() { ++frame.iteration; }

private:
  EnigmaLoopFrame frame;
};

/// Keeps this GPU thread's innermost loop across a call that may suspend it
/// (other fibers of the group set `innermost_loop` meanwhile).
class KeepLoopFrame {
public:
  KeepLoopFrame() : saved(innermost_loop) {}
  ~KeepLoopFrame() { innermost_loop = saved; }
  KeepLoopFrame(const KeepLoopFrame &) = delete;
  KeepLoopFrame &operator=(const KeepLoopFrame &) = delete;

private:
  const EnigmaLoopFrame *saved;
};

} // namespace enigma_host

#endif // ENIGMA_HOST_LOOP_FRAMES_H
