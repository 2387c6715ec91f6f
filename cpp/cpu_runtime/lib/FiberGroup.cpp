//===- FiberGroup.cpp - A threadgroup whose threads are fibers ------------===//
//
// Context switches use Boost.Context's fcontext layer directly (make_fcontext
// / jump_fcontext: a few nanoseconds, no syscall). Every jump passes, as its
// data, the slot where the resumed side must store the context it came from;
// that one rule lets a fiber jump to another fiber, not only back to the
// scheduler.
//
//===----------------------------------------------------------------------===//

#include "enigma/CpuRuntime/FiberGroup.h"

#include <chrono>

using namespace enigma::cpu;
using boost::context::detail::jump_fcontext;
using boost::context::detail::make_fcontext;
using boost::context::detail::transfer_t;

static thread_local FiberGroup *currentGroup = nullptr;

FiberGroup *FiberGroup::current() { return currentGroup; }

void FiberGroup::abandon() {
  if (currentGroup == this)
    currentGroup = nullptr;
}

/// Stores the context we were resumed from where the jumper asked for it.
static void recordResumedFrom(transfer_t from) {
  *static_cast<boost::context::detail::fcontext_t *>(from.data) = from.fctx;
}

bool FiberGroup::run(const EnigmaKernelEntry &kernel, void *const *kernelArgs,
                     const EnigmaGroup &threadgroup, std::string &error) {
  count = threadgroup.size[0] * threadgroup.size[1] * threadgroup.size[2];
  if (!stacks.reserve(count)) {
    error = "could not map fiber stacks for a threadgroup of " +
            std::to_string(count) + " threads";
    return false;
  }
  entry = &kernel;
  args = kernelArgs;
  group = &threadgroup;
  contexts.resize(count);
  states.assign(count, State::Runnable);
  simdWaits.resize(count);
  for (unsigned i = 0; i < count; ++i)
    contexts[i] =
        make_fcontext(stacks.top(i), FiberStacks::kStackBytes, &fiberMain);

  FiberGroup *outer = currentGroup;
  currentGroup = this;
  bool ok = true;
  for (;;) {
    running = nextRunnable(0); // each pass starts with a runnable fiber
    recordResumedFrom(jump_fcontext(contexts[running], &scheduler));
    if (allFinished())
      break;
    if (!releaseCompleteBarriers()) {
      // The waiting fibers are abandoned: their stacks are reused by the
      // next group, and kernels hold nothing that needs unwinding.
      error = describeDeadlock();
      ok = false;
      break;
    }
  }
  currentGroup = outer;
  return ok;
}

bool FiberGroup::allFinished() const {
  for (State state : states)
    if (state != State::Done)
      return false;
  return true;
}

void FiberGroup::fiberMain(transfer_t from) {
  recordResumedFrom(from);
  FiberGroup *self = currentGroup;
  self->entry->run_thread(self->args, self->group, self->running);
  self->finish();
}

void FiberGroup::finish() {
  states[running] = State::Done;
  switchToNext(running, &finished);
  __builtin_unreachable(); // nobody resumes a finished fiber
}

void FiberGroup::suspend(State state) {
  unsigned self = running;
  states[self] = state;
  switchToNext(self, &contexts[self]);
  // Resumed by a later pass: `running` was set to us by whoever jumped here.
}

void FiberGroup::switchToNext(unsigned from, Context *saveSlot) {
  unsigned next = nextRunnable(from + 1);
  Context target = scheduler;
  if (next != count) {
    running = next;
    target = contexts[next];
  }
  recordResumedFrom(jump_fcontext(target, saveSlot));
}

unsigned FiberGroup::nextRunnable(unsigned from) const {
  while (from < count && states[from] != State::Runnable)
    ++from;
  return from;
}

/// After a pass every fiber is waiting or done, and some are waiting. A
/// threadgroup barrier is complete when every live thread waits at one; a
/// simdgroup barrier when every live thread of that simdgroup does. Returns
/// whether any was.
bool FiberGroup::releaseCompleteBarriers() {
  bool allAtThreadgroup = true;
  for (State state : states)
    allAtThreadgroup &=
        state == State::Done || state == State::AtThreadgroupBarrier;
  if (allAtThreadgroup) {
    for (State &state : states)
      if (state == State::AtThreadgroupBarrier)
        state = State::Runnable;
    return true;
  }
  bool released = false;
  for (unsigned first = 0; first < count; first += ENIGMA_SIMD_WIDTH) {
    unsigned last =
        first + ENIGMA_SIMD_WIDTH < count ? first + ENIGMA_SIMD_WIDTH : count;
    // A SIMD-group function comes before any simdgroup barrier its other
    // lanes may wait at: in a correct kernel they reach it later.
    if (releaseSimdgroupOp(first, last)) {
      released = true;
      continue;
    }
    bool complete = true, waiting = false;
    for (unsigned i = first; i < last; ++i) {
      waiting |= states[i] == State::AtSimdgroupBarrier;
      complete &=
          states[i] == State::Done || states[i] == State::AtSimdgroupBarrier;
    }
    if (!complete || !waiting)
      continue;
    for (unsigned i = first; i < last; ++i)
      if (states[i] == State::AtSimdgroupBarrier)
        states[i] = State::Runnable;
    released = true;
  }
  return released;
}

std::string FiberGroup::describeDeadlock() const {
  unsigned atThreadgroup = 0, atSimdgroup = 0, finishedThreads = 0;
  for (State state : states) {
    atThreadgroup += state == State::AtThreadgroupBarrier;
    atSimdgroup += state == State::AtSimdgroupBarrier;
    finishedThreads += state == State::Done;
  }
  const unsigned *p = group->position;
  return "threadgroup (" + std::to_string(p[0]) + ", " + std::to_string(p[1]) +
         ", " + std::to_string(p[2]) + ") of kernel `" + entry->kernel_name +
         "` can never leave its barriers: " + std::to_string(atThreadgroup) +
         " threads wait at threadgroup_barrier, " +
         std::to_string(atSimdgroup) +
         " at simdgroup_barrier (in simdgroups that also have threads at "
         "threadgroup_barrier), " +
         std::to_string(finishedThreads) +
         " have finished; every live thread of a group (of a simdgroup) must "
         "reach the same barrier";
}

// A fiber that jumps straight back to whoever resumed it: each jump of the
// measuring loop and each of the fiber's is one switch.
static void pingPongFiber(transfer_t from) {
  for (;;)
    from = jump_fcontext(from.fctx, nullptr);
}

double enigma::cpu::measureFiberSwitchNs(unsigned switches) {
  FiberStacks stack;
  if (switches < 2 || !stack.reserve(1))
    return 0.0;
  boost::context::detail::fcontext_t fiber =
      make_fcontext(stack.top(0), FiberStacks::kStackBytes, &pingPongFiber);
  unsigned roundTrips = switches / 2;
  auto start = std::chrono::steady_clock::now();
  for (unsigned i = 0; i < roundTrips; ++i)
    fiber = jump_fcontext(fiber, nullptr).fctx;
  auto elapsed = std::chrono::steady_clock::now() - start;
  // The fiber stays suspended in its endless loop; its stack is unmapped with
  // `stack` and holds nothing to unwind.
  return std::chrono::duration<double, std::nano>(elapsed).count() /
         (2.0 * roundTrips);
}
