//===- FaultGuard.cpp - Kernel faults become dispatch errors --------------===//
//
// The handlers are installed once, on first use, with SA_NODEFER so that the
// signal is not left blocked after siglongjmp leaves the handler (the jump
// does not save or restore the signal mask, which keeps run() free of
// syscalls). The recovery point is per OS thread, in initial-exec TLS so the
// handler can read it without calling into the dynamic loader (macOS ignores
// the model: its thread-locals go through dyld's TLV thunk, which allocates
// only on a thread's first access, and run() makes that access before any
// kernel code can fault). The handler runs on an alternate stack
// (SA_ONSTACK), and the jump may cross from there or from a fiber's stack to
// the worker's, which glibc's fortified longjmp would refuse, hence no
// _FORTIFY_SOURCE here. SIGBUS is caught too: macOS raises it, not SIGSEGV,
// for a touch of a PROT_NONE page such as a fiber stack's guard.
//
//===----------------------------------------------------------------------===//

#undef _FORTIFY_SOURCE
#include "enigma/CpuRuntime/FaultGuard.h"

#include <csetjmp>
#include <csignal>
#include <cstddef>
#include <mutex>
#include <sys/mman.h>

using namespace enigma::cpu;

namespace {

constexpr int kSignals[] = {SIGFPE, SIGSEGV, SIGBUS};
struct sigaction previous[sizeof(kSignals) / sizeof(kSignals[0])];

__attribute__((tls_model(
    "initial-exec"))) thread_local sigjmp_buf *recoveryPoint = nullptr;

void forward(int signal, siginfo_t *info, void *context) {
  for (unsigned i = 0; i < sizeof(kSignals) / sizeof(kSignals[0]); ++i) {
    if (kSignals[i] != signal)
      continue;
    const struct sigaction &old = previous[i];
    if (old.sa_flags & SA_SIGINFO) {
      old.sa_sigaction(signal, info, context);
    } else if (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN) {
      old.sa_handler(signal);
    } else {
      // Returning re-executes the faulting instruction, which now takes the
      // default action (a synchronous fault cannot be ignored).
      sigaction(signal, &old, nullptr);
      if (old.sa_handler == SIG_IGN)
        std::signal(signal, SIG_DFL);
    }
  }
}

void onFault(int signal, siginfo_t *info, void *context) {
  if (sigjmp_buf *point = recoveryPoint) {
    recoveryPoint = nullptr;
    siglongjmp(*point, signal);
  }
  forward(signal, info, context);
}

void installOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action = {};
    action.sa_sigaction = onFault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (unsigned i = 0; i < sizeof(kSignals) / sizeof(kSignals[0]); ++i)
      sigaction(kSignals[i], &action, &previous[i]);
  });
}

/// An alternate signal stack for threads that have none, so that a kernel
/// overflowing its fiber stack (into the guard page) can still be reported:
/// the handler cannot run on the stack that overflowed. Freed, after being
/// disabled, when the thread exits.
class AlternateStack {
public:
  AlternateStack() {
    stack_t current;
    if (sigaltstack(nullptr, &current) != 0 || !(current.ss_flags & SS_DISABLE))
      return; // the thread has one already (Python's faulthandler, say)
    memory = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
      memory = nullptr;
      return;
    }
    stack_t mine = {};
    mine.ss_sp = memory;
    mine.ss_size = kBytes;
    if (sigaltstack(&mine, nullptr) != 0) {
      munmap(memory, kBytes);
      memory = nullptr;
    }
  }
  ~AlternateStack() {
    if (!memory)
      return;
    stack_t off = {};
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, nullptr);
    munmap(memory, kBytes);
  }

private:
  static constexpr std::size_t kBytes = 64 * 1024;
  void *memory = nullptr;
};

} // namespace

int FaultGuard::run(void (*body)(void *), void *context) {
  installOnce();
  static thread_local AlternateStack alternateStack;
  sigjmp_buf point;
  sigjmp_buf *outer = recoveryPoint;
  if (int signal = sigsetjmp(point, /*savemask=*/0)) {
    recoveryPoint = outer;
    return signal;
  }
  recoveryPoint = &point;
  body(context);
  recoveryPoint = outer;
  return 0;
}

const char *FaultGuard::describe(int signal) {
  if (signal == SIGFPE)
    return "an integer division by zero (or of the most negative value by -1) "
           "trapped on the CPU; check the divisors";
  return "a memory access outside every mapping (an out-of-bounds index?); "
         "check the indices against the buffer sizes";
}
