// The statistics of each pool in one metrics file, gathered from the series
// render_prometheus() (driver/core/metrics.cpp) writes: odbcpool_* labelled
// pool="<name>" and pid="<writer>" (files of older drivers have no pid).
// Series of other programs are ignored; a known odbcpool series without a
// pool label, or with a value that cannot be a count or a pid, is an error
// naming its line.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prometheus_text.h"

namespace odbcpool::cli {

struct DurationSummary {
  double sum_seconds = 0;
  std::uint64_t count = 0;
  std::optional<double> average_seconds() const;
};

struct PoolMetrics {
  std::string pool;
  std::optional<long> pid;  // the pid label: the process the pool lives in
  std::uint64_t max_size = 0;
  std::uint64_t min_idle = 0;
  std::uint64_t idle = 0;
  std::uint64_t in_use = 0;
  std::uint64_t connecting = 0;
  std::uint64_t waiting = 0;
  std::uint64_t borrows = 0;
  std::uint64_t acquire_timeouts = 0;
  std::uint64_t connects = 0;
  std::uint64_t connect_errors = 0;
  std::uint64_t validations = 0;
  std::uint64_t validation_failures = 0;
  std::uint64_t leaks = 0;
  std::map<std::string, std::uint64_t> closes_by_reason;
  DurationSummary borrow_wait;
  DurationSummary connect_time;

  std::uint64_t open() const { return idle + in_use; }
  std::uint64_t closes() const;
};

// In the order the pools first appear in the file; a pool is its pool and
// pid labels (a file concatenated from several processes keeps them apart).
// Throws MetricsFormatError.
std::vector<PoolMetrics> pools_from_samples(const std::vector<MetricSample>& samples);

// The pid of odbcpool_metrics_writer_info, or nullopt (an older driver's
// file). Throws MetricsFormatError.
std::optional<long> writer_pid(const std::vector<MetricSample>& samples);

}  // namespace odbcpool::cli
