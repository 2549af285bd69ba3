#include "pool_event_log.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "logging.h"
#include "pool.h"
#include "redaction.h"
#include "took.h"

namespace odbcpool {

namespace {

using pool::Duration;
using pool::Stats;
using pool::TimePoint;

// Borrows slower than this are counted as "waited" in the summary line.
constexpr double kSummarySlowSeconds = 0.1;

std::string left_out_text(std::uint64_t left_out) {
  if (left_out == 0) return {};
  return " (and " + std::to_string(left_out) + " more since the last such line)";
}

std::size_t slow_bucket() {
  std::size_t i = 0;
  while (i < pool::Histogram::kBucketCount &&
         pool::Histogram::kUpperBounds[i] < kSummarySlowSeconds)
    ++i;
  return i;
}

std::uint64_t slow_borrows(const Stats& s) {
  return s.borrow_wait_seconds.count - s.borrow_wait_seconds.cumulative(slow_bucket());
}

std::uint64_t closes(const Stats& s) {
  std::uint64_t total = 0;
  for (std::uint64_t c : s.closes_total) total += c;
  return total;
}

}  // namespace

PoolEventLog::PoolEventLog(std::string pool_name, LoggerSource logger)
    : name_(std::move(pool_name)), logger_(logger != nullptr ? logger : &log) {}

spdlog::logger* PoolEventLog::logger() const noexcept {
  return logger_();
}

void PoolEventLog::lent(std::string_view borrower, Duration waited) noexcept {
  spdlog::logger* l = logger();
  if (!l->should_log(spdlog::level::debug)) return;
  try {
    l->debug("pool '{}': lent a connection ({}) after {}", name_, borrower, Took{waited});
  } catch (...) {
  }
}

void PoolEventLog::given_back() noexcept {
  spdlog::logger* l = logger();
  if (!l->should_log(spdlog::level::debug)) return;
  try {
    l->debug("pool '{}': a connection was given back", name_);
  } catch (...) {
  }
}

void PoolEventLog::slow_borrow(Duration waited, TimePoint at) noexcept {
  spdlog::logger* l = logger();
  if (!l->should_log(spdlog::level::warn)) return;
  const std::optional<std::uint64_t> left_out = slow_borrows_.allow(at);
  if (!left_out) return;
  try {
    l->warn("pool '{}': getting a connection took {} (warning threshold {}){}", name_, Took{waited},
            Took{pool::kSlowBorrowThreshold}, left_out_text(*left_out));
  } catch (...) {
  }
}

void PoolEventLog::opened(Duration took) noexcept {
  try {
    logger()->info("pool '{}': opened a connection in {}", name_, Took{took});
  } catch (...) {
  }
}

void PoolEventLog::closed(pool::CloseReason reason, Duration age) noexcept {
  try {
    if (reason == pool::CloseReason::HostDemand) {
      logger()->info(
          "pool '{}': gave an idle connection up (after {} open) for another process waiting "
          "for a host slot",
          name_, Took{age});
      return;
    }
    logger()->info("pool '{}': closed a connection ({}) after {} open", name_, to_string(reason),
                   Took{age});
  } catch (...) {
  }
}

void PoolEventLog::connect_failed(Duration took, const std::string& error, TimePoint at) noexcept {
  spdlog::logger* l = logger();
  if (!l->should_log(spdlog::level::warn)) return;
  const std::optional<std::uint64_t> left_out = connect_failures_.allow(at);
  if (!left_out) return;
  try {
    l->warn("pool '{}': connect failed after {}: {}{}", name_, Took{took}, loggable(error),
            left_out_text(*left_out));
  } catch (...) {
  }
}

// An exhausted pool times out many borrowers at once: one line a second.
void PoolEventLog::timed_out(const pool::AcquireTimeout& error, TimePoint at) noexcept {
  spdlog::logger* l = logger();
  if (!l->should_log(spdlog::level::warn)) return;
  const std::optional<std::uint64_t> left_out = timeouts_.allow(at);
  if (!left_out) return;
  try {
    if (*left_out == 0) {
      l->warn("{}", loggable(error.what()));
    } else {
      l->warn("{} (and {} more timeouts)", loggable(error.what()), *left_out);
    }
  } catch (...) {
  }
}

void PoolEventLog::leaked(std::string_view borrower, Duration held, Duration threshold) noexcept {
  try {
    logger()->warn(
        "pool '{}': a connection borrowed by {} has been in use for {} (leak threshold {})", name_,
        borrower.empty() ? "an unnamed borrower" : borrower, Took{held}, Took{threshold});
  } catch (...) {
  }
}

void PoolEventLog::refill_failed(std::size_t min_idle, Duration retry_in, const std::string& error,
                                 bool first) noexcept {
  spdlog::logger* l = logger();
  const auto level = first ? spdlog::level::warn : spdlog::level::debug;
  if (!l->should_log(level)) return;
  try {
    l->log(level, "pool '{}': cannot open a connection to keep {} idle, retrying in {}: {}", name_,
           min_idle, Took{retry_in}, loggable(error));
  } catch (...) {
  }
}

void PoolEventLog::connection_failure_noted() noexcept {
  try {
    logger()->info(
        "pool '{}': a connection failed (connection-class error): the idle ones are checked "
        "before reuse",
        name_);
  } catch (...) {
  }
}

void PoolEventLog::maintenance_failed(std::string_view error) noexcept {
  try {
    if (error.empty()) {
      logger()->error("pool '{}': maintenance failed", name_);
    } else {
      logger()->error("pool '{}': maintenance failed: {}", name_, error);
    }
  } catch (...) {
  }
}

// Only for a pool that was busy meanwhile: borrows, timeouts, failed
// connects, connections in use or borrowers waiting.
void PoolEventLog::summary(const Stats& before, const Stats& now, Duration over) noexcept {
  spdlog::logger* l = logger();
  if (!l->should_log(spdlog::level::info)) return;
  const std::uint64_t borrows = now.borrows_total - before.borrows_total;
  const std::uint64_t timeouts = now.acquire_timeouts_total - before.acquire_timeouts_total;
  const std::uint64_t connect_errors = now.connect_errors_total - before.connect_errors_total;
  if (borrows == 0 && timeouts == 0 && connect_errors == 0 && now.in_use == 0 && now.waiting == 0) {
    return;
  }
  const double wait_seconds = now.borrow_wait_seconds.sum - before.borrow_wait_seconds.sum;
  const double mean_wait_ms = borrows == 0 ? 0.0 : wait_seconds * 1000.0 / borrows;
  try {
    l->info(
        "pool '{}': in the last {}: {} borrows ({} took over {}ms, mean {:.3f}ms), {} acquire "
        "timeouts, {} connects ({} failed), {} closed, {} validation failures, {} leaks; now {} "
        "open ({} idle, {} in use), {} connecting, {} waiting, max {}",
        name_, Took{over}, borrows, slow_borrows(now) - slow_borrows(before),
        static_cast<int>(kSummarySlowSeconds * 1000), mean_wait_ms, timeouts,
        now.connects_total - before.connects_total, connect_errors, closes(now) - closes(before),
        now.validation_failures_total - before.validation_failures_total,
        now.leaks_total - before.leaks_total, now.open, now.idle, now.in_use, now.opening,
        now.waiting, now.max_size);
  } catch (...) {
  }
}

void log_maintainer_start_failure(std::string_view error) noexcept {
  try {
    if (error.empty()) {
      log()->error("cannot start the pool maintenance thread");
    } else {
      log()->error("cannot start the pool maintenance thread: {}", error);
    }
  } catch (...) {
  }
}

}  // namespace odbcpool
