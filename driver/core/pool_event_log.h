// The core's one observer of a pool (pool::PoolEvents): every event becomes
// a line of odbcpool's log, "pool '<name>': ...", at the level
// docs/operations.md lists. One instance per pool, made where the pool is
// (pools.cpp): its rate limits (one line a second per kind, the lines left
// out counted in the next) belong to that pool alone, whatever its name.
// Target drivers' texts are redacted and put on one line. Nothing is
// formatted for a level that is off; nothing throws.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

#include "line_rate_limit.h"
#include "pool_events.h"

namespace odbcpool {

class PoolEventLog final : public pool::PoolEvents {
 public:
  // Where the lines go: odbcpool's log() unless a test says otherwise.
  using LoggerSource = spdlog::logger* (*)();
  explicit PoolEventLog(std::string pool_name, LoggerSource logger = nullptr);

  void lent(std::string_view borrower, pool::Duration waited) noexcept override;
  void given_back() noexcept override;
  void slow_borrow(pool::Duration waited, pool::TimePoint at) noexcept override;
  void opened(pool::Duration took) noexcept override;
  void closed(pool::CloseReason reason, pool::Duration age) noexcept override;
  void connect_failed(pool::Duration took, const std::string& error,
                      pool::TimePoint at) noexcept override;
  void timed_out(const pool::AcquireTimeout& error, pool::TimePoint at) noexcept override;
  void leaked(std::string_view borrower, pool::Duration held,
              pool::Duration threshold) noexcept override;
  void refill_failed(std::size_t min_idle, pool::Duration retry_in, const std::string& error,
                     bool first) noexcept override;
  void connection_failure_noted() noexcept override;
  void maintenance_failed(std::string_view error) noexcept override;
  void summary(const pool::Stats& before, const pool::Stats& now,
               pool::Duration over) noexcept override;

 private:
  spdlog::logger* logger() const noexcept;

  const std::string name_;
  const LoggerSource logger_;
  LineRateLimit slow_borrows_;
  LineRateLimit connect_failures_;
  LineRateLimit timeouts_;
};

// For pool::Maintainer::set_start_failure_hook: the thread belongs to no pool.
void log_maintainer_start_failure(std::string_view error) noexcept;

}  // namespace odbcpool
