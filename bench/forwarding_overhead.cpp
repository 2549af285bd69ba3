// forwarding_overhead: what a driver in between (odbcpool) adds to ordinary
// statement work on an open connection.
//
// Two connections are opened in one process, A (the target driver directly)
// and B (the same target through odbcpool); each prepares the same statement
// once. Then, in alternating rounds so that both see the same machine state,
// each executes it and fetches every row (SQLExecute, SQLFetch until
// SQL_NO_DATA with one bound column, SQLFreeStmt(SQL_CLOSE)) for a fixed
// time. The median of the per-round rates is compared.
//
// Prints one machine-readable line (starting with "mode=forwarding") and a
// short table; exits non-zero on any error.

#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string a;  // connection string of the direct connection
  std::string b;  // connection string of the forwarded connection
  std::string sql = "SELECT i FROM generate_series(1,100) AS g(i)";
  int rounds = 10;
  double round_seconds = 0.5;
  long warmup = 200;
  // --side: run only one side, a fixed number of executions, untimed (for
  // counting instructions under valgrind, which is slow and needs no clock).
  std::string side;
  long executions = 0;
};

[[noreturn]] void usage(const char* why) {
  if (why != nullptr) std::fprintf(stderr, "forwarding_overhead: %s\n", why);
  std::fprintf(stderr,
               "usage: forwarding_overhead --direct CONNSTR --forwarded CONNSTR [options]\n"
               "  --sql TEXT            the prepared statement (default: 100 rows from "
               "generate_series)\n"
               "  --rounds N            alternating rounds per side (default 10)\n"
               "  --round-seconds S     length of one round (default 0.5)\n"
               "  --warmup N            untimed executions per side first (default 200)\n"
               "  --side direct|forwarded --executions N\n"
               "                        only connect that side and run N executions, untimed\n");
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
      return argv[++i];
    };
    if (arg == "--direct") {
      o.a = value();
    } else if (arg == "--forwarded") {
      o.b = value();
    } else if (arg == "--sql") {
      o.sql = value();
    } else if (arg == "--rounds") {
      o.rounds = std::atoi(value());
      if (o.rounds < 1) usage("--rounds must be >= 1");
    } else if (arg == "--round-seconds") {
      o.round_seconds = std::atof(value());
      if (o.round_seconds <= 0) usage("--round-seconds must be > 0");
    } else if (arg == "--warmup") {
      o.warmup = std::atol(value());
      if (o.warmup < 0) usage("--warmup must be >= 0");
    } else if (arg == "--side") {
      o.side = value();
      if (o.side != "direct" && o.side != "forwarded") usage("--side is direct or forwarded");
    } else if (arg == "--executions") {
      o.executions = std::atol(value());
      if (o.executions < 1) usage("--executions must be >= 1");
    } else if (arg == "--help" || arg == "-h") {
      usage(nullptr);
    } else {
      usage(("unknown argument " + arg).c_str());
    }
  }
  if (!o.side.empty()) {
    if ((o.side == "direct" ? o.a : o.b).empty()) usage(("--side needs --" + o.side).c_str());
    if (o.executions == 0) usage("--side needs --executions");
    return o;
  }
  if (o.a.empty() || o.b.empty()) usage("--direct and --forwarded are required");
  return o;
}

[[noreturn]] void fail(const char* step, SQLSMALLINT type, SQLHANDLE handle) {
  std::string text;
  for (SQLSMALLINT record = 1; handle != SQL_NULL_HANDLE && record <= 3; ++record) {
    SQLCHAR state[6] = {0};
    SQLCHAR message[1024] = {0};
    SQLINTEGER native = 0;
    SQLSMALLINT length = 0;
    if (!SQL_SUCCEEDED(SQLGetDiagRec(type, handle, record, state, &native, message,
                                     static_cast<SQLSMALLINT>(sizeof message), &length))) {
      break;
    }
    text +=
        std::string(" ") + reinterpret_cast<char*>(state) + " " + reinterpret_cast<char*>(message);
  }
  std::printf("mode=forwarding errors=1 first_error=%s\n", step);
  std::fprintf(stderr, "forwarding_overhead: %s failed:%s\n", step, text.c_str());
  std::exit(1);
}

void check(SQLRETURN rc, const char* step, SQLSMALLINT type, SQLHANDLE handle) {
  if (!SQL_SUCCEEDED(rc)) fail(step, type, handle);
}

