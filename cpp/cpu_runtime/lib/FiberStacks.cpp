//===- FiberStacks.cpp - Guarded stacks for GPU-thread fibers -------------===//
//
// One mmap per stack, its lowest page made PROT_NONE as a guard. Stacks are
// only ever added (a worker keeps the most it has needed, at most 1024, the
// threadgroup limit) and are unmapped when the worker's FiberStacks dies.
//
//===----------------------------------------------------------------------===//

#include "enigma/CpuRuntime/FiberStacks.h"

#include <sys/mman.h>
#include <unistd.h>

// Hints only, absent on some systems (macOS has no MAP_STACK): the mapping is
// an ordinary anonymous one there, which serves a fiber stack just as well.
#ifndef MAP_STACK
#define MAP_STACK 0
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

using namespace enigma::cpu;

std::size_t FiberStacks::guardBytes() {
  static const std::size_t page =
      static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

FiberStacks::~FiberStacks() {
  for (void *mapping : mappings)
    munmap(mapping, guardBytes() + kStackBytes);
}

bool FiberStacks::reserve(unsigned count) {
  mappings.reserve(count);
  while (mappings.size() < count) {
    std::size_t bytes = guardBytes() + kStackBytes;
    void *mapping =
        mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (mapping == MAP_FAILED)
      return false;
    if (mprotect(mapping, guardBytes(), PROT_NONE) != 0) {
      munmap(mapping, bytes);
      return false;
    }
    mappings.push_back(mapping);
  }
  return true;
}
