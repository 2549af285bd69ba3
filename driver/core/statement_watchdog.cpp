#include "statement_watchdog.h"

#include <atomic>
#include <boost/thread/thread.hpp>
#include <condition_variable>
#include <map>
#include <mutex>

#include "fork_generation.h"
#include "target_library.h"

namespace odbcpool {

namespace {

using Clock = std::chrono::steady_clock;

struct Armed {
  Clock::time_point deadline;
  SQLRETURN (*cancel)(SQLHSTMT);
  SQLHSTMT stmt;
  bool firing = false;
  bool fired = false;
};

// One thread for the process, started on first use (again in a child after
// fork), detached: it only ever sleeps or calls SQLCancel, so it never keeps
// the process from exiting. Leaked, so static destruction cannot pull the
// mutex from under it.
class Watchdog {
 public:
  static Watchdog& instance() { return *current().load(std::memory_order_acquire); }
  static std::atomic<Watchdog*>& current() {
    static std::atomic<Watchdog*> w{new Watchdog()};
    return w;
  }
  std::mutex& mutex() { return mutex_; }

  std::uint64_t arm(Clock::time_point deadline, SQLRETURN (*cancel)(SQLHSTMT), SQLHSTMT stmt) {
    std::lock_guard<std::mutex> lock(mutex_);
    start_locked();
    const std::uint64_t id = ++next_id_;
    armed_.emplace(id, Armed{deadline, cancel, stmt});
    wake_.notify_one();
    return id;
  }

  // Waits out a cancel in progress; true when the statement was cancelled.
  bool disarm(std::uint64_t id) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto it = armed_.find(id);
    if (it == armed_.end()) return false;
    done_.wait(lock, [&] { return !it->second.firing; });
    const bool fired = it->second.fired;
    armed_.erase(it);
    return fired;
  }

 private:
  void start_locked() {
    const std::uint64_t generation = fork_generation();
    if (started_ && generation == generation_) return;
    // In a child after fork the parent's thread is gone, and so is what it
    // watched.
    armed_.clear();
    generation_ = generation;
    started_ = true;
    boost::thread([this, generation] { run(generation); }).detach();
  }

  void run(std::uint64_t generation) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (generation == generation_) {
      Armed* due = nullptr;
      Clock::time_point next = Clock::time_point::max();
      for (auto& [id, a] : armed_) {
        if (a.fired || a.firing) continue;
        if (a.deadline <= Clock::now()) {
          due = &a;
          break;
        }
        next = std::min(next, a.deadline);
      }
      if (due == nullptr) {
        if (next == Clock::time_point::max()) {
          wake_.wait(lock);
        } else {
          wake_.wait_until(lock, next);
        }
        continue;
      }
      due->firing = true;
      lock.unlock();
      due->cancel(due->stmt);  // the entry stays put: disarm waits for `firing`
      lock.lock();
      due->firing = false;
      due->fired = true;
      done_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::map<std::uint64_t, Armed> armed_;
  std::uint64_t next_id_ = 0;
  std::uint64_t generation_ = 0;
  bool started_ = false;
};

}  // namespace

void statement_watchdog_lock_for_fork() noexcept {
  Watchdog::instance().mutex().lock();
}

void statement_watchdog_unlock_after_fork() noexcept {
  Watchdog::instance().mutex().unlock();
}

void statement_watchdog_reset_in_child() noexcept {
  Watchdog& old = Watchdog::instance();
  try {
    Watchdog::current().store(new Watchdog(), std::memory_order_release);
  } catch (...) {
  }
  old.mutex().unlock();  // leaked, like the parent's thread that used it
}

WatchdogGuard::WatchdogGuard(const FunctionTable& fn, SQLHSTMT stmt,
                             std::chrono::nanoseconds timeout) {
  if (timeout <= std::chrono::nanoseconds::zero() || fn.SQLCancel == nullptr) return;
  id_ = Watchdog::instance().arm(Clock::now() + timeout, fn.SQLCancel, stmt);
}

WatchdogGuard::~WatchdogGuard() {
  fired();
}

bool WatchdogGuard::fired() const {
  if (id_ != 0) {
    fired_ = Watchdog::instance().disarm(id_);
    const_cast<WatchdogGuard*>(this)->id_ = 0;
  }
  return fired_;
}

}  // namespace odbcpool
