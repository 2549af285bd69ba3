// At most one log line a second of one kind; the lines left out are counted
// in the next one written. Lock-free, so there is nothing to take or reset
// at fork: a child simply goes on from the parent's last value.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

#include "pool_clock.h"

namespace odbcpool {

class LineRateLimit {
 public:
  static constexpr pool::Duration kInterval = std::chrono::seconds(1);

  // A line may be written at `now`: how many were left out since the last
  // one. A line left out at the same moment by another thread may be
  // counted in this line rather than the next.
  std::optional<std::uint64_t> allow(pool::TimePoint now) noexcept {
    const pool::Duration::rep at = now.time_since_epoch().count();
    pool::Duration::rep next = next_.load(std::memory_order_relaxed);
    do {
      if (at < next) {
        left_out_.fetch_add(1, std::memory_order_relaxed);
        return std::nullopt;
      }
    } while (!next_.compare_exchange_weak(next, at + kInterval.count(), std::memory_order_relaxed));
    return left_out_.exchange(0, std::memory_order_relaxed);
  }

 private:
  std::atomic<pool::Duration::rep> next_{std::numeric_limits<pool::Duration::rep>::min()};
  std::atomic<std::uint64_t> left_out_{0};
};

}  // namespace odbcpool
