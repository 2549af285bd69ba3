#include "metrics.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "fork_generation.h"
#include "logging.h"
#include "parent_directories.h"
#include "pool_maintainer.h"

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

// Seconds since the epoch to the millisecond (%.9g would round to tens of seconds).
std::string timestamp(double seconds) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f", seconds);
  return buffer;
}

class Exposition {
 public:
  Exposition(const std::vector<PoolSnapshot>& pools, long pid)
      : pools_(pools), pid_label_("pid=\"" + std::to_string(pid) + "\"") {}

  // The labels of a pool's series: the pool, and the writing process.
  std::string labels(const PoolSnapshot& p) const {
    return "pool=\"" + escape_label(p.name) + "\"," + pid_label_;
  }
  const std::string& pid_label() const { return pid_label_; }

  void header(const char* name, const char* type, const char* help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }

  template <class Value>
  void family(const char* name, const char* type, const char* help, Value&& value) {
    header(name, type, help);
    for (const auto& p : pools_) out_ << name << '{' << labels(p) << "} " << value(p.stats) << '\n';
  }

  void histogram(const char* name, const char* help, pool::Histogram pool::Stats::*field) {
    header(name, "histogram", help);
    for (const auto& p : pools_) {
      const pool::Histogram& h = p.stats.*field;
      const std::string label = labels(p);
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
  const std::string pid_label_;
  std::ostringstream out_;
};

struct Report {
  std::vector<std::weak_ptr<pool::Pool>> pools;
  std::chrono::nanoseconds interval{0};
  std::chrono::steady_clock::time_point next{};
  std::string path;  // expanded when last written
  std::uint64_t generation = 0;
  bool written = false;  // by this process since the last fork
  bool failing = false;  // the last write failed (and said so once)
};

// Replaced (the old one leaked) in a child after fork: its lock may have been
// held by a thread of the parent.
struct Writer {
  std::mutex mutex;
  std::condition_variable done;  // a round of writing finished
  std::map<std::string, Report> by_pattern;
  int writing = 0;      // rounds between taking their jobs and recording them
  bool closed = false;  // the exit handler ran: nothing is written any more
};

std::atomic<Writer*>& writer_pointer();

std::atomic<Writer*>& writer_pointer() {
  static std::atomic<Writer*> pointer{[] { return new Writer(); }()};
  return pointer;
}

Writer& writer() {
  return *writer_pointer().load();
}

// Writing happens on the pool maintenance thread, which the pool core stops
// at exit on its own schedule: a round still writing is waited for (briefly),
// so that no file comes back after it was removed.
void stop_and_remove_at_exit() {
  Writer& w = writer();
  std::unique_lock<std::mutex> lock(w.mutex);
  w.closed = true;
  w.done.wait_for(lock, std::chrono::seconds(2), [&w] { return w.writing == 0; });
  for (auto& [pattern, report] : w.by_pattern) {
    if (report.written && report.generation == fork_generation()) ::unlink(report.path.c_str());
  }
}

}  // namespace

void metrics_lock_for_fork() noexcept {
  writer_pointer().load()->mutex.lock();
}

void metrics_unlock_after_fork() noexcept {
  writer_pointer().load()->mutex.unlock();
}

void metrics_reset_in_child() noexcept {
  Writer* old = writer_pointer().load();
  try {
    auto* fresh = new Writer();
    fresh->by_pattern = old->by_pattern;  // consistent: this thread holds old->mutex
    for (auto& [pattern, report] : fresh->by_pattern) report.written = false;
    fresh->closed = old->closed;
    writer_pointer().store(fresh);
  } catch (...) {
  }
  old->mutex.unlock();
}

namespace {

pool::Duration write_due_files() noexcept {
  try {
    const auto next = write_metrics_files(false);
    return std::max(pool::Duration::zero(), std::chrono::duration_cast<pool::Duration>(
                                                next - std::chrono::steady_clock::now()));
  } catch (...) {
    return std::chrono::seconds(1);
  }
}

}  // namespace

MetricsWriter current_metrics_writer(std::chrono::nanoseconds interval) {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return {static_cast<long>(::getpid()), std::chrono::duration<double>(since_epoch).count(),
          std::chrono::duration<double>(interval).count()};
}

std::string render_prometheus(const std::vector<PoolSnapshot>& pools, const MetricsWriter& writer) {
  Exposition e(pools, writer.pid);
  auto& out = e.raw();
  e.header("odbcpool_metrics_writer_info", "gauge",
           "The process that writes this file (always 1).");
  out << "odbcpool_metrics_writer_info{" << e.pid_label() << ",version=\"" << ODBCPOOL_VERSION
      << "\"} 1\n";
  e.header("odbcpool_metrics_last_write_timestamp_seconds", "gauge",
           "When the process wrote this file, in seconds since the epoch.");
  out << "odbcpool_metrics_last_write_timestamp_seconds{" << e.pid_label() << "} "
      << timestamp(writer.written_at_seconds) << '\n';
  e.header("odbcpool_metrics_interval_seconds", "gauge",
           "MetricsInterval: the file is rewritten this often while the process runs.");
  out << "odbcpool_metrics_interval_seconds{" << e.pid_label() << "} "
      << number(writer.interval_seconds) << '\n';
  e.header("odbcpool_connections", "gauge", "Physical connections by state.");
  for (const auto& p : pools) {
    const std::string label = e.labels(p);
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
  e.family("odbcpool_host_max_size", "gauge", "PoolHostMaxSize (0: no host limit).",
           [](const pool::Stats& s) { return s.host_max_size; });
  e.family("odbcpool_host_connections", "gauge",
           "Physical connections all processes of this host hold for the pool (its host slots "
           "taken; 0 without a host limit). The same for every process: take the max, not the "
           "sum.",
           [](const pool::Stats& s) { return s.host_connections; });
  e.family("odbcpool_host_waiting", "gauge",
           "Borrowers of every process of this host waiting for a host slot.",
           [](const pool::Stats& s) { return s.host_waiting; });
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
  e.header("odbcpool_closes_total", "counter", "Physical connections closed, by reason.");
  for (const auto& p : pools) {
    for (std::size_t i = 0; i < pool::kCloseReasonCount; ++i) {
      out << "odbcpool_closes_total{" << e.labels(p) << ",reason=\""
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

std::string metrics_temporary_path(const std::string& path) {
  static std::atomic<unsigned> serial{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(serial.fetch_add(1));
}

void write_atomically(const std::string& path, const std::string& text) {
  const std::string temporary = metrics_temporary_path(path);
  const auto fail = [&path](const char* what, int error) {
    throw std::runtime_error(std::string("cannot ") + what + " metrics file '" + path +
                             "': " + std::strerror(error));
  };
  constexpr int kFlags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  int fd = ::open(temporary.c_str(), kFlags, 0644);
  if (fd < 0 && errno == ENOENT) {
    if (!create_parent_directories(path)) fail("create the directory of", errno);
    fd = ::open(temporary.c_str(), kFlags, 0644);
  }
  if (fd < 0) fail("write", errno);
  // The exporter runs as another user; an application's umask 077 must not hide the file.
  if (::fchmod(fd, 0644) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    fail("write", error);
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      fail("write", error);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    fail("replace", error);
  }
}

void unique_pool_labels(std::vector<PoolSnapshot>& pools) {
  std::map<std::string, int> seen;
  for (auto& p : pools) {
    const int n = ++seen[p.name];
    if (n > 1) p.name += " #" + std::to_string(n);
  }
}

void report_metrics(std::shared_ptr<pool::Pool> pool, const std::string& path_pattern,
                    std::chrono::nanoseconds interval) {
  static const bool registered = std::atexit(stop_and_remove_at_exit) == 0;
  (void)registered;
  Writer& w = writer();
  {
    std::lock_guard<std::mutex> lock(w.mutex);
    Report& report = w.by_pattern[path_pattern];
    report.pools.push_back(pool);
    if (report.interval.count() == 0 || interval < report.interval) report.interval = interval;
    report.next = {};  // at once, with the new pool
  }
  pool::Maintainer& maintainer = pool::Maintainer::instance();
  maintainer.set_round_hook(&write_due_files);
  maintainer.ensure_running();
  maintainer.wake();
}

std::chrono::steady_clock::time_point write_metrics_files(bool force) {
  using Clock = std::chrono::steady_clock;
  struct Job {
    std::string pattern;
    std::string path;
    std::vector<std::shared_ptr<pool::Pool>> pools;
    std::chrono::nanoseconds interval;
  };
  Writer& w = writer();
  std::vector<Job> jobs;
  Clock::time_point next = Clock::now() + std::chrono::seconds(10);
  {
    std::lock_guard<std::mutex> lock(w.mutex);
    if (w.closed) return next;
    ++w.writing;
    const auto now = Clock::now();
    for (auto& [pattern, report] : w.by_pattern) {
      if (force || now >= report.next) {
        report.next = now + report.interval;
        Job job{pattern, expand_metrics_path(pattern), {}, report.interval};
        for (const auto& weak : report.pools) {
          if (auto p = weak.lock()) job.pools.push_back(std::move(p));
        }
        jobs.push_back(std::move(job));
      }
      next = std::min(next, report.next);
    }
  }
  struct EndOfRound {
    Writer& w;
    ~EndOfRound() {
      {
        std::lock_guard<std::mutex> lock(w.mutex);
        --w.writing;
      }
      w.done.notify_all();
    }
  } end_of_round{w};
  // Outside the lock: stats() takes each pool's lock, and writing is I/O.
  for (Job& job : jobs) {
    std::vector<PoolSnapshot> snapshots;
    for (const auto& p : job.pools) snapshots.push_back({p->name(), p->stats()});
    unique_pool_labels(snapshots);
    std::string error;
    try {
      write_atomically(job.path,
                       render_prometheus(snapshots, current_metrics_writer(job.interval)));
    } catch (const std::exception& e) {
      error = e.what();
    }
    std::lock_guard<std::mutex> lock(w.mutex);
    auto it = w.by_pattern.find(job.pattern);
    if (it == w.by_pattern.end()) continue;
    Report& report = it->second;
    if (error.empty()) {
      // In a child after fork the file is the child's own (%p), or shared
      // with the parent if the pattern has no %p; either way it is rewritten.
      report.path = job.path;
      report.generation = fork_generation();
      report.written = true;
      if (report.failing) log()->info("metrics file '{}' written again", job.path);
      report.failing = false;
    } else {
      // Once, not every interval.
      log()->log(report.failing ? spdlog::level::debug : spdlog::level::warn, "{}", error);
      report.failing = true;
    }
  }
  return next;
}

}  // namespace odbcpool
