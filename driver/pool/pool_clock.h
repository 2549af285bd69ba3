// Time as the pool sees it. The pool never reads a clock directly: every
// policy (bypass window, lifetimes, idle timeout, keepalive, leaks, acquire
// deadline) is measured with an injected Clock, so tests can drive it by hand.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

namespace odbcpool::pool {

using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock();
  virtual TimePoint now() const = 0;

  // Blocks on `cv` (whose mutex `lock` holds) until it is notified, wakes
  // spuriously, or this clock may have reached `deadline`. The caller
  // re-checks its condition and now() afterwards, so returning early is
  // always allowed. The default sleeps for the real time this clock says is
  // left; a clock that does not follow real time (a test's manual clock)
  // overrides it to wake up often enough to notice that it was moved.
  virtual void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                          TimePoint deadline) const;
};

// std::chrono::steady_clock, shared by every pool.
std::shared_ptr<Clock> system_clock();

// "250us", "250ms", "1.5s", "2m", "90m", "1h": short, for messages.
std::string describe(Duration d);

}  // namespace odbcpool::pool
