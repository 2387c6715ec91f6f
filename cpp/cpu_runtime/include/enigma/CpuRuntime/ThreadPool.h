//===- ThreadPool.h - One persistent worker per core ------------*- C++ -*-===//
//
// The pool that runs the threadgroups of a dispatch on every core. Workers are
// started once and sleep between dispatches; the calling thread takes part as
// worker 0, so a dispatch of a single threadgroup wakes nobody. A worker keeps
// its index for its whole life, which lets per-worker state (fiber stacks)
// live in plain arrays indexed by it.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_CPURUNTIME_THREADPOOL_H
#define ENIGMA_CPURUNTIME_THREADPOOL_H

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace enigma::cpu {

class ThreadPool {
public:
  /// Starts `size - 1` worker threads (the caller is the last participant).
  explicit ThreadPool(unsigned size);
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;
  ~ThreadPool();

  /// Number of participants, the calling thread included.
  unsigned size() const { return static_cast<unsigned>(workers.size()) + 1; }

  /// Calls `body(w)` for w in [0, participants) concurrently, the caller
  /// running w = 0, and returns when every call has returned. Calls must not
  /// overlap: the dispatcher serialises them.
  void run(unsigned participants, const std::function<void(unsigned)> &body);

private:
  void workerLoop(unsigned index);

  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable wake; // a new job (or shutdown) is posted
  std::condition_variable done; // the last participant finished
  const std::function<void(unsigned)> *job = nullptr;
  unsigned participants = 0;
  unsigned pending = 0;    // participants still running the current job
  uint64_t generation = 0; // bumped per job so a worker runs each job once
  bool stopping = false;
};

/// The number of participants a dispatch uses: ENIGMA_CPU_THREADS if set to a
/// positive number, otherwise one per hardware thread.
unsigned defaultWorkerCount();

} // namespace enigma::cpu

#endif // ENIGMA_CPURUNTIME_THREADPOOL_H
