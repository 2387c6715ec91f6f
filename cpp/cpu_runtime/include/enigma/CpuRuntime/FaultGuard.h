//===- FaultGuard.h - Kernel faults become dispatch errors ------*- C++ -*-===//
//
// A kernel compiled from MSL runs as native code in the Python process, so a
// mistake that a GPU shrugs off -- an integer division by zero, or INT_MIN /
// -1 (SIGFPE), an index far outside every buffer (SIGSEGV, SIGBUS) -- would
// kill the interpreter. FaultGuard::run executes kernel code with a recovery
// point: a fault raised by that code on this thread jumps back to it, and the
// dispatch reports an error instead. Faults anywhere else go to the handler
// that was installed before (Python's faulthandler, or the default action).
//
// Recovery abandons the faulting code mid-way: the callers only run kernel
// code inside, which owns nothing that would need unwinding.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_CPURUNTIME_FAULTGUARD_H
#define ENIGMA_CPURUNTIME_FAULTGUARD_H

namespace enigma::cpu {

class FaultGuard {
public:
  /// Runs `body(context)` and returns 0, or the signal number of a fault that
  /// interrupted it. `body` must be trivially abandonable (no destructors).
  static int run(void (*body)(void *), void *context);

  /// What a fault means for a kernel, in the user's terms.
  static const char *describe(int signal);
};

} // namespace enigma::cpu

#endif // ENIGMA_CPURUNTIME_FAULTGUARD_H
