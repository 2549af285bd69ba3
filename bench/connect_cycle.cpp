// connect_cycle: how often a program that connects around every unit of work
// gets its work done, through whatever the Driver Manager is configured to
// load (a driver directly, unixODBC's own pool, or odbcpool).
//
// One cycle, per thread, in a loop:
//   [SQLAllocHandle(ENV) + SQL_ATTR_ODBC_VERSION]   with --env-per-cycle
//   SQLAllocHandle(DBC), SQLDriverConnect, SQLAllocHandle(STMT),
//   SQLExecDirect("SELECT 1"), SQLFetch, SQLGetData, SQLFreeHandle(STMT),
//   SQLDisconnect, SQLFreeHandle(DBC)
//   [SQLFreeHandle(ENV)]
// In --mode kept-open each thread connects once and loops on the statement
// part only: the ceiling for any pool.
//
// It prints one machine-readable line (starting with "mode=") and a human
// table, and exits non-zero if any cycle failed. Benchmarks are run by
// bench/run-connect-cycle, never by ctest.

#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string connect;  // the connection string given to SQLDriverConnect
  std::string label;    // free text copied into the result line
  std::string sql = "SELECT 1";
  std::string mode = "cycle";  // cycle | kept-open
  int threads = 1;
  double seconds = 5.0;   // 0: no time limit (then --cycles must be set)
  long cycles = 0;        // per thread; 0: no count limit
  long warmup = 0;        // per thread, before the clock starts
  long max_errors = 100;  // stop early after this many failed cycles
  bool env_per_cycle = false;
};

[[noreturn]] void usage(const char* why) {
  if (why != nullptr) std::fprintf(stderr, "connect_cycle: %s\n", why);
  std::fprintf(stderr,
               "usage: connect_cycle (--dsn NAME | --connect STRING) [options]\n"
               "  --mode cycle|kept-open   connect per cycle (default) or connect once per "
               "thread\n"
               "  --threads N              worker threads (default 1)\n"
               "  --seconds S              run for S seconds (default 5; 0: until --cycles)\n"
               "  --cycles N               stop each thread after N cycles\n"
               "  --warmup N               untimed cycles per thread before the clock starts\n"
               "  --env-per-cycle          allocate and free an environment in every cycle\n"
               "  --sql TEXT               the statement (default SELECT 1)\n"
               "  --max-errors N           stop after N failed cycles (default 100)\n"
               "  --label TEXT             copied into the result line\n");
  std::exit(2);
}

long parse_long(const char* text, const char* what, long min) {
  char* end = nullptr;
  errno = 0;
  long value = std::strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min) {
    std::fprintf(stderr, "connect_cycle: %s must be an integer >= %ld, not '%s'\n", what, min,
                 text);
    std::exit(2);
  }
  return value;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
      return argv[++i];
    };
    if (arg == "--dsn") {
      o.connect = std::string("DSN=") + value();
    } else if (arg == "--connect") {
      o.connect = value();
    } else if (arg == "--mode") {
      o.mode = value();
      if (o.mode != "cycle" && o.mode != "kept-open") usage("--mode is cycle or kept-open");
    } else if (arg == "--threads") {
      o.threads = static_cast<int>(parse_long(value(), "--threads", 1));
    } else if (arg == "--seconds") {
      const char* text = value();
      char* end = nullptr;
      o.seconds = std::strtod(text, &end);
      if (end == text || *end != '\0' || o.seconds < 0) usage("--seconds must be a number >= 0");
    } else if (arg == "--cycles") {
      o.cycles = parse_long(value(), "--cycles", 0);
    } else if (arg == "--warmup") {
      o.warmup = parse_long(value(), "--warmup", 0);
    } else if (arg == "--max-errors") {
      o.max_errors = parse_long(value(), "--max-errors", 1);
    } else if (arg == "--sql") {
      o.sql = value();
    } else if (arg == "--label") {
      o.label = value();
    } else if (arg == "--env-per-cycle") {
      o.env_per_cycle = true;
    } else if (arg == "--help" || arg == "-h") {
      usage(nullptr);
    } else {
      usage(("unknown argument " + arg).c_str());
    }
  }
  if (o.connect.empty()) usage("--dsn or --connect is required");
  if (o.seconds == 0 && o.cycles == 0) usage("give --seconds or --cycles");
  if (o.mode == "kept-open" && o.env_per_cycle) usage("--env-per-cycle needs --mode cycle");
  return o;
}

