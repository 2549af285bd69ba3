// Prometheus text exposition of the pools' statistics, rewritten atomically
// (a temporary file, then rename) into MetricsFile every MetricsInterval and
// removed at clean exit. Pools name the file they report to; a file holds
// every pool that names it.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pool.h"

namespace odbcpool {

struct PoolSnapshot {
  std::string name;  // the pool label: a DSN or driver and the user, never a password
  pool::Stats stats;
};

// The exposition for these pools: one set of series per pool, labelled
// pool="<name>", following Prometheus naming (odbcpool_*).
std::string render_prometheus(const std::vector<PoolSnapshot>& pools);

// "%p" becomes the process id.
std::string expand_metrics_path(const std::string& pattern);

// Writes `text` to `path` so that readers never see a partial file.
// Throws std::runtime_error naming the path and the system error.
void write_atomically(const std::string& path, const std::string& text);

// Registers a pool to be reported in a metrics file (pattern with %p) at an
// interval. Starts the periodic writer on first use.
void report_metrics(std::shared_ptr<pool::Pool> pool, const std::string& path_pattern,
                    std::chrono::nanoseconds interval);

// One writing round, for every file due (called by the background thread;
// `force` writes all, for tests and exit).
void write_metrics_files(bool force);

}  // namespace odbcpool
