//===- ThreadPool.cpp - One persistent worker per core --------------------===//
//
// A job is posted under the mutex with a new generation number; each worker
// whose index is below the job's participant count runs it once and the last
// one to finish wakes the caller. Workers sleep on a condition variable
// between jobs, so an idle Enigma process costs no CPU.
//
//===----------------------------------------------------------------------===//

#include "enigma/CpuRuntime/ThreadPool.h"

#include <cstdlib>

using namespace enigma::cpu;

ThreadPool::ThreadPool(unsigned size) {
  for (unsigned i = 1; i < size; ++i)
    workers.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  for (std::thread &worker : workers)
    worker.join();
}

void ThreadPool::run(unsigned count,
                     const std::function<void(unsigned)> &body) {
  if (count > size())
    count = size();
  if (count <= 1) {
    body(0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    job = &body;
    participants = count;
    pending = count - 1;
    ++generation;
  }
  wake.notify_all();
  body(0);
  std::unique_lock<std::mutex> lock(mutex);
  done.wait(lock, [this] { return pending == 0; });
  job = nullptr;
}

void ThreadPool::workerLoop(unsigned index) {
  uint64_t seen = 0;
  std::unique_lock<std::mutex> lock(mutex);
  for (;;) {
    wake.wait(lock, [&] { return stopping || generation != seen; });
    if (stopping)
      return;
    seen = generation;
    if (index >= participants)
      continue;
    const std::function<void(unsigned)> *body = job;
    lock.unlock();
    (*body)(index);
    lock.lock();
    if (--pending == 0)
      done.notify_one();
  }
}

unsigned enigma::cpu::defaultWorkerCount() {
  if (const char *env = std::getenv("ENIGMA_CPU_THREADS")) {
    long requested = std::strtol(env, nullptr, 10);
    if (requested > 0)
      return static_cast<unsigned>(requested > 1024 ? 1024 : requested);
  }
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}
