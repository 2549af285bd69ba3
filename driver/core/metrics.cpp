#include "metrics.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "fork_generation.h"
#include "logging.h"

namespace odbcpool {

namespace {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string number(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

class Exposition {
 public:
  explicit Exposition(const std::vector<PoolSnapshot>& pools) : pools_(pools) {}

  template <class Value>
  void family(const char* name, const char* type, const char* help, Value&& value) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
    for (const auto& p : pools_) {
      out_ << name << "{pool=\"" << escape_label(p.name) << "\"} " << value(p.stats) << '\n';
    }
  }

  void histogram(const char* name, const char* help, pool::Histogram pool::Stats::*field) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " histogram\n";
    for (const auto& p : pools_) {
      const pool::Histogram& h = p.stats.*field;
      const std::string label = "pool=\"" + escape_label(p.name) + "\"";
      for (std::size_t i = 0; i < pool::Histogram::kBucketCount; ++i) {
        out_ << name << "_bucket{" << label << ",le=\"" << number(pool::Histogram::kUpperBounds[i])
             << "\"} " << h.cumulative(i) << '\n';
      }
      out_ << name << "_bucket{" << label << ",le=\"+Inf\"} " << h.count << '\n';
      out_ << name << "_sum{" << label << "} " << number(h.sum) << '\n';
      out_ << name << "_count{" << label << "} " << h.count << '\n';
    }
  }

  std::ostringstream& raw() { return out_; }
  std::string str() const { return out_.str(); }

 private:
  const std::vector<PoolSnapshot>& pools_;
  std::ostringstream out_;
};

struct Report {
  std::vector<std::weak_ptr<pool::Pool>> pools;
  std::chrono::nanoseconds interval;
  std::chrono::steady_clock::time_point next{};
  std::string path;  // expanded
  std::uint64_t generation = 0;
};

struct Reports {
  std::mutex mutex;
  std::map<std::string, Report> by_pattern;
};

// Leaked on purpose: used from the exit handler.
Reports& reports() {
  static auto* r = new Reports();
  return *r;
}

void remove_files_at_exit() {
  Reports& r = reports();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (auto& [pattern, report] : r.by_pattern) {
    if (report.generation == fork_generation()) ::unlink(report.path.c_str());
  }
}

}  // namespace

std::string render_prometheus(const std::vector<PoolSnapshot>& pools) {
  Exposition e(pools);
  auto& out = e.raw();
  out << "# HELP odbcpool_connections Physical connections by state.\n"
      << "# TYPE odbcpool_connections gauge\n";
  for (const auto& p : pools) {
    const std::string label = "pool=\"" + escape_label(p.name) + "\"";
    out << "odbcpool_connections{" << label << ",state=\"idle\"} " << p.stats.idle << '\n';
    out << "odbcpool_connections{" << label << ",state=\"in_use\"} " << p.stats.in_use << '\n';
  }
  e.family("odbcpool_connecting", "gauge", "Physical connects in progress.",
           [](const pool::Stats& s) { return s.opening; });
  e.family("odbcpool_waiting", "gauge", "Borrowers waiting for a free connection.",
           [](const pool::Stats& s) { return s.waiting; });
  e.family("odbcpool_max_size", "gauge", "PoolMaxSize.",
           [](const pool::Stats& s) { return s.max_size; });
  e.family("odbcpool_min_idle", "gauge", "PoolMinIdle.",
           [](const pool::Stats& s) { return s.min_idle; });
  e.family("odbcpool_borrows_total", "counter", "Connections lent to applications.",
           [](const pool::Stats& s) { return s.borrows_total; });
  e.histogram("odbcpool_borrow_wait_seconds", "Time a connect spent getting a connection.",
              &pool::Stats::borrow_wait_seconds);
  e.family("odbcpool_acquire_timeouts_total", "counter",
           "Connects that found no free connection within PoolAcquireTimeout.",
           [](const pool::Stats& s) { return s.acquire_timeouts_total; });
  e.family("odbcpool_connects_total", "counter", "Physical connects that succeeded.",
           [](const pool::Stats& s) { return s.connects_total; });
  e.family("odbcpool_connect_errors_total", "counter", "Physical connects that failed.",
           [](const pool::Stats& s) { return s.connect_errors_total; });
  e.histogram("odbcpool_connect_seconds", "Physical connect time.", &pool::Stats::connect_seconds);
  e.family("odbcpool_validations_total", "counter", "Connection checks run.",
           [](const pool::Stats& s) { return s.validations_total; });
  e.family("odbcpool_validation_failures_total", "counter", "Connection checks that failed.",
           [](const pool::Stats& s) { return s.validation_failures_total; });
  out << "# HELP odbcpool_closes_total Physical connections closed, by reason.\n"
      << "# TYPE odbcpool_closes_total counter\n";
  for (const auto& p : pools) {
    for (std::size_t i = 0; i < pool::kCloseReasonCount; ++i) {
      out << "odbcpool_closes_total{pool=\"" << escape_label(p.name) << "\",reason=\""
          << pool::to_string(static_cast<pool::CloseReason>(i)) << "\"} " << p.stats.closes_total[i]
          << '\n';
    }
  }
  e.family("odbcpool_leaks_total", "counter", "Connections held longer than PoolLeakThreshold.",
           [](const pool::Stats& s) { return s.leaks_total; });
  return e.str();
}

std::string expand_metrics_path(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] == 'p') {
      out += std::to_string(::getpid());
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

void write_atomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error("cannot write metrics file '" + temporary +
                             "': " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      throw std::runtime_error("cannot write metrics file '" + temporary +
                               "': " + std::strerror(error));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw std::runtime_error("cannot rename metrics file to '" + path +
                             "': " + std::strerror(error));
  }
}

void report_metrics(std::shared_ptr<pool::Pool> pool, const std::string& path_pattern,
                    std::chrono::nanoseconds interval) {
  Reports& r = reports();
  static const bool registered = std::atexit(remove_files_at_exit) == 0;
  (void)registered;
  std::lock_guard<std::mutex> lock(r.mutex);
  Report& report = r.by_pattern[path_pattern];
  report.pools.push_back(pool);
  if (report.interval.count() == 0 || interval < report.interval) report.interval = interval;
}

void write_metrics_files(bool force) {
  Reports& r = reports();
  std::lock_guard<std::mutex> lock(r.mutex);
  const auto now = std::chrono::steady_clock::now();
  for (auto& [pattern, report] : r.by_pattern) {
    if (!force && now < report.next) continue;
    report.next = now + report.interval;
    std::vector<PoolSnapshot> snapshots;
    for (const auto& weak : report.pools) {
      if (auto p = weak.lock()) snapshots.push_back({p->name(), p->stats()});
    }
    // In a child after fork the file is the child's own (%p), or shared
    // with the parent if the pattern has no %p; either way it is rewritten.
    report.path = expand_metrics_path(pattern);
    report.generation = fork_generation();
    try {
      write_atomically(report.path, render_prometheus(snapshots));
    } catch (const std::exception& e) {
      log()->warn("{}", e.what());
    }
  }
}

}  // namespace odbcpool
