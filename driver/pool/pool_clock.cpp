#include "pool_clock.h"

#include <algorithm>
#include <cstdio>

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

std::string describe(Duration d) {
  using std::chrono::duration_cast;
  const auto ms = duration_cast<std::chrono::milliseconds>(d).count();
  char text[48];
  if (ms < 1000) {
    if (ms == 0 && d.count() != 0) {
      std::snprintf(text, sizeof text, "%lldus",
                    static_cast<long long>(duration_cast<std::chrono::microseconds>(d).count()));
    } else {
      std::snprintf(text, sizeof text, "%lldms", static_cast<long long>(ms));
    }
  } else if (ms % 3600000 == 0) {
    std::snprintf(text, sizeof text, "%lldh", static_cast<long long>(ms / 3600000));
  } else if (ms % 60000 == 0) {
    std::snprintf(text, sizeof text, "%lldm", static_cast<long long>(ms / 60000));
  } else {
    std::snprintf(text, sizeof text, "%gs", static_cast<double>(ms) / 1000.0);
  }
  return text;
}

}  // namespace odbcpool::pool
