//===- SimdgroupScheduler.cpp - Lockstep SIMD-groups on fibers ------------===//
//
// How the cpu device gives Metal's SIMD-group and quad-group functions their
// meaning: the 32 lanes of a SIMD-group meet at each such call, and the call
// sees exactly the lanes that are active there.
//
// The model. A kernel that calls SIMD functions runs on the fiber path (its
// compile result says uses_barriers). Each call (enigma_host/simdgroup.h) is
// a rendezvous: the lane deposits a record (its value and argument) and
// suspends with its dynamic program point. After each scheduling pass every
// fiber is waiting or done; then, in each SIMD-group where some lane waits at
// a SIMD function, the rendezvous at the smallest program point runs
// ("minimum program point first"): its compute function is called once with
// the records of exactly the lanes waiting there, which are the active lanes,
// and those lanes are resumed. Lanes waiting at later points are the ones
// that skipped the call (the other side of an if_, a loop they have left, an
// iteration that did not take the branch) and wait for the others as a GPU's
// reconvergence point makes them; finished lanes and lanes that do not exist
// (a partial last SIMD-group) never take part.
//
// A program point is the sequence (L1, i1, L2, i2, ..., Ln, in, site): the
// loops the lane is in, outermost first, each with the number of iterations
// it has begun since the lane entered it (enigma_host/loop_frames.h counts
// them), then the call site. Loop starts and call sites are numbers that grow
// in program order (line and column in the emitted MSL, which prints
// structured control flow in order: a branch before what follows it, a loop
// body before the code after the loop). Points compare lexicographically: at
// the first difference either two places in the text (the earlier runs
// first: a lane still in a loop runs before one past it) or two iteration
// counts of one loop (the lane in the earlier iteration runs first). Lanes
// meet only at equal points: the same call in the same iteration of every
// enclosing loop. So `if_(lane < 5): simd_sum(x)` sums 5 lanes; a loop whose
// trip count differs per lane runs its SIMD functions with the lanes still
// looping at each iteration; `if_((lane + k) % 3 == 0): simd_sum(x)` in
// iteration k of a loop sums the lanes taking the branch in iteration k, as a
// GPU that runs the loop's iterations in lockstep does; and a threadgroup
// barrier waits until every lane has left its SIMD functions.
//
//===----------------------------------------------------------------------===//

#include "enigma/CpuRuntime/FiberGroup.h"

#include <algorithm>

using namespace enigma::cpu;

void FiberGroup::simdgroupOp(unsigned site, const EnigmaLoopFrame *loop,
                             EnigmaSimdgroupFn compute, void *record) {
  simdWaits[running] = {site, loop, compute, record};
  suspend(State::AtSimdgroupOp);
}

void FiberGroup::programPoint(unsigned i, std::vector<unsigned> &point) const {
  point.clear();
  // The frames link innermost to outermost: collect, then reverse by pairs.
  for (const EnigmaLoopFrame *f = simdWaits[i].loop; f; f = f->outer) {
    point.push_back(f->iteration);
    point.push_back(f->site);
  }
  std::reverse(point.begin(), point.end());
  point.push_back(simdWaits[i].site);
}

bool FiberGroup::releaseSimdgroupOp(unsigned first, unsigned last) {
  unsigned lowest = last;
  for (unsigned i = first; i < last; ++i) {
    if (states[i] != State::AtSimdgroupOp)
      continue;
    programPoint(i, points[i - first]);
    if (lowest == last || points[i - first] < points[lowest - first])
      lowest = i;
  }
  if (lowest == last)
    return false;

  void *records[ENIGMA_SIMD_WIDTH] = {};
  unsigned active = 0;
  for (unsigned i = first; i < last; ++i) {
    if (states[i] != State::AtSimdgroupOp ||
        points[i - first] != points[lowest - first])
      continue;
    records[i - first] = simdWaits[i].record;
    active |= 1u << (i - first);
  }
  // Every lane at one point runs the same call, hence the same function; the
  // records live on the suspended lanes' stacks.
  simdWaits[lowest].compute(records, active);
  for (unsigned i = first; i < last; ++i)
    if (active >> (i - first) & 1u)
      states[i] = State::Runnable;
  return true;
}
