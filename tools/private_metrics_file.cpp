#include "private_metrics_file.h"

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "prometheus_text.h"

namespace odbcpool::cli {

namespace {

std::string& directory_to_remove() {
  static std::string directory;
  return directory;
}

void remove_directory() {
  const std::string& dir = directory_to_remove();
  if (dir.empty()) return;
  if (DIR* d = ::opendir(dir.c_str())) {
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(d)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    for (const std::string& name : names) ::unlink((dir + "/" + name).c_str());
  }
  ::rmdir(dir.c_str());
}

std::optional<PoolMetrics> read_pools(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  try {
    const std::vector<PoolMetrics> pools = pools_from_samples(parse_prometheus_text(text.str()));
    if (pools.empty()) return std::nullopt;
    PoolMetrics total = pools.front();
    for (std::size_t i = 1; i < pools.size(); ++i) {
      total.borrows += pools[i].borrows;
      total.connects += pools[i].connects;
      total.connect_errors += pools[i].connect_errors;
    }
    return total;
  } catch (const MetricsFormatError&) {
    return std::nullopt;  // written by a driver this tool does not understand
  }
}

}  // namespace

PrivateMetricsFile::PrivateMetricsFile() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/odbcpool-check-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return;
  // Registered before the first connect, so it runs after the exit handlers
  // the driver registers then (atexit runs them in reverse order).
  if (directory_to_remove().empty() && std::atexit(remove_directory) != 0) {
    ::rmdir(pattern.c_str());
    return;
  }
  directory_to_remove() = pattern;
  path_ = pattern + "/metrics.prom";
}

std::optional<PoolMetrics> PrivateMetricsFile::wait_for_borrows(std::uint64_t borrows,
                                                                double timeout_seconds) const {
  if (path_.empty()) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(timeout_seconds));
  for (;;) {
    std::optional<PoolMetrics> pools = read_pools(path_);
    if (pools && pools->borrows >= borrows) return pools;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace odbcpool::cli
