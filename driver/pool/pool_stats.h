// A snapshot of one pool's gauges and counters, in the shape a Prometheus
// exposition needs. Counters start at zero (again in a child after fork).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "pool_clock.h"
#include "pool_resource.h"

namespace odbcpool::pool {

// Durations in seconds over fixed buckets, from 100 us (a pooled borrow) to
// 30 s (a connect that hit a timeout).
struct Histogram {
  static constexpr std::size_t kBucketCount = 17;
  // Inclusive upper bounds of the finite buckets, in seconds; ascending.
  static constexpr std::array<double, kBucketCount> kUpperBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,    0.5,    1.0,   2.5,    5.0,   10.0, 30.0};

  // counts[i] observations fell in bucket i alone (not cumulative);
  // counts[kBucketCount] is the +Inf bucket.
  std::array<std::uint64_t, kBucketCount + 1> counts{};
  double sum = 0;  // seconds
  std::uint64_t count = 0;

  void observe(Duration d) noexcept;
  // Observations <= kUpperBounds[bucket] (Prometheus' `le`); bucket ==
  // kBucketCount gives the +Inf bucket, i.e. count.
  std::uint64_t cumulative(std::size_t bucket) const noexcept;
};

struct Stats {
  // Gauges.
  std::size_t open = 0;  // physical connections: idle + in_use (connections being opened excluded)
  std::size_t idle = 0;  // ready on the idle stack
  std::size_t in_use = 0;   // open - idle: lent out, or being validated, pinged or closed
  std::size_t opening = 0;  // connects in progress
  std::size_t waiting = 0;  // borrowers queued for a connection
  std::size_t max_size = 0;
  std::size_t min_idle = 0;
  // Under a host limit (PoolHostMaxSize; all zero without one): the limit,
  // the slots all processes of the host hold, and the borrowers of every
  // process blocked waiting for one. This process's share is open + opening.
  std::size_t host_max_size = 0;
  std::size_t host_connections = 0;
  std::size_t host_waiting = 0;

  // Counters.
  std::uint64_t borrows_total = 0;  // successful borrows
  std::uint64_t acquire_timeouts_total = 0;
  std::uint64_t connects_total = 0;  // successful physical connects
  std::uint64_t connect_errors_total = 0;
  std::uint64_t validations_total = 0;
  std::uint64_t validation_failures_total = 0;  // on borrow and in keepalive
  std::uint64_t leaks_total = 0;
  std::array<std::uint64_t, kCloseReasonCount> closes_total{};  // indexed by CloseReason
  Histogram connect_seconds;      // physical connect time, successful or not
  Histogram borrow_wait_seconds;  // time spent in a successful borrow

  std::string last_connect_error;  // what() of the last failed open, or empty

  std::uint64_t closes(CloseReason reason) const noexcept {
    return closes_total[static_cast<std::size_t>(reason)];
  }
};

}  // namespace odbcpool::pool
