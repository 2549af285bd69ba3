// What a pool reports, to an observer it is given at construction: plain
// data, no formatting, no policy. The core turns the events into log lines,
// rate-limits and redacts them (driver/core/pool_event_log.h); the pool core
// knows nothing of logging.
//
// A pool calls these without its lock held, from whichever thread did the
// work (a borrower, a returner, the maintainer), possibly at the same time.
// `at` is the pool's clock. None may throw.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "pool_clock.h"
#include "pool_resource.h"

namespace odbcpool::pool {

class AcquireTimeout;
struct Stats;

// A borrow that took at least this long is reported as slow.
inline constexpr Duration kSlowBorrowThreshold = std::chrono::seconds(1);
// How often a pool reports its summary while it is maintained.
inline constexpr Duration kSummaryInterval = std::chrono::minutes(1);

class PoolEvents {
 public:
  virtual ~PoolEvents();

  // The hot path: once a borrow, once a healthy return. An observer that
  // does nothing with them must return at once.
  virtual void lent(std::string_view /*borrower*/, Duration /*waited*/) noexcept {}
  virtual void given_back() noexcept {}

  virtual void slow_borrow(Duration /*waited*/, TimePoint /*at*/) noexcept {}
  virtual void opened(Duration /*took*/) noexcept {}
  virtual void closed(CloseReason /*reason*/, Duration /*age*/) noexcept {}
  // `error` is the factory's text, which may echo a connection string.
  virtual void connect_failed(Duration /*took*/, const std::string& /*error*/,
                              TimePoint /*at*/) noexcept {}
  // What the borrower is about to be thrown.
  virtual void timed_out(const AcquireTimeout& /*error*/, TimePoint /*at*/) noexcept {}
  virtual void leaked(std::string_view /*borrower*/, Duration /*held*/,
                      Duration /*threshold*/) noexcept {}
  // A connect to keep min_idle failed; the next try is in `retry_in`.
  // `first` is false while the failures go on.
  virtual void refill_failed(std::size_t /*min_idle*/, Duration /*retry_in*/,
                             const std::string& /*error*/, bool /*first*/) noexcept {}
  virtual void connection_failure_noted() noexcept {}
  // maintain() threw; `error` is empty when it threw no std::exception.
  virtual void maintenance_failed(std::string_view /*error*/) noexcept {}
  // About every kSummaryInterval while maintained: the counters at the last
  // summary and now, `over` apart. The first round only takes note, and so
  // does the first in a child after fork: both snapshots are of one process.
  virtual void summary(const Stats& /*before*/, const Stats& /*now*/, Duration /*over*/) noexcept {}
};

// An observer that ignores everything: the default of every pool.
std::shared_ptr<PoolEvents> no_pool_events();

}  // namespace odbcpool::pool
