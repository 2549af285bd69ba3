#include "pool_metrics.h"

#include <cmath>
#include <functional>
#include <utility>

namespace odbcpool::cli {

namespace {

using Setter = std::function<void(PoolMetrics&, const MetricSample&, std::uint64_t)>;

std::uint64_t as_count(const MetricSample& s) {
  if (!std::isfinite(s.value) || s.value < 0 || std::floor(s.value) != s.value ||
      s.value > 1.8e19) {
    throw MetricsFormatError(
        s.line, s.name + " must be a whole number of at least 0, not " + std::to_string(s.value));
  }
  return static_cast<std::uint64_t>(s.value);
}

double as_seconds(const MetricSample& s) {
  if (!std::isfinite(s.value) || s.value < 0) {
    throw MetricsFormatError(
        s.line, s.name + " must be a number of seconds, not " + std::to_string(s.value));
  }
  return s.value;
}

const std::string& required_label(const MetricSample& s, const char* label) {
  const std::string* value = s.label(label);
  if (value == nullptr) {
    throw MetricsFormatError(s.line, s.name + " has no " + label + " label");
  }
  return *value;
}

std::optional<long> pid_label(const MetricSample& s) {
  const std::string* value = s.label("pid");
  if (value == nullptr) return std::nullopt;
  const bool digits = !value->empty() && value->size() <= 9 &&
                      value->find_first_not_of("0123456789") == std::string::npos;
  if (!digits)
    throw MetricsFormatError(s.line, s.name + " has pid \"" + *value + "\"; expected a process id");
  return std::stol(*value);
}

void set_connections(PoolMetrics& p, const MetricSample& s, std::uint64_t n) {
  const std::string& state = required_label(s, "state");
  if (state == "idle") {
    p.idle = n;
  } else if (state == "in_use") {
    p.in_use = n;
  } else {
    throw MetricsFormatError(s.line, "odbcpool_connections has state \"" + state +
                                         "\"; expected \"idle\" or \"in_use\"");
  }
}

// The series a table shows; histogram buckets are not needed for an average.
const std::map<std::string, Setter>& count_series() {
  static const std::map<std::string, Setter> series = {
      {"odbcpool_connections", set_connections},
      {"odbcpool_connecting",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.connecting = n; }},
      {"odbcpool_waiting",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.waiting = n; }},
      {"odbcpool_max_size",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.max_size = n; }},
      {"odbcpool_min_idle",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.min_idle = n; }},
      {"odbcpool_borrows_total",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.borrows = n; }},
      {"odbcpool_acquire_timeouts_total",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.acquire_timeouts = n; }},
      {"odbcpool_connects_total",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.connects = n; }},
      {"odbcpool_connect_errors_total",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.connect_errors = n; }},
      {"odbcpool_validations_total",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.validations = n; }},
      {"odbcpool_validation_failures_total",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.validation_failures = n; }},
      {"odbcpool_leaks_total",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.leaks = n; }},
      {"odbcpool_closes_total",
       [](PoolMetrics& p, const MetricSample& s, std::uint64_t n) {
         p.closes_by_reason[required_label(s, "reason")] = n;
       }},
      {"odbcpool_borrow_wait_seconds_count",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.borrow_wait.count = n; }},
      {"odbcpool_connect_seconds_count",
       [](PoolMetrics& p, const MetricSample&, std::uint64_t n) { p.connect_time.count = n; }},
  };
  return series;
}

bool is_known_bucket(const std::string& name) {
  return name == "odbcpool_borrow_wait_seconds_bucket" || name == "odbcpool_connect_seconds_bucket";
}

}  // namespace

std::optional<double> DurationSummary::average_seconds() const {
  if (count == 0) return std::nullopt;
  return sum_seconds / static_cast<double>(count);
}

std::uint64_t PoolMetrics::closes() const {
  std::uint64_t total = 0;
  for (const auto& [reason, n] : closes_by_reason) total += n;
  return total;
}

std::vector<PoolMetrics> pools_from_samples(const std::vector<MetricSample>& samples) {
  std::vector<PoolMetrics> pools;
  std::map<std::pair<std::string, std::optional<long>>, std::size_t> index;
  const auto pool_for = [&](const MetricSample& s) -> PoolMetrics& {
    const std::string& name = required_label(s, "pool");
    const std::optional<long> pid = pid_label(s);
    auto [it, added] = index.emplace(std::make_pair(name, pid), pools.size());
    if (added) {
      pools.emplace_back();
      pools.back().pool = name;
      pools.back().pid = pid;
    }
    return pools[it->second];
  };

  for (const MetricSample& s : samples) {
    if (s.name.compare(0, 9, "odbcpool_") != 0) continue;
    if (auto it = count_series().find(s.name); it != count_series().end()) {
      it->second(pool_for(s), s, as_count(s));
    } else if (s.name == "odbcpool_borrow_wait_seconds_sum") {
      pool_for(s).borrow_wait.sum_seconds = as_seconds(s);
    } else if (s.name == "odbcpool_connect_seconds_sum") {
      pool_for(s).connect_time.sum_seconds = as_seconds(s);
    } else if (is_known_bucket(s.name)) {
      required_label(s, "le");
      as_count(s);
      pool_for(s);
    }
    // The writer's own series (odbcpool_metrics_*), and odbcpool_* series of
    // a newer driver, are not a pool's.
  }
  return pools;
}

std::optional<long> writer_pid(const std::vector<MetricSample>& samples) {
  for (const MetricSample& s : samples) {
    if (s.name == "odbcpool_metrics_writer_info") return pid_label(s);
  }
  return std::nullopt;
}

}  // namespace odbcpool::cli
