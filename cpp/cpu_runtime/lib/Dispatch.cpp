//===- Dispatch.cpp - The C ABI of libenigma_cpu --------------------------===//
//
// enigma_cpu_dispatch validates a launch, splits the grid into threadgroups
// (Metal dispatchThreads: ceil(grid / threads) groups per dimension, the last
// one partial) and hands them out in chunks to the pool's participants. A
// barrier-free kernel gets whole groups through its own run_group loop; a
// kernel with barriers gets a FiberGroup per group. The first failure stops
// the hand-out and is reported through enigma_cpu_last_error.
//
//===----------------------------------------------------------------------===//

#define ENIGMA_CPU_BUILDING_RUNTIME
#include "enigma/CpuRuntime/FaultGuard.h"
#include "enigma/CpuRuntime/FiberGroup.h"
#include "enigma/CpuRuntime/ThreadPool.h"
#include "enigma_host/abi.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unistd.h>

using namespace enigma::cpu;

namespace {

/// The pool and each participant's fiber state. Created on first use and
/// deliberately never destroyed: worker threads must not be joined from a
/// static destructor while the interpreter is tearing down. A forked child
/// inherits the object but not the threads, so it builds its own.
struct Device {
  explicit Device(unsigned size) : pool(size), fibers(size) {}
  ThreadPool pool;
  std::vector<FiberGroup> fibers;
  pid_t owner = getpid();
};

std::mutex deviceMutex; // serialises dispatches: one job in the pool at a time

Device &device() {
  static Device *instance = nullptr;
  if (!instance || instance->owner != getpid())
    instance = new Device(defaultWorkerCount());
  return *instance;
}

thread_local std::string lastError;
/// Set by a barrier called outside a fiber (a kernel launched as barrier-free
/// that calls one anyway); checked after each group of the plain path.
thread_local bool strayBarrier = false;

int fail(int code, std::string message) {
  lastError = std::move(message);
  return code;
}

std::string dims(const unsigned v[3]) {
  return "(" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ", " +
         std::to_string(v[2]) + ")";
}

int validate(const EnigmaKernelEntry *entry, const unsigned grid[3],
             const unsigned threads[3]) {
  if (!entry)
    return fail(ENIGMA_CPU_INVALID_LAUNCH, "no kernel entry");
  if (entry->abi_version != ENIGMA_CPU_ABI_VERSION)
    return fail(ENIGMA_CPU_INVALID_LAUNCH,
                "kernel object built for cpu ABI " +
                    std::to_string(entry->abi_version) + ", runtime is " +
                    std::to_string(ENIGMA_CPU_ABI_VERSION) +
                    "; clear the kernel cache");
  bool hasRunner = entry->uses_barriers ? entry->run_thread != nullptr
                                        : entry->run_group != nullptr;
  if (!hasRunner)
    return fail(ENIGMA_CPU_INVALID_LAUNCH,
                std::string("kernel `") + entry->kernel_name +
                    "` has no entry for its execution model");
  for (int d = 0; d < 3; ++d)
    if (grid[d] == 0 || threads[d] == 0)
      return fail(ENIGMA_CPU_INVALID_LAUNCH,
                  "grid " + dims(grid) + " and threads " + dims(threads) +
                      " must be positive in every dimension");
  unsigned long long perGroup = 1ull * threads[0] * threads[1] * threads[2];
  if (perGroup > 1024)
    return fail(ENIGMA_CPU_INVALID_LAUNCH,
                "threads " + dims(threads) + " is " + std::to_string(perGroup) +
                    " threads per threadgroup; the limit is 1024");
  return ENIGMA_CPU_OK;
}

/// What one dispatch shares between its participants.
struct Launch {
  const EnigmaKernelEntry *entry;
  void *const *args;
  EnigmaGroup shape; // grid, threads, groups filled; per-group fields unset
  unsigned long long totalGroups;
  unsigned long long chunk;
  std::atomic<unsigned long long> next{0};
  std::atomic<bool> failed{false};
  std::mutex errorMutex;
  int errorCode = ENIGMA_CPU_OK;
  std::string error;

  void recordError(int code, std::string message) {
    std::lock_guard<std::mutex> lock(errorMutex);
    if (errorCode == ENIGMA_CPU_OK) {
      errorCode = code;
      error = std::move(message);
    }
    failed = true;
  }

  /// Fills position and real size of linear group `g` (x fastest).
  void locate(unsigned long long g, EnigmaGroup &group) const {
    unsigned long long perRow = shape.groups[0];
    unsigned long long perSlice = perRow * shape.groups[1];
    group.position[2] = static_cast<unsigned>(g / perSlice);
    group.position[1] = static_cast<unsigned>(g % perSlice / perRow);
    group.position[0] = static_cast<unsigned>(g % perRow);
    for (int d = 0; d < 3; ++d) {
      unsigned long long first = 1ull * group.position[d] * shape.threads[d];
      unsigned long long left = shape.grid[d] - first;
      group.size[d] = static_cast<unsigned>(
          left < shape.threads[d] ? left : shape.threads[d]);
    }
  }

  std::string kernelLabel() const {
    return std::string("kernel `") + entry->kernel_name + "`";
  }

