//===- SimdgroupScheduler.cpp - Lockstep SIMD-groups on fibers ------------===//
//
// How the cpu device gives Metal's SIMD-group and quad-group functions their
// meaning: the 32 lanes of a SIMD-group meet at each such call, and the call
// sees exactly the lanes that are active there.
//
// The model. A kernel that calls SIMD functions runs on the fiber path (its
// compile result says uses_barriers). Each call (enigma_host/simdgroup.h) is
// a rendezvous: the lane deposits a record (its value and argument) and
// suspends with its call site, a number that grows in program order (line and
// column of the call in the emitted MSL, which prints structured control flow
// in order: a branch before what follows it, a loop body before the code
// after the loop). After each scheduling pass every fiber is waiting or done;
// then, in each SIMD-group where some lane waits at a SIMD function, the
// rendezvous at the smallest site runs ("minimum program point first"): its
// compute function is called once with the records of exactly the lanes
// waiting there, which are the active lanes, and those lanes are resumed.
// Lanes waiting at later sites are the ones that skipped the call (the other
// side of an if_, a loop they have left) and wait for the others as a GPU's
// reconvergence point makes them; finished lanes and lanes that do not exist
// (a partial last SIMD-group) never take part.
//
// So `if_(lane < 5): simd_sum(x)` sums 5 lanes, a loop whose trip count
// differs per lane runs its SIMD functions with the lanes still looping at
// each iteration, and a threadgroup barrier waits until every lane has left
// its SIMD functions. The site identifies a call, not an iteration: a loop
// whose lanes take one SIMD call in different iterations (an if_ inside the
// loop whose condition changes from iteration to iteration) may meet lanes
// of different iterations; kernels should keep SIMD functions in such loops
// outside divergent branches, as Metal code usually does.
//
//===----------------------------------------------------------------------===//

#include "enigma/CpuRuntime/FiberGroup.h"

using namespace enigma::cpu;

void FiberGroup::simdgroupOp(unsigned site, EnigmaSimdgroupFn compute,
                             void *record) {
  simdWaits[running] = {site, compute, record};
  suspend(State::AtSimdgroupOp);
}

bool FiberGroup::releaseSimdgroupOp(unsigned first, unsigned last) {
  unsigned site = ~0u;
  bool waiting = false;
  for (unsigned i = first; i < last; ++i)
    if (states[i] == State::AtSimdgroupOp && simdWaits[i].site <= site) {
      site = simdWaits[i].site;
      waiting = true;
    }
  if (!waiting)
    return false;

  void *records[ENIGMA_SIMD_WIDTH] = {};
  unsigned active = 0;
  EnigmaSimdgroupFn compute = nullptr;
  for (unsigned i = first; i < last; ++i) {
    if (states[i] != State::AtSimdgroupOp || simdWaits[i].site != site)
      continue;
    records[i - first] = simdWaits[i].record;
    active |= 1u << (i - first);
    compute = simdWaits[i].compute;
  }
  // Every lane at one site runs the same call, hence the same function; the
  // records live on the suspended lanes' stacks.
  compute(records, active);
  for (unsigned i = first; i < last; ++i)
    if (active >> (i - first) & 1u)
      states[i] = State::Runnable;
  return true;
}
