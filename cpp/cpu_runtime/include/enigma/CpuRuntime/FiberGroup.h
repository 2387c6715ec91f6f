//===- FiberGroup.h - A threadgroup whose threads are fibers ----*- C++ -*-===//
//
// Runs the GPU threads of one threadgroup as Boost.Context fibers on the
// current OS thread, so that threadgroup_barrier means what it means on a GPU:
// a thread that reaches it is suspended until every live (not yet finished)
// thread of its group has reached it too; simdgroup_barrier likewise for the
// live threads of its 32-lane simdgroup. SIMD-group functions are
// rendezvous of a simdgroup's lanes, run by SimdgroupScheduler.cpp.
//
// Scheduling is a sequence of passes in thread order. Within a pass a fiber
// that suspends jumps straight to the next runnable fiber (one context switch
// per thread per barrier); the last one jumps back to the scheduler, which
// releases every barrier that is complete and starts the next pass. A pass
// that releases nothing while threads still wait is a barrier deadlock (threads
// of one group waiting at different kinds of barrier); it is reported, not
// hung on.
//
// All fibers of a group run on the OS thread that called run() and never
// migrate, which is what makes metal_stdlib's `threadgroup` storage (static
// thread_local) shared by exactly the threads of one group.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_CPURUNTIME_FIBERGROUP_H
#define ENIGMA_CPURUNTIME_FIBERGROUP_H

#include "enigma/CpuRuntime/FiberStacks.h"
#include "enigma_host/abi.h"

#include <boost/context/detail/fcontext.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace enigma::cpu {

class FiberGroup {
public:
  /// Runs every thread of `group`. Returns false with `error` set when the
  /// group deadlocked or its stacks could not be allocated.
  bool run(const EnigmaKernelEntry &entry, void *const *args,
           const EnigmaGroup &group, std::string &error);

  /// The group running on this OS thread, or null outside FiberGroup::run.
  static FiberGroup *current();

  /// Forgets a run() that a kernel fault left mid-way (FaultGuard jumped
  /// out of it); its fibers are never resumed.
  void abandon();

  /// Suspends the calling fiber at a barrier (called through the C ABI).
  void threadgroupBarrier() { suspend(State::AtThreadgroupBarrier); }
  void simdgroupBarrier() { suspend(State::AtSimdgroupBarrier); }
  /// Suspends the calling fiber at a SIMD-group function (call site `site`
  /// in the iterations `loop` of its enclosing loops) until its rendezvous
  /// runs (SimdgroupScheduler.cpp).
  void simdgroupOp(unsigned site, const EnigmaLoopFrame *loop,
                   EnigmaSimdgroupFn compute, void *record);

private:
  using Context = boost::context::detail::fcontext_t;
  enum class State : uint8_t {
    Runnable,
    AtThreadgroupBarrier,
    AtSimdgroupBarrier,
    AtSimdgroupOp,
    Done
  };

  static void fiberMain(boost::context::detail::transfer_t from);
  void suspend(State state);
  [[noreturn]] void finish();
  void switchToNext(unsigned from, Context *saveSlot);
  unsigned nextRunnable(unsigned from) const;
  bool allFinished() const;
  bool releaseCompleteBarriers();
  /// Runs the first rendezvous, in program order, of the SIMD-group of
  /// fibers [first, last); false when none of them waits at a SIMD function.
  bool releaseSimdgroupOp(unsigned first, unsigned last);
  /// Fills `point` with fiber i's dynamic program point (SimdgroupScheduler).
  void programPoint(unsigned i, std::vector<unsigned> &point) const;
  std::string describeDeadlock() const;

  FiberStacks stacks;
  std::vector<Context> contexts; // saved context of each suspended fiber
  std::vector<State> states;
  /// Where each fiber at a SIMD-group function waits, and with what.
  struct SimdWait {
    unsigned site;
    const EnigmaLoopFrame *loop; // innermost enclosing loop, on its stack
    EnigmaSimdgroupFn compute;
    void *record;
  };
  std::vector<SimdWait> simdWaits;
  /// Program points of one SIMD-group's lanes, reused between rendezvous.
  std::vector<unsigned> points[ENIGMA_SIMD_WIDTH];
  Context scheduler = nullptr; // where the last fiber of a pass returns
  Context finished = nullptr;  // write-only slot for contexts never resumed
  unsigned count = 0;
  unsigned running = 0; // index of the fiber being run
  const EnigmaKernelEntry *entry = nullptr;
  void *const *args = nullptr;
  const EnigmaGroup *group = nullptr;
};

/// Mean nanoseconds of one fiber switch over `switches` switches.
double measureFiberSwitchNs(unsigned switches);

} // namespace enigma::cpu

#endif // ENIGMA_CPURUNTIME_FIBERGROUP_H