  void runParticipant(FiberGroup &fibers);
};

/// A participant's run of groups [begin, end). It executes under FaultGuard
/// and holds nothing with a destructor, so a fault may abandon it anywhere.
struct Chunk {
  enum Status { Done, FiberFailure, StrayBarrier };
  Launch *launch;
  FiberGroup *fibers;
  std::string *message; // set by FiberGroup::run when it fails
  unsigned long long begin = 0, end = 0;
  EnigmaGroup group;
  Status status = Done;

  static void run(void *self) { static_cast<Chunk *>(self)->runGroups(); }

  void runGroups() {
    const EnigmaKernelEntry &entry = *launch->entry;
    for (unsigned long long g = begin; g < end; ++g) {
      launch->locate(g, group);
      if (entry.uses_barriers) {
        if (!fibers->run(entry, launch->args, group, *message)) {
          status = FiberFailure;
          return;
        }
      } else {
        entry.run_group(launch->args, &group);
        if (strayBarrier) {
          strayBarrier = false;
          status = StrayBarrier;
          return;
        }
      }
    }
  }
};

void Launch::runParticipant(FiberGroup &fibers) {
  std::string message;
  Chunk work;
  work.launch = this;
  work.fibers = &fibers;
  work.message = &message;
  work.group = shape;
  while (!failed.load(std::memory_order_relaxed)) {
    work.begin = next.fetch_add(chunk);
    if (work.begin >= totalGroups)
      return;
    work.end =
        work.begin + chunk < totalGroups ? work.begin + chunk : totalGroups;
    if (int signal = FaultGuard::run(&Chunk::run, &work)) {
      fibers.abandon();
      return recordError(ENIGMA_CPU_KERNEL_FAULT,
                         kernelLabel() + " faulted in threadgroup " +
                             dims(work.group.position) + ": " +
                             FaultGuard::describe(signal));
    }
    if (work.status == Chunk::FiberFailure)
      return recordError(ENIGMA_CPU_KERNEL_FAULT, message);
    if (work.status == Chunk::StrayBarrier)
      return recordError(
          ENIGMA_CPU_KERNEL_FAULT,
          kernelLabel() +
              " called a barrier or a SIMD-group function but "
              "was launched as barrier-free (its compile result says "
              "uses_barriers = false)");
  }
}

} // namespace

extern "C" int enigma_cpu_dispatch(const EnigmaKernelEntry *entry,
                                   void *const *args, const unsigned grid[3],
                                   const unsigned threads[3]) {
  if (int code = validate(entry, grid, threads))
    return code;
  std::lock_guard<std::mutex> lock(deviceMutex);
  Device &dev = device();
  Launch launch;
  launch.entry = entry;
  launch.args = args;
  launch.totalGroups = 1;
  for (int d = 0; d < 3; ++d) {
    launch.shape.grid[d] = grid[d];
    launch.shape.threads[d] = threads[d];
    launch.shape.groups[d] =
        static_cast<unsigned>((1ull * grid[d] + threads[d] - 1) / threads[d]);
    if (__builtin_mul_overflow(launch.totalGroups, launch.shape.groups[d],
                               &launch.totalGroups))
      return fail(ENIGMA_CPU_INVALID_LAUNCH,
                  "grid " + dims(grid) + " in threadgroups of " +
                      dims(threads) + " has more than 2^64 threadgroups");
  }
  unsigned participants = dev.pool.size();
  if (launch.totalGroups < participants)
    participants = static_cast<unsigned>(launch.totalGroups);
  // About 16 chunks per participant balance uneven groups while keeping the
  // shared counter cold.
  launch.chunk = launch.totalGroups / (16ull * participants);
  if (launch.chunk == 0)
    launch.chunk = 1;
  dev.pool.run(participants,
               [&](unsigned w) { launch.runParticipant(dev.fibers[w]); });
  if (launch.errorCode != ENIGMA_CPU_OK)
    return fail(launch.errorCode, launch.error);
  return ENIGMA_CPU_OK;
}

extern "C" const char *enigma_cpu_last_error(void) { return lastError.c_str(); }

extern "C" unsigned enigma_cpu_worker_count(void) {
  std::lock_guard<std::mutex> lock(deviceMutex);
  return device().pool.size();
}

extern "C" void enigma_cpu_threadgroup_barrier(void) {
  if (FiberGroup *group = FiberGroup::current())
    group->threadgroupBarrier();
  else
    strayBarrier = true;
}

extern "C" void enigma_cpu_simdgroup_barrier(void) {
  if (FiberGroup *group = FiberGroup::current())
    group->simdgroupBarrier();
  else
    strayBarrier = true;
}

extern "C" void enigma_cpu_simdgroup_op(unsigned site,
                                        const EnigmaLoopFrame *loop,
                                        EnigmaSimdgroupFn compute,
                                        void *record) {
  if (FiberGroup *group = FiberGroup::current())
    return group->simdgroupOp(site, loop, compute, record);
  // Outside a fiber the lane has no SIMD-group to meet: compute it alone so
  // the kernel goes on, and fail the dispatch like a stray barrier.
  void *records[ENIGMA_SIMD_WIDTH] = {record};
  compute(records, 1u);
  strayBarrier = true;
}

extern "C" double enigma_cpu_fiber_switch_ns(unsigned switches) {
  return measureFiberSwitchNs(switches);
}
