// A metrics file of `check`'s own, in a private temporary directory: the
// pool odbcpool creates inside this process reports to it, which shows
// whether the second connect reused the first's physical connection. The
// directory is removed at exit, after the driver's own exit handlers (which
// stop its writer) have run.
#pragma once

#include <optional>
#include <string>

#include "pool_metrics.h"

namespace odbcpool::cli {

class PrivateMetricsFile {
 public:
  // Creates the directory; path() is empty when that failed.
  PrivateMetricsFile();
  const std::string& path() const { return path_; }

  // Waits up to `timeout_seconds` for the file to report at least
  // `borrows` borrows, and returns the pool's statistics (summed if the
  // file holds several pools), or nullopt when it never did.
  std::optional<PoolMetrics> wait_for_borrows(std::uint64_t borrows, double timeout_seconds) const;

 private:
  std::string path_;
};

}  // namespace odbcpool::cli