// The first few failures, with what the driver said, for the report.
class ErrorLog {
 public:
  static constexpr std::size_t kKept = 5;

  void add(const std::string& what) {
    count_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(mutex_);
    if (first_.size() < kKept) first_.push_back(what);
  }
  long count() const { return count_.load(std::memory_order_relaxed); }
  std::vector<std::string> first() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return first_;
  }

 private:
  std::atomic<long> count_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> first_;
};

std::string diagnostics(SQLSMALLINT type, SQLHANDLE handle) {
  std::string text;
  if (handle == SQL_NULL_HANDLE) return "(no handle)";
  for (SQLSMALLINT record = 1; record <= 3; ++record) {
    SQLCHAR state[6] = {0};
    SQLCHAR message[1024] = {0};
    SQLINTEGER native = 0;
    SQLSMALLINT length = 0;
    SQLRETURN rc = SQLGetDiagRec(type, handle, record, state, &native, message,
                                 static_cast<SQLSMALLINT>(sizeof message), &length);
    if (!SQL_SUCCEEDED(rc)) break;
    if (!text.empty()) text += " | ";
    text += reinterpret_cast<char*>(state);
    text += ' ';
    std::string m = reinterpret_cast<char*>(message);
    std::replace(m.begin(), m.end(), '\n', ' ');
    std::replace(m.begin(), m.end(), '\t', ' ');
    while (!m.empty() && m.back() == ' ') m.pop_back();
    text += m;
  }
  return text.empty() ? "(no diagnostic record)" : text;
}

struct Failure {
  std::string what;
};

// Throws Failure with the step's name and the handle's diagnostics.
void check(SQLRETURN rc, const char* step, SQLSMALLINT type, SQLHANDLE handle) {
  if (SQL_SUCCEEDED(rc)) return;
  throw Failure{std::string(step) + ": " + diagnostics(type, handle)};
}

SQLHENV new_environment() {
  SQLHENV env = SQL_NULL_HENV;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env))) {
    throw Failure{"SQLAllocHandle(ENV) failed"};
  }
  SQLRETURN rc =
      SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION,
                    reinterpret_cast<SQLPOINTER>(static_cast<intptr_t>(SQL_OV_ODBC3)), 0);
  if (!SQL_SUCCEEDED(rc)) {
    std::string what = "SQLSetEnvAttr(ODBC_VERSION): " + diagnostics(SQL_HANDLE_ENV, env);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    throw Failure{what};
  }
  return env;
}

// Connection and statement handles that are released whatever happens, in
// the order an application releases them.
class Session {
 public:
  explicit Session(SQLHENV env) {
    check(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc_), "SQLAllocHandle(DBC)", SQL_HANDLE_ENV, env);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() {
    if (connected_) SQLDisconnect(dbc_);
    if (dbc_ != SQL_NULL_HDBC) SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
  }

  // Returns the time SQLDriverConnect alone took.
  Clock::duration connect(const std::string& text) {
    SQLCHAR out[1024];
    SQLSMALLINT out_length = 0;
    Clock::time_point start = Clock::now();
    SQLRETURN rc = SQLDriverConnect(
        dbc_, nullptr, reinterpret_cast<SQLCHAR*>(const_cast<char*>(text.c_str())), SQL_NTS, out,
        static_cast<SQLSMALLINT>(sizeof out), &out_length, SQL_DRIVER_NOPROMPT);
    Clock::duration took = Clock::now() - start;
    check(rc, "SQLDriverConnect", SQL_HANDLE_DBC, dbc_);
    connected_ = true;
    return took;
  }

  void disconnect() {
    connected_ = false;
    check(SQLDisconnect(dbc_), "SQLDisconnect", SQL_HANDLE_DBC, dbc_);
  }

  // Allocate a statement, run the query, read the first column of the first
  // row, free the statement.
  void query(const std::string& sql, bool expect_one) {
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    check(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt), "SQLAllocHandle(STMT)", SQL_HANDLE_DBC,
          dbc_);
    try {
      check(
          SQLExecDirect(stmt, reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())), SQL_NTS),
          "SQLExecDirect", SQL_HANDLE_STMT, stmt);
      SQLRETURN rc = SQLFetch(stmt);
      if (rc == SQL_NO_DATA) throw Failure{"SQLFetch: no row"};
      check(rc, "SQLFetch", SQL_HANDLE_STMT, stmt);
      char value[64] = {0};
      SQLLEN indicator = 0;
      check(SQLGetData(stmt, 1, SQL_C_CHAR, value, sizeof value, &indicator), "SQLGetData",
            SQL_HANDLE_STMT, stmt);
      if (expect_one && (indicator == SQL_NULL_DATA || std::strcmp(value, "1") != 0)) {
        throw Failure{std::string("SELECT 1 returned '") + value + "'"};
      }
    } catch (...) {
      SQLFreeHandle(SQL_HANDLE_STMT, stmt);
      throw;
    }
    check(SQLFreeHandle(SQL_HANDLE_STMT, stmt), "SQLFreeHandle(STMT)", SQL_HANDLE_DBC, dbc_);
  }

 private:
  SQLHDBC dbc_ = SQL_NULL_HDBC;
  bool connected_ = false;
};

