//===- FiberStacks.h - Guarded stacks for GPU-thread fibers -----*- C++ -*-===//
//
// Each worker owns one FiberStacks: as many stacks as the largest threadgroup
// it has run with fibers, allocated once and reused by every later group (a
// fresh fiber context is made on an old stack, which is all Boost.Context's
// make_fcontext needs). Each stack is its own mapping with a PROT_NONE guard
// page below it, so a kernel that overflows its stack faults at once instead
// of silently writing over its neighbour's. Mappings are MAP_NORESERVE: only
// the pages a kernel really touches cost memory.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_CPURUNTIME_FIBERSTACKS_H
#define ENIGMA_CPURUNTIME_FIBERSTACKS_H

#include <cstddef>
#include <vector>

namespace enigma::cpu {

class FiberStacks {
public:
  /// Usable bytes of one stack: a GPU thread's private memory is small, but
  /// kernels may keep per-thread arrays on it.
  static constexpr std::size_t kStackBytes = 256 * 1024;

  FiberStacks() = default;
  FiberStacks(const FiberStacks &) = delete;
  FiberStacks &operator=(const FiberStacks &) = delete;
  ~FiberStacks();

  /// Makes sure at least `count` stacks exist; false if mmap failed.
  bool reserve(unsigned count);

  /// The highest address of stack `i` (stacks grow down on every target
  /// Enigma runs on), as make_fcontext expects.
  void *top(unsigned i) const {
    return static_cast<char *>(mappings[i]) + guardBytes() + kStackBytes;
  }

private:
  static std::size_t guardBytes();
  std::vector<void *> mappings; // each: guard page, then kStackBytes
};

} // namespace enigma::cpu

#endif // ENIGMA_CPURUNTIME_FIBERSTACKS_H
