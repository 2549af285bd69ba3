#include "pool_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "pool.h"

namespace odbcpool::pool {

namespace {

struct LoggerSlot {
  // Replaced (the old one leaked) in a child after fork, where a thread of
  // the parent may have held it; the ODBC layer installs a fresh logger there.
  std::atomic<std::mutex*> mutex{new std::mutex()};
  std::atomic<spdlog::logger*> current{nullptr};
  // Every logger ever handed out stays alive: callers keep raw pointers.
  std::vector<std::shared_ptr<spdlog::logger>> kept;
  LoggerFactory factory = nullptr;
};

LoggerSlot& slot();

// Leaked on purpose: the maintainer thread may log while statics are destroyed.
LoggerSlot& slot() {
  static auto* s = new LoggerSlot();
  return *s;
}

std::unique_lock<std::mutex> lock_slot(LoggerSlot& s) {
  return std::unique_lock<std::mutex>(*s.mutex.load());
}

std::shared_ptr<spdlog::logger> make_fallback() {
  auto fallback = std::make_shared<spdlog::logger>(
      "odbcpool", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  fallback->set_level(spdlog::level::warn);
  fallback->set_pattern("%Y-%m-%d %H:%M:%S.%e odbcpool[%P:%t] %l: %v");
  return fallback;
}

void install_locked(LoggerSlot& s, std::shared_ptr<spdlog::logger> logger) {
  spdlog::logger* raw = logger.get();
  if (raw != nullptr && std::find(s.kept.begin(), s.kept.end(), logger) == s.kept.end()) {
    s.kept.push_back(std::move(logger));
  }
  s.current.store(raw, std::memory_order_release);
}

spdlog::logger* logger_slow() noexcept {
  LoggerSlot& s = slot();
  LoggerFactory factory = nullptr;
  {
    const auto lock = lock_slot(s);
    factory = s.factory;
  }
  // The factory (the ODBC layer's log()) may call set_logger() itself.
  thread_local bool making = false;
  if (factory != nullptr && !making) {
    making = true;
    try {
      std::shared_ptr<spdlog::logger> made = factory();
      const auto lock = lock_slot(s);
      if (made && s.current.load() == nullptr) install_locked(s, std::move(made));
    } catch (...) {
    }
    making = false;
  }
  const auto lock = lock_slot(s);
  if (spdlog::logger* current = s.current.load()) return current;
  try {
    std::shared_ptr<spdlog::logger> registered = spdlog::get("odbcpool");
    install_locked(s, registered ? std::move(registered) : make_fallback());
  } catch (...) {
    try {
      install_locked(s, std::make_shared<spdlog::logger>("odbcpool"));  // no sinks: drops all
    } catch (...) {
    }
  }
  spdlog::logger* current = s.current.load();
  if (current != nullptr) return current;
  // Out of memory before any logger existed: one that drops everything.
  static spdlog::logger* silent = new spdlog::logger("odbcpool");
  return silent;
}

// ---- Rate limits and summaries

constexpr Duration kRateLimit = std::chrono::seconds(1);
// Borrows slower than this are counted as "waited" in the summary line.
constexpr double kSummarySlowSeconds = 0.1;

enum class LineKind { SlowBorrow, ConnectFailure };

struct Limit {
  TimePoint next{};
  std::uint64_t left_out = 0;
};

struct Baseline {
  TimePoint at{};
  std::uint64_t borrows = 0;
  std::uint64_t slow_borrows = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t connects = 0;
  std::uint64_t connect_errors = 0;
  std::uint64_t closes = 0;
  std::uint64_t validation_failures = 0;
  std::uint64_t leaks = 0;
  double wait_seconds = 0;
};

struct Observations {
  std::mutex limits_mutex;
  std::map<std::pair<std::string, LineKind>, Limit> limits;
  std::mutex summaries_mutex;
  std::map<const Pool*, Baseline> summaries;  // pools of the registry only: they never die
};

std::atomic<Observations*>& observations_pointer();

std::atomic<Observations*>& observations_pointer() {
  static std::atomic<Observations*> pointer{new Observations()};
  return pointer;
}

Observations& observations() {
  return *observations_pointer().load(std::memory_order_acquire);
}

// Whether to write a line now; `left_out` is how many were not written
// since the last one.
bool allow(const std::string& pool, LineKind kind, TimePoint now, std::uint64_t& left_out) {
  Observations& o = observations();
  std::lock_guard<std::mutex> lock(o.limits_mutex);
  Limit& limit = o.limits[{pool, kind}];
  // A clock that went back (another pool of the same name) starts afresh.
  if (now >= limit.next || limit.next - now > kRateLimit) {
    left_out = limit.left_out;
    limit.left_out = 0;
    limit.next = now + kRateLimit;
    return true;
  }
  ++limit.left_out;
  return false;
}

std::string left_out_text(std::uint64_t left_out) {
  if (left_out == 0) return {};
  return " (and " + std::to_string(left_out) + " more since the last such line)";
}

std::size_t slow_bucket() {
  std::size_t i = 0;
  while (i < Histogram::kBucketCount && Histogram::kUpperBounds[i] < kSummarySlowSeconds) ++i;
  return i;
}

Baseline baseline_of(const Stats& s, TimePoint at) {
  Baseline b;
  b.at = at;
  b.borrows = s.borrows_total;
  b.slow_borrows = s.borrow_wait_seconds.count - s.borrow_wait_seconds.cumulative(slow_bucket());
  b.timeouts = s.acquire_timeouts_total;
  b.connects = s.connects_total;
  b.connect_errors = s.connect_errors_total;
  for (std::uint64_t c : s.closes_total) b.closes += c;
  b.validation_failures = s.validation_failures_total;
  b.leaks = s.leaks_total;
  b.wait_seconds = s.borrow_wait_seconds.sum;
  return b;
}

bool is_registered(const Pool& pool) {
  for (const auto& p : PoolRegistry::instance().all()) {
    if (p.get() == &pool) return true;
  }
  return false;
}

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool is_secret_key(std::string_view key) {
  std::string lower;
  for (char c : key) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto has = [&](const char* part) { return lower.find(part) != std::string::npos; };
  const bool ends_in_pwd = lower.size() >= 3 && lower.compare(lower.size() - 3, 3, "pwd") == 0;
  return ends_in_pwd || has("password") || has("passwd") || has("secret") || has("token");
}

}  // namespace

void set_logger(std::shared_ptr<spdlog::logger> logger) noexcept {
  LoggerSlot& s = slot();
  const auto lock = lock_slot(s);
  try {
    install_locked(s, std::move(logger));
  } catch (...) {
  }
}

void set_logger_factory(LoggerFactory factory) noexcept {
  LoggerSlot& s = slot();
  const auto lock = lock_slot(s);
  s.factory = factory;
}

spdlog::logger* logger() noexcept {
  spdlog::logger* current = slot().current.load(std::memory_order_acquire);
  return current != nullptr ? current : logger_slow();
}

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (std::size_t eq = text.find('='); eq != std::string_view::npos; eq = text.find('=', eq + 1)) {
    if (eq < copied) continue;
    std::size_t key_end = eq;
    while (key_end > copied && text[key_end - 1] == ' ') --key_end;
    std::size_t key_begin = key_end;
    while (key_begin > copied && is_key_char(text[key_begin - 1])) --key_begin;
    if (key_begin == key_end || !is_secret_key(text.substr(key_begin, key_end - key_begin))) {
      continue;
    }
    std::size_t value = eq + 1;
    while (value < text.size() && text[value] == ' ') ++value;
    std::size_t end = value;
    if (end < text.size() && text[end] == '{') {
      // A braced value ends at a '}' that is not doubled; "}}" is a literal '}'.
      ++end;
      while (end < text.size()) {
        if (text[end] == '}') {
          if (end + 1 < text.size() && text[end + 1] == '}') {
            end += 2;
            continue;
          }
          ++end;
          break;
        }
        ++end;
      }
    } else {
      while (end < text.size() && text[end] != ';') ++end;
    }
    out.append(text.substr(copied, value - copied));
    out += "***";
    copied = end;
    eq = end == 0 ? 0 : end - 1;
  }
  out.append(text.substr(copied));
  return out;
}

std::string loggable(std::string_view text) {
  std::string out = redact_secrets(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void log_slow_borrow(const std::string& pool, Duration waited, TimePoint now) noexcept {
  try {
    spdlog::logger* log = logger();
    if (!log->should_log(spdlog::level::warn)) return;
    std::uint64_t left_out = 0;
    if (!allow(pool, LineKind::SlowBorrow, now, left_out)) return;
    log->warn("pool '{}': getting a connection took {} (warning threshold {}){}", pool,
              Took{waited}, Took{kSlowBorrowThreshold}, left_out_text(left_out));
  } catch (...) {
  }
}

void log_connect_failure(const std::string& pool, Duration took, const std::string& error,
                         TimePoint now) noexcept {
  try {
    spdlog::logger* log = logger();
    if (!log->should_log(spdlog::level::warn)) return;
    std::uint64_t left_out = 0;
    if (!allow(pool, LineKind::ConnectFailure, now, left_out)) return;
    log->warn("pool '{}': connect failed after {}: {}{}", pool, Took{took}, loggable(error),
              left_out_text(left_out));
  } catch (...) {
  }
}

void log_summary_if_due(const Pool& pool, TimePoint now) noexcept {
  try {
    spdlog::logger* log = logger();
    if (!log->should_log(spdlog::level::info)) return;
    Observations& o = observations();
    Baseline before;
    bool known = false;
    {
      std::lock_guard<std::mutex> lock(o.summaries_mutex);
      auto it = o.summaries.find(&pool);
      if (it != o.summaries.end()) {
        if (now >= it->second.at && now - it->second.at < kSummaryInterval) return;
        before = it->second;
        known = true;
        it->second.at = now;  // claimed: a concurrent call does not log the same minute
      } else if (!is_registered(pool)) {
        return;
      }
    }
    // Not under summaries_mutex: stats() takes the pool's lock, and a lock
    // held across another is one more thing that can be held at fork().
    const Stats s = pool.stats();
    const Baseline after = baseline_of(s, now);
    {
      std::lock_guard<std::mutex> lock(o.summaries_mutex);
      o.summaries[&pool] = after;
    }
    // The first call, a clock that went back, or counters reset after fork().
    if (!known || now < before.at || after.borrows < before.borrows ||
        after.connects < before.connects) {
      return;
    }
    const std::uint64_t borrows = after.borrows - before.borrows;
    const std::uint64_t timeouts = after.timeouts - before.timeouts;
    const std::uint64_t connect_errors = after.connect_errors - before.connect_errors;
    if (borrows == 0 && timeouts == 0 && connect_errors == 0 && s.in_use == 0 && s.waiting == 0) {
      return;
    }
    const double mean_wait_ms =
        borrows == 0 ? 0.0 : (after.wait_seconds - before.wait_seconds) * 1000.0 / borrows;
    log->info(
        "pool '{}': in the last {}: {} borrows ({} took over {}ms, mean {:.3f}ms), {} acquire "
        "timeouts, {} connects ({} failed), {} closed, {} validation failures, {} leaks; now {} "
        "open ({} idle, {} in use), {} connecting, {} waiting, max {}",
        pool.name(), Took{now - before.at}, borrows, after.slow_borrows - before.slow_borrows,
        static_cast<int>(kSummarySlowSeconds * 1000), mean_wait_ms, timeouts,
        after.connects - before.connects, connect_errors, after.closes - before.closes,
        after.validation_failures - before.validation_failures, after.leaks - before.leaks, s.open,
        s.idle, s.in_use, s.opening, s.waiting, s.max_size);
  } catch (...) {
  }
}

// In a child after fork a parent thread may have held these locks: start
// over (the old state is leaked).
void reset_logging_in_child() noexcept {
  try {
    slot().mutex.store(new std::mutex());
    observations_pointer().store(new Observations(), std::memory_order_release);
  } catch (...) {
  }
}

}  // namespace odbcpool::pool
