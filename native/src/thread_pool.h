// A small fork-join pool: `run(threads, fn)` calls fn(part, parts) on `threads` participants (the caller
// is part 0) and returns when all are done. Workers are created lazily and kept for the process lifetime,
// so a kernel call costs a wake-up, not a thread start. Calls are serialised by a mutex.
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace et {

class ThreadPool {
 public:
  static ThreadPool& instance();
  // Largest useful thread count (hardware threads, at least 1).
  static int maxThreads();
  void run(int threads, const std::function<void(int part, int parts)>& fn);
  ~ThreadPool();

 private:
  void ensureWorkers(int workers);
  void workerLoop(int index);

  std::mutex callMutex_;  // one parallel region at a time
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
  const std::function<void(int, int)>* job_ = nullptr;
  int parts_ = 0;
  int pending_ = 0;
  unsigned long generation_ = 0;
  bool stop_ = false;
};

// Splits [0, n) into `parts` contiguous ranges whose boundaries are multiples of `align`.
inline void splitRange(int n, int part, int parts, int align, int* begin, int* end) {
  const int blocks = (n + align - 1) / align;
  const int b0 = static_cast<int>(static_cast<long long>(blocks) * part / parts);
  const int b1 = static_cast<int>(static_cast<long long>(blocks) * (part + 1) / parts);
  *begin = b0 * align < n ? b0 * align : n;
  *end = b1 * align < n ? b1 * align : n;
}

}  // namespace et
