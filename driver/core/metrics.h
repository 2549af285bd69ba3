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

// The exposition for these pools (text format 0.0.4): one set of series per
// pool, labelled pool="<name>", following Prometheus naming (odbcpool_*).
// Names must be distinct (see unique_pool_labels).
std::string render_prometheus(const std::vector<PoolSnapshot>& pools);

// Two pools can share a name (same DSN and user, different target
// options): the later ones get " #2", " #3", ... so that no two series of
// a file carry the same labels.
void unique_pool_labels(std::vector<PoolSnapshot>& pools);

// "%p" becomes the process id.
std::string expand_metrics_path(const std::string& pattern);

// Writes `text` to `path` so that readers never see a partial file.
// Throws std::runtime_error naming the path and the system error.
void write_atomically(const std::string& path, const std::string& text);

// Registers a pool to be reported in a metrics file (pattern with %p) at an
// interval (the shortest of the pools of one file wins). The files are
// written by the pool maintenance thread, after its rounds; at clean exit
// the files this process wrote are removed. In a child after fork() they
// are written again (to the child's own file, with %p) once the maintenance
// thread runs there, which the first borrow starts.
void report_metrics(std::shared_ptr<pool::Pool> pool, const std::string& path_pattern,
                    std::chrono::nanoseconds interval);

// One writing round, for every file due (`force`: every file). Returns when
// the next file is due. Does nothing once the exit handler has run.
std::chrono::steady_clock::time_point write_metrics_files(bool force);

// For process_lifecycle.cpp only: the metrics writer's lock; in a child a
// fresh writer (the old one's condition variable may count a parent thread).
void metrics_lock_for_fork() noexcept;
void metrics_unlock_after_fork() noexcept;
void metrics_reset_in_child() noexcept;

}  // namespace odbcpool
