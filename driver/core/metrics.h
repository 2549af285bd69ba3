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

// Who wrote a file, and when: every process has its own file (%p), and a
// textfile collector merges them, so every series says which process it is
// from; a file left by a killed process is told by its old write time.
struct MetricsWriter {
  long pid = 0;
  double written_at_seconds = 0;  // since the Unix epoch
  double interval_seconds = 0;    // MetricsInterval: when the next write is due
};

// The writer of a file written now by this process.
MetricsWriter current_metrics_writer(std::chrono::nanoseconds interval);

// The exposition for these pools (text format 0.0.4): one set of series per
// pool, labelled pool="<name>" and pid="<writer pid>", following Prometheus
// naming (odbcpool_*), and the writer's own series (odbcpool_metrics_*).
// Names must be distinct (see unique_pool_labels).
std::string render_prometheus(const std::vector<PoolSnapshot>& pools, const MetricsWriter& writer);

// Two pools can share a name (same DSN and user, different target
// options): the later ones get " #2", " #3", ... so that no two series of
// a file carry the same labels.
void unique_pool_labels(std::vector<PoolSnapshot>& pools);

// "%p" becomes the process id.
std::string expand_metrics_path(const std::string& pattern);

// Writes `text` to `path` so that readers never see a partial file: into a
// temporary file in the same directory (not named *.prom, so a textfile
// collector skips it), mode 0644 whatever the umask (the exporter reading it
// runs as another user), then renamed. Missing directories are created as
// LogFile's are. Throws std::runtime_error naming `path` and the system error.
void write_atomically(const std::string& path, const std::string& text);

// The temporary file write_atomically uses for `path`, unique per call (two
// writers of one path never share one).
std::string metrics_temporary_path(const std::string& path);

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
