// WorkerPool: splits a range of rows over a few persistent threads. Used by the pipeline for
// row-block LRN; the kernel's results do not depend on how rows are split, so the output is
// byte-identical for every thread count.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lrn {

class WorkerPool {
 public:
  /// threads >= 1: the caller's thread and threads - 1 workers, started on first need.
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Calls fn(begin, end) on disjoint parts of [0, n) that cover it, at most one part per
  /// thread and none smaller than min_part (so a small job runs on the caller's thread
  /// alone); returns when all are done. The first exception thrown by fn is rethrown here.
  void run(std::size_t n, std::size_t min_part,
           const std::function<void(std::size_t, std::size_t)>& fn);

  unsigned threads() const { return threads_; }

 private:
  void work(unsigned index);

  const unsigned threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t, std::size_t)>* job_ = nullptr;
  std::vector<std::pair<std::size_t, std::size_t>> parts_;
  std::size_t generation_ = 0;
  std::size_t pending_ = 0;
  std::exception_ptr error_;
  bool stop_ = false;
};

}  // namespace lrn
