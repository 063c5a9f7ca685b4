// WorkerPool: persistent threads so a row block costs a wake-up, not a thread start.
#include "pipeline/parallel.h"

#include <algorithm>

namespace lrn {

WorkerPool::WorkerPool(unsigned threads) : threads_(std::max(1u, threads)) {}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void WorkerPool::work(unsigned index) {
  std::size_t seen = 0;
  for (;;) {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    if (index >= parts_.size()) continue;
    const auto [begin, end] = parts_[index];
    const auto* job = job_;
    lock.unlock();
    std::exception_ptr error;
    try {
      (*job)(begin, end);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error && !error_) error_ = error;
    if (--pending_ == 0) done_.notify_one();
  }
}

void WorkerPool::run(std::size_t n, std::size_t min_part,
                     const std::function<void(std::size_t, std::size_t)>& fn) {
  if (n == 0) return;
  const std::size_t most = std::max<std::size_t>(1, n / std::max<std::size_t>(1, min_part));
  const std::size_t parts = std::min<std::size_t>(threads(), most);
  if (parts <= 1) {
    fn(0, n);
    return;
  }
  // Workers start on the first job that splits: a small image never pays for a thread.
  if (workers_.empty())
    for (unsigned i = 1; i < threads_; ++i) workers_.emplace_back([this, i] { work(i); });
  {
    std::lock_guard<std::mutex> lock(mutex_);
    parts_.clear();
    for (std::size_t i = 0; i < parts; ++i) parts_.push_back({n * i / parts, n * (i + 1) / parts});
    job_ = &fn;
    pending_ = parts - 1;  // parts_[0] is the caller's
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  std::exception_ptr mine;
  try {
    fn(parts_[0].first, parts_[0].second);
  } catch (...) {
    mine = std::current_exception();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return pending_ == 0; });
  if (mine) std::rethrow_exception(mine);
  if (error_) std::rethrow_exception(error_);
}

}  // namespace lrn