// One open connection with the statement prepared and its column bound.
class Prepared {
 public:
  Prepared(SQLHENV env, const std::string& connect, const std::string& sql) {
    check(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc_), "SQLAllocHandle(DBC)", SQL_HANDLE_ENV, env);
    SQLCHAR out[1024];
    SQLSMALLINT out_length = 0;
    check(SQLDriverConnect(
              dbc_, nullptr, reinterpret_cast<SQLCHAR*>(const_cast<char*>(connect.c_str())),
              SQL_NTS, out, static_cast<SQLSMALLINT>(sizeof out), &out_length, SQL_DRIVER_NOPROMPT),
          "SQLDriverConnect", SQL_HANDLE_DBC, dbc_);
    check(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt_), "SQLAllocHandle(STMT)", SQL_HANDLE_DBC,
          dbc_);
    check(SQLPrepare(stmt_, reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())), SQL_NTS),
          "SQLPrepare", SQL_HANDLE_STMT, stmt_);
    check(SQLBindCol(stmt_, 1, SQL_C_SLONG, &value_, 0, &indicator_), "SQLBindCol", SQL_HANDLE_STMT,
          stmt_);
  }
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  ~Prepared() {
    SQLFreeHandle(SQL_HANDLE_STMT, stmt_);
    SQLDisconnect(dbc_);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
  }

  // Executes once and fetches every row; returns the row count. The sum of
  // the values of the last execution is kept to compare the two sides.
  long run() {
    check(SQLExecute(stmt_), "SQLExecute", SQL_HANDLE_STMT, stmt_);
    long rows = 0;
    checksum_ = 0;
    for (;;) {
      SQLRETURN rc = SQLFetch(stmt_);
      if (rc == SQL_NO_DATA) break;
      check(rc, "SQLFetch", SQL_HANDLE_STMT, stmt_);
      checksum_ += value_;
      ++rows;
    }
    check(SQLFreeStmt(stmt_, SQL_CLOSE), "SQLFreeStmt(SQL_CLOSE)", SQL_HANDLE_STMT, stmt_);
    return rows;
  }

  std::int64_t checksum() const { return checksum_; }

 private:
  SQLHDBC dbc_ = SQL_NULL_HDBC;
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
  SQLINTEGER value_ = 0;
  SQLLEN indicator_ = 0;
  std::int64_t checksum_ = 0;
};

// Executions per second over one round.
double round_rate(Prepared& p, double seconds, long expect_rows) {
  const Clock::time_point start = Clock::now();
  const Clock::time_point end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  long n = 0;
  Clock::time_point now = start;
  while (now < end) {
    long rows = p.run();
    if (rows != expect_rows) {
      std::printf("mode=forwarding errors=1 first_error=row_count\n");
      std::fprintf(stderr, "forwarding_overhead: %ld rows, expected %ld\n", rows, expect_rows);
      std::exit(1);
    }
    ++n;
    now = Clock::now();
  }
  return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);

  SQLHENV env = SQL_NULL_HENV;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env))) {
    std::fprintf(stderr, "forwarding_overhead: SQLAllocHandle(ENV) failed\n");
    return 1;
  }
  check(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION,
                      reinterpret_cast<SQLPOINTER>(static_cast<intptr_t>(SQL_OV_ODBC3)), 0),
        "SQLSetEnvAttr", SQL_HANDLE_ENV, env);

  if (!o.side.empty()) {
    long rows = 0;
    {
      Prepared one(env, o.side == "direct" ? o.a : o.b, o.sql);
      for (long i = 0; i < o.executions; ++i) rows = one.run();
    }
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    std::printf("mode=forwarding-count side=%s executions=%ld rows=%ld errors=0\n", o.side.c_str(),
                o.executions, rows);
    return 0;
  }

  std::vector<double> direct_rates;
  std::vector<double> forwarded_rates;
  long rows = 0;
  {
    Prepared direct(env, o.a, o.sql);
    Prepared forwarded(env, o.b, o.sql);
    rows = direct.run();
    if (forwarded.run() != rows) {
      std::fprintf(stderr, "forwarding_overhead: the two connections return different rows\n");
      return 1;
    }
    for (long i = 0; i < o.warmup; ++i) {
      direct.run();
      forwarded.run();
    }
    // Alternate, and alternate who goes first, so that neither side always
    // runs right after the other.
    for (int r = 0; r < o.rounds; ++r) {
      if (r % 2 == 0) {
        direct_rates.push_back(round_rate(direct, o.round_seconds, rows));
        forwarded_rates.push_back(round_rate(forwarded, o.round_seconds, rows));
      } else {
        forwarded_rates.push_back(round_rate(forwarded, o.round_seconds, rows));
        direct_rates.push_back(round_rate(direct, o.round_seconds, rows));
      }
    }
    if (direct.checksum() != forwarded.checksum()) {
      std::fprintf(stderr, "forwarding_overhead: the two connections returned different values\n");
      return 1;
    }
  }
  SQLFreeHandle(SQL_HANDLE_ENV, env);

  const double a = median(direct_rates);
  const double b = median(forwarded_rates);
  // Overhead as extra time per execution through the forwarding driver.
  const double overhead_pct = (a / b - 1.0) * 100.0;
  std::printf(
      "mode=forwarding rows=%ld rounds=%d round_seconds=%.2f direct_exec_per_s=%.1f "
      "forwarded_exec_per_s=%.1f direct_us=%.2f forwarded_us=%.2f overhead_pct=%.2f "
      "direct_min=%.1f direct_max=%.1f forwarded_min=%.1f forwarded_max=%.1f errors=0\n",
      rows, o.rounds, o.round_seconds, a, b, 1e6 / a, 1e6 / b, overhead_pct,
      *std::min_element(direct_rates.begin(), direct_rates.end()),
      *std::max_element(direct_rates.begin(), direct_rates.end()),
      *std::min_element(forwarded_rates.begin(), forwarded_rates.end()),
      *std::max_element(forwarded_rates.begin(), forwarded_rates.end()));
  std::printf("\n  statement   %s (%ld rows, prepared once, executed and fetched in a loop)\n",
              o.sql.c_str(), rows);
  std::printf("  %-10s %14s %12s\n", "", "executions/s", "us/exec");
  std::printf("  %-10s %14.1f %12.2f\n", "direct", a, 1e6 / a);
  std::printf("  %-10s %14.1f %12.2f\n", "forwarded", b, 1e6 / b);
  std::printf("  overhead   %+.2f%% per execution (median of %d rounds of %.2f s each)\n",
              overhead_pct, o.rounds, o.round_seconds);
  return 0;
}
