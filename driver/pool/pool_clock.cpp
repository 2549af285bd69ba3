#include "pool_clock.h"

#include <algorithm>

namespace odbcpool::pool {

Clock::~Clock() = default;

void Clock::wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                       TimePoint deadline) const {
  // Capped so that a far deadline (an acquire timeout of "forever") cannot
  // overflow the real clock's arithmetic; the caller simply waits again.
  constexpr Duration kLongestSleep = std::chrono::hours(1);
  const Duration left = deadline - now();
  if (left <= Duration::zero()) return;
  cv.wait_for(lock, std::min(left, kLongestSleep));
}

namespace {

class SteadyClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace

std::shared_ptr<Clock> system_clock() {
  // Leaked on purpose: pools that hold it live until the process ends.
  static auto* clock = new std::shared_ptr<Clock>(std::make_shared<SteadyClock>());
  return *clock;
}

}  // namespace odbcpool::pool