class Environment {
 public:
  explicit Environment(SQLHENV env) : env_(env) {}
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  ~Environment() {
    if (env_ != SQL_NULL_HENV) SQLFreeHandle(SQL_HANDLE_ENV, env_);
  }
  SQLHENV get() const { return env_; }

 private:
  SQLHENV env_;
};

// Holds every worker until all have warmed up, then lets them go at once.
class StartGate {
 public:
  explicit StartGate(int parties) : waiting_(parties) {}

  void arrive_and_wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (--waiting_ == 0) {
      start_ = Clock::now();
      open_ = true;
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return open_; });
    }
  }
  Clock::time_point start() const { return start_; }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int waiting_;
  bool open_ = false;
  Clock::time_point start_;
};

struct WorkerResult {
  std::vector<std::int64_t> connect_ns;
  std::vector<std::int64_t> cycle_ns;
  long cycles = 0;  // successful, timed
  Clock::time_point finish;
};

class Worker {
 public:
  Worker(const Options& options, SQLHENV shared_env, StartGate& gate, ErrorLog& errors,
         std::atomic<bool>& stop)
      : o_(options), shared_env_(shared_env), gate_(gate), errors_(errors), stop_(stop) {}

  WorkerResult run() {
    WorkerResult result;
    std::size_t expected = o_.cycles > 0 ? static_cast<std::size_t>(o_.cycles) : 1u << 16;
    result.cycle_ns.reserve(expected);
    if (o_.mode == "cycle") result.connect_ns.reserve(expected);

    std::unique_ptr<Session> kept;
    if (o_.mode == "kept-open") {
      // The connect is not part of the loop; it is reported as such.
      try {
        kept = std::make_unique<Session>(shared_env_);
        result.connect_ns.push_back(ns(kept->connect(o_.connect)));
      } catch (const Failure& f) {
        errors_.add(f.what);
        kept.reset();
      }
    }

    for (long i = 0; i < o_.warmup && !stop_.load(std::memory_order_relaxed); ++i) {
      one(kept.get(), nullptr);
    }
    gate_.arrive_and_wait();
    if (o_.mode == "kept-open" && !kept) {
      result.finish = Clock::now();
      return result;
    }

    const Clock::time_point deadline =
        o_.seconds > 0 ? gate_.start() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(o_.seconds))
                       : Clock::time_point::max();
    for (long n = 0; o_.cycles == 0 || n < o_.cycles; ++n) {
      if (stop_.load(std::memory_order_relaxed)) break;
      Clock::time_point start = Clock::now();
      if (start >= deadline) break;
      if (one(kept.get(), &result)) {
        result.cycle_ns.push_back(ns(Clock::now() - start));
        ++result.cycles;
      }
    }
    result.finish = Clock::now();
    return result;
  }

 private:
  static std::int64_t ns(Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  }

  // One cycle; records the connect latency into `result` unless warming up.
  bool one(Session* kept, WorkerResult* result) {
    const bool expect_one = o_.sql == "SELECT 1";
    try {
      if (kept != nullptr) {
        kept->query(o_.sql, expect_one);
        return true;
      }
      std::unique_ptr<Environment> own_env;
      SQLHENV env = shared_env_;
      if (o_.env_per_cycle) {
        own_env = std::make_unique<Environment>(new_environment());
        env = own_env->get();
      }
      {
        Session session(env);
        Clock::duration took = session.connect(o_.connect);
        session.query(o_.sql, expect_one);
        session.disconnect();
        if (result != nullptr) result->connect_ns.push_back(ns(took));
      }
      return true;
    } catch (const Failure& f) {
      errors_.add(f.what);
      if (errors_.count() >= o_.max_errors) stop_.store(true);
      return false;
    }
  }

  const Options& o_;
  SQLHENV shared_env_;
  StartGate& gate_;
  ErrorLog& errors_;
  std::atomic<bool>& stop_;
};

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // microseconds
  std::size_t n = 0;
};

