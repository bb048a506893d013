#include "thread_pool.h"

namespace et {

ThreadPool& ThreadPool::instance() {
  static ThreadPool pool;
  return pool;
}

int ThreadPool::maxThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void ThreadPool::ensureWorkers(int workers) {
  while (static_cast<int>(workers_.size()) < workers) {
    const int index = static_cast<int>(workers_.size()) + 1;
    workers_.emplace_back([this, index] { workerLoop(index); });
  }
}

void ThreadPool::workerLoop(int index) {
  unsigned long seen = 0;
  for (;;) {
    const std::function<void(int, int)>* job;
    int parts;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      job = job_;
      parts = parts_;
    }
    if (index < parts) {
      (*job)(index, parts);
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0) done_.notify_one();
    }
  }
}

void ThreadPool::run(int threads, const std::function<void(int, int)>& fn) {
  if (threads <= 1) {
    fn(0, 1);
    return;
  }
  std::lock_guard<std::mutex> call(callMutex_);
  ensureWorkers(threads - 1);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    parts_ = threads;
    pending_ = threads - 1;
    ++generation_;
  }
  wake_.notify_all();
  fn(0, threads);
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return pending_ == 0; });
  job_ = nullptr;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

}  // namespace et
