// thread_pool: a fixed set of worker threads running tasks in FIFO order.
//
// Each task receives the index of the worker running it (0..size-1), so a
// caller can keep per-worker state (ICU iterators, parsers) without locks.
// Submit() returns a future for the task's completion. The destructor
// finishes queued tasks and joins.
#ifndef NEARDUP_THREAD_POOL_H_
#define NEARDUP_THREAD_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace neardup {

class ThreadPool {
 public:
  explicit ThreadPool(int threads) {
    for (int i = 0; i < threads; ++i) {
      workers_.emplace_back([this, i] { Loop(i); });
    }
  }
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()); }

  std::future<void> Submit(std::function<void(int worker)> task) {
    auto packaged =
        std::make_shared<std::packaged_task<void(int)>>(std::move(task));
    std::future<void> f = packaged->get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back([packaged](int w) { (*packaged)(w); });
    }
    cv_.notify_one();
    return f;
  }

 private:
  void Loop(int worker) {
    while (true) {
      std::function<void(int)> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return done_ || !queue_.empty(); });
        if (queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task(worker);
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void(int)>> queue_;
  bool done_ = false;
  std::vector<std::thread> workers_;
};

// Runs fn(t) for t in [0, n) on n threads (t = 0 on the calling thread)
// and joins them: for a one-off split of work where no pool is at hand
// (index building and scans, calibration samples).
template <typename Fn>
void RunOnThreads(int n, const Fn& fn) {
  std::vector<std::thread> threads;
  for (int t = 1; t < n; ++t) threads.emplace_back([&fn, t] { fn(t); });
  fn(0);
  for (std::thread& thread : threads) thread.join();
}

}  // namespace neardup

#endif  // NEARDUP_THREAD_POOL_H_