// Nearest-rank percentiles.
Percentiles percentiles(std::vector<std::int64_t>& samples) {
  Percentiles p;
  p.n = samples.size();
  if (samples.empty()) return p;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    std::size_t rank = static_cast<std::size_t>(q * static_cast<double>(samples.size()) + 0.999999);
    rank = std::clamp<std::size_t>(rank, 1, samples.size());
    return static_cast<double>(samples[rank - 1]) / 1000.0;
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.max = static_cast<double>(samples.back()) / 1000.0;
  return p;
}

// The result line must stay on one line and split on spaces.
std::string token(std::string text) {
  if (text.empty()) return "-";
  for (char& c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '=') c = '_';
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);

  std::unique_ptr<Environment> shared;
  if (!o.env_per_cycle) {
    try {
      shared = std::make_unique<Environment>(new_environment());
    } catch (const Failure& f) {
      std::fprintf(stderr, "connect_cycle: %s\n", f.what.c_str());
      return 1;
    }
  }

  ErrorLog errors;
  std::atomic<bool> stop{false};
  StartGate gate(o.threads);
  std::vector<WorkerResult> results(static_cast<std::size_t>(o.threads));
  std::vector<std::thread> threads;
  for (int t = 0; t < o.threads; ++t) {
    threads.emplace_back([&, t] {
      Worker worker(o, shared ? shared->get() : SQL_NULL_HENV, gate, errors, stop);
      results[static_cast<std::size_t>(t)] = worker.run();
    });
  }
  for (auto& thread : threads) thread.join();

  long cycles = 0;
  Clock::time_point finish = gate.start();
  std::vector<std::int64_t> connect_ns;
  std::vector<std::int64_t> cycle_ns;
  for (auto& r : results) {
    cycles += r.cycles;
    finish = std::max(finish, r.finish);
    connect_ns.insert(connect_ns.end(), r.connect_ns.begin(), r.connect_ns.end());
    cycle_ns.insert(cycle_ns.end(), r.cycle_ns.begin(), r.cycle_ns.end());
  }
  const double seconds = std::chrono::duration<double>(finish - gate.start()).count();
  const double rate = seconds > 0 ? static_cast<double>(cycles) / seconds : 0.0;
  const Percentiles connect = percentiles(connect_ns);
  const Percentiles cycle = percentiles(cycle_ns);
  const std::vector<std::string> first_errors = errors.first();

  std::printf(
      "mode=%s label=%s threads=%d env_per_cycle=%d cycles=%ld seconds=%.3f cycles_per_s=%.1f "
      "connects=%zu connect_p50_us=%.1f connect_p90_us=%.1f connect_p99_us=%.1f "
      "connect_max_us=%.1f cycle_p50_us=%.1f cycle_p99_us=%.1f errors=%ld first_error=%s\n",
      o.mode.c_str(), token(o.label).c_str(), o.threads, o.env_per_cycle ? 1 : 0, cycles, seconds,
      rate, connect.n, connect.p50, connect.p90, connect.p99, connect.max, cycle.p50, cycle.p99,
      errors.count(), first_errors.empty() ? "-" : token(first_errors.front()).c_str());

  std::printf("\n  %-28s %s\n", "connection string", o.connect.c_str());
  std::printf("  %-28s %s%s, %d thread(s)\n", "mode", o.mode.c_str(),
              o.env_per_cycle ? " (new environment per cycle)" : "", o.threads);
  std::printf("  %-28s %ld in %.3f s\n", "cycles", cycles, seconds);
  std::printf("  %-28s %.1f\n", "cycles/s", rate);
  std::printf("  %-28s %10s %10s %10s %10s\n", "", "p50", "p90", "p99", "max");
  std::printf("  %-28s %10.1f %10.1f %10.1f %10.1f\n",
              o.mode == "kept-open" ? "first connect us" : "connect us", connect.p50, connect.p90,
              connect.p99, connect.max);
  std::printf("  %-28s %10.1f %10.1f %10.1f %10.1f\n", "cycle us", cycle.p50, cycle.p90, cycle.p99,
              cycle.max);
  std::printf("  %-28s %ld\n", "errors", errors.count());
  for (const std::string& e : first_errors) std::printf("    %s\n", e.c_str());
  std::fflush(stdout);

  return errors.count() == 0 && cycles > 0 ? 0 : 1;
}
