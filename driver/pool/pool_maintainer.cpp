#include "pool_maintainer.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <boost/thread/thread.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "pool.h"

namespace odbcpool::pool {

namespace {

constexpr Duration kShortestSleep = std::chrono::milliseconds(10);
constexpr Duration kLongestSleep = std::chrono::milliseconds(200);
// How long stopping waits for a maintain() that is in the middle of a connect.
constexpr auto kJoinTimeout = std::chrono::seconds(2);

}  // namespace

// One started thread. Its own flags, so that a thread left behind by a timed
// out stop can never be mistaken for a later one.
struct Maintainer::Run {
  std::atomic<bool> stop{false};
  bool woken = false;     // guarded by State::mutex
  bool finished = false;  // guarded by State::mutex
};

struct Maintainer::State {
  std::mutex control;  // serializes starting and stopping
  std::mutex mutex;    // guards the Run flags; the thread sleeps on cv
  std::condition_variable cv;
  std::shared_ptr<Run> run;  // of the current thread, guarded by both
  boost::thread* thread = nullptr;
};

Maintainer& Maintainer::instance() {
  // Leaked on purpose: the atexit handler and a late wake() may run after
  // static destructors.
  static auto* maintainer = new Maintainer();
  return *maintainer;
}

Maintainer::Maintainer() : state_(new State()) {}

void Maintainer::ensure_running() noexcept {
  if (running_.load(std::memory_order_acquire)) return;
  State& s = *state_;
  std::lock_guard<std::mutex> control(s.control);
  if (s.thread != nullptr || exiting_.load()) return;
  try {
    static bool exit_handler_registered = false;
    if (!exit_handler_registered) {
      // What the thread uses at exit must be constructed before the handler
      // is registered, so that it is destroyed after the handler has run.
      (void)PoolRegistry::instance();
      if (std::atexit(&Maintainer::stop_at_exit) != 0) return;
      exit_handler_registered = true;
    }
    auto run = std::make_shared<Run>();
    // The thread inherits the creator's signal mask: block everything so the
    // application's signals are never delivered to a thread it does not know.
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    try {
      s.thread = new boost::thread([this, &s, run] { this->run(s, *run); });
    } catch (...) {
      pthread_sigmask(SIG_SETMASK, &previous, nullptr);
      throw;
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    {
      std::lock_guard<std::mutex> lock(s.mutex);
      s.run = std::move(run);
    }
    running_.store(true, std::memory_order_release);
  } catch (const std::exception& e) {
    if (const StartFailureHook hook = start_failure_hook_.load()) hook(e.what());
  } catch (...) {
    if (const StartFailureHook hook = start_failure_hook_.load()) hook({});
  }
}

void Maintainer::wake() noexcept {
  if (!running()) return;
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.run) s.run->woken = true;
  s.cv.notify_all();
}

void Maintainer::run(State& s, Run& r) noexcept {
  rounds_until_stopped(s, r);
  std::lock_guard<std::mutex> lock(s.mutex);
  r.finished = true;
  s.cv.notify_all();
}

void Maintainer::rounds_until_stopped(State& s, Run& r) noexcept {
  for (;;) {
    Duration next = kLongestSleep;
    std::vector<std::shared_ptr<Pool>> pools;
    try {
      pools = PoolRegistry::instance().all();
    } catch (...) {
    }
    for (const auto& pool : pools) {
      if (r.stop.load()) return;
      try {
        next = std::min(next, pool->maintain());
      } catch (const std::exception& e) {
        pool->events().maintenance_failed(e.what());
      } catch (...) {
        pool->events().maintenance_failed({});
      }
    }
    pools.clear();
    if (const RoundHook hook = round_hook_.load(); hook != nullptr && !r.stop.load()) {
      next = std::min(next, hook());
    }
    rounds_.fetch_add(1, std::memory_order_acq_rel);
    std::unique_lock<std::mutex> lock(s.mutex);
    s.cv.wait_for(lock, std::clamp(next, kShortestSleep, kLongestSleep),
                  [&r] { return r.stop.load() || r.woken; });
    r.woken = false;
    if (r.stop.load()) return;
  }
}

void Maintainer::stop() noexcept {
  State& s = *state_;
  std::lock_guard<std::mutex> control(s.control);
  if (s.thread == nullptr) return;
  boost::thread* thread = s.thread;
  std::shared_ptr<Run> run;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    run = std::move(s.run);
    run->stop.store(true);
    s.cv.notify_all();
  }
  s.thread = nullptr;
  // exit() called from inside a maintain() (say, by a target driver) cannot
  // join itself, and a maintain() stuck in a connect is not waited for
  // forever: the process is ending and takes the thread along.
  bool finished = false;
  if (thread->get_id() != boost::this_thread::get_id()) {
    std::unique_lock<std::mutex> lock(s.mutex);
    finished = s.cv.wait_for(lock, kJoinTimeout, [&run] { return run->finished; });
  }
  try {
    if (finished) {
      thread->join();
    } else {
      thread->detach();
    }
  } catch (...) {
  }
  delete thread;
  rounds_.store(0, std::memory_order_release);
  running_.store(false, std::memory_order_release);
}

void Maintainer::stop_at_exit() noexcept {
  Maintainer& m = instance();
  m.exiting_.store(true);
  m.stop();
  // Closing a connection sends the server a goodbye and does not wait for an
  // answer; the bound is for the connection that still would.
  const auto deadline = std::chrono::steady_clock::now() + kExitCloseBudget;
  for (const auto& pool : PoolRegistry::instance().all()) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= Duration::zero()) break;
    pool->close_idle(std::chrono::duration_cast<Duration>(left));
  }
}

void Maintainer::forget_after_fork() noexcept {
  // The old state's mutexes may be held and its condition variable may count
  // a waiter that only exists in the parent: start over with fresh ones. The
  // boost::thread object is leaked: joining or detaching a thread of the
  // parent is meaningless here.
  state_ = new State();
  running_.store(false, std::memory_order_release);
  rounds_.store(0, std::memory_order_release);
}

}  // namespace odbcpool::pool
