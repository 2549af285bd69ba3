#include "drill_support.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace drills {

namespace {

// A statement handle freed at end of scope.
class Statement {
 public:
  explicit Statement(SQLHDBC dbc) {
    const SQLRETURN rc = SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt_);
    if (!SQL_SUCCEEDED(rc)) {
      const auto records = diagnostics(SQL_HANDLE_DBC, dbc);
      throw DrillError("SQLAllocHandle(SQL_HANDLE_STMT) failed: " + describe(records),
                       records.empty() ? "" : records.front().sqlstate);
    }
  }
  ~Statement() { SQLFreeHandle(SQL_HANDLE_STMT, stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  SQLHSTMT get() const { return stmt_; }

  [[noreturn]] void fail(const std::string& call, const std::string& sql) const {
    const auto records = diagnostics(SQL_HANDLE_STMT, stmt_);
    throw DrillError(call + " of \"" + sql + "\" failed: " + describe(records),
                     records.empty() ? "" : records.front().sqlstate);
  }

  void execute(const std::string& sql) {
    std::string text = sql;
    const SQLRETURN rc = SQLExecDirect(stmt_, reinterpret_cast<SQLCHAR*>(text.data()),
                                       static_cast<SQLINTEGER>(text.size()));
    if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) fail("SQLExecDirect", sql);
  }

  // The first column of the next row; false when there is none.
  bool next(const std::string& sql, std::string& value) {
    const SQLRETURN rc = SQLFetch(stmt_);
    if (rc == SQL_NO_DATA) return false;
    if (!SQL_SUCCEEDED(rc)) fail("SQLFetch", sql);
    char buffer[4096];
    SQLLEN indicator = 0;
    const SQLRETURN got = SQLGetData(stmt_, 1, SQL_C_CHAR, buffer, sizeof buffer, &indicator);
    if (!SQL_SUCCEEDED(got)) fail("SQLGetData", sql);
    value = indicator == SQL_NULL_DATA ? std::string() : std::string(buffer);
    return true;
  }

 private:
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
};

}  // namespace

std::vector<DiagRecord> diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle) {
  std::vector<DiagRecord> records;
  for (SQLSMALLINT i = 1; i <= 20; ++i) {
    SQLCHAR state[6] = {};
    SQLINTEGER native = 0;
    SQLCHAR message[2048] = {};
    SQLSMALLINT length = 0;
    const SQLRETURN rc =
        SQLGetDiagRec(handle_type, handle, i, state, &native, message, sizeof message, &length);
    if (!SQL_SUCCEEDED(rc)) break;
    records.push_back({reinterpret_cast<char*>(state), native, reinterpret_cast<char*>(message)});
  }
  return records;
}

std::string describe(const std::vector<DiagRecord>& records) {
  if (records.empty()) return "(no diagnostic records)";
  std::string text;
  for (const auto& r : records) {
    if (!text.empty()) text += " | ";
    text += "[" + r.sqlstate + "] " + r.message;
  }
  return text;
}

// ---- Env

Env::Env(SQLINTEGER odbc_version) {
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env_))) {
    throw DrillError("SQLAllocHandle(SQL_HANDLE_ENV) failed", "");
  }
  const SQLRETURN rc =
      SQLSetEnvAttr(env_, SQL_ATTR_ODBC_VERSION,
                    reinterpret_cast<SQLPOINTER>(static_cast<SQLLEN>(odbc_version)), 0);
  if (!SQL_SUCCEEDED(rc)) {
    const auto records = diagnostics(SQL_HANDLE_ENV, env_);
    SQLFreeHandle(SQL_HANDLE_ENV, env_);
    throw DrillError("SQLSetEnvAttr(SQL_ATTR_ODBC_VERSION) failed: " + describe(records), "");
  }
}

Env::~Env() {
  SQLFreeHandle(SQL_HANDLE_ENV, env_);
}

// ---- Connection

Connection::Connection(SQLHENV env) {
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc_))) {
    const auto records = diagnostics(SQL_HANDLE_ENV, env);
    throw DrillError("SQLAllocHandle(SQL_HANDLE_DBC) failed: " + describe(records), "");
  }
}

Connection::~Connection() {
  if (dbc_ == SQL_NULL_HDBC) return;
  if (connected_) SQLDisconnect(dbc_);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
}

void Connection::fail(const std::string& call, SQLSMALLINT handle_type, SQLHANDLE handle) {
  const auto records = diagnostics(handle_type, handle);
  throw DrillError(call + " failed: " + describe(records),
                   records.empty() ? "" : records.front().sqlstate);
}

SQLRETURN Connection::try_connect(const std::string& connection_string) {
  std::string text = connection_string;
  SQLCHAR out[2048];
  SQLSMALLINT out_length = 0;
  const SQLRETURN rc = SQLDriverConnect(dbc_, nullptr, reinterpret_cast<SQLCHAR*>(text.data()),
                                        static_cast<SQLSMALLINT>(text.size()), out, sizeof out,
                                        &out_length, SQL_DRIVER_NOPROMPT);
  last_ = rc == SQL_SUCCESS ? std::vector<DiagRecord>{} : diagnostics(SQL_HANDLE_DBC, dbc_);
  if (SQL_SUCCEEDED(rc)) connected_ = true;
  return rc;
}

SQLRETURN Connection::try_connect_wide(const std::string& connection_string) {
  std::vector<SQLWCHAR> text(connection_string.begin(), connection_string.end());
  text.push_back(0);
  SQLWCHAR out[2048];
  SQLSMALLINT out_length = 0;
  const SQLRETURN rc = SQLDriverConnectW(dbc_, nullptr, text.data(), SQL_NTS, out, 2048,
                                         &out_length, SQL_DRIVER_NOPROMPT);
  last_ = rc == SQL_SUCCESS ? std::vector<DiagRecord>{} : diagnostics(SQL_HANDLE_DBC, dbc_);
  if (SQL_SUCCEEDED(rc)) connected_ = true;
  return rc;
}

SQLRETURN Connection::try_connect(const std::string& dsn, const std::string& user,
                                  const std::string& password) {
  std::string d = dsn, u = user, p = password;
  const SQLRETURN rc = SQLConnect(dbc_, reinterpret_cast<SQLCHAR*>(d.data()), SQL_NTS,
                                  reinterpret_cast<SQLCHAR*>(u.data()), SQL_NTS,
                                  reinterpret_cast<SQLCHAR*>(p.data()), SQL_NTS);
  last_ = rc == SQL_SUCCESS ? std::vector<DiagRecord>{} : diagnostics(SQL_HANDLE_DBC, dbc_);
  if (SQL_SUCCEEDED(rc)) connected_ = true;
  return rc;
}

void Connection::connect(const std::string& connection_string) {
  if (!SQL_SUCCEEDED(try_connect(connection_string))) {
    throw DrillError("SQLDriverConnect(\"" + connection_string + "\") failed: " + describe(last_),
                     last_.empty() ? "" : last_.front().sqlstate);
  }
}

SQLRETURN Connection::try_disconnect() {
  const SQLRETURN rc = SQLDisconnect(dbc_);
  last_ = rc == SQL_SUCCESS ? std::vector<DiagRecord>{} : diagnostics(SQL_HANDLE_DBC, dbc_);
  if (SQL_SUCCEEDED(rc)) connected_ = false;
  return rc;
}

void Connection::disconnect() {
  if (!SQL_SUCCEEDED(try_disconnect())) {
    throw DrillError("SQLDisconnect failed: " + describe(last_),
                     last_.empty() ? "" : last_.front().sqlstate);
  }
}

void Connection::execute(const std::string& sql) {
  Statement stmt(dbc_);
  stmt.execute(sql);
}

std::string Connection::query(const std::string& sql) {
  Statement stmt(dbc_);
  stmt.execute(sql);
  std::string value;
  if (!stmt.next(sql, value)) throw DrillError("\"" + sql + "\" returned no row", "");
  return value;
}

long long Connection::query_int(const std::string& sql) {
  const std::string text = query(sql);
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || errno != 0 || *end != '\0') {
    throw DrillError("\"" + sql + "\" returned '" + text + "', not an integer", "");
  }
  return value;
}

std::vector<std::string> Connection::query_column(const std::string& sql) {
  Statement stmt(dbc_);
  stmt.execute(sql);
  std::vector<std::string> values;
  std::string value;
  while (stmt.next(sql, value)) values.push_back(value);
  return values;
}

SQLULEN Connection::get_attr(SQLINTEGER attribute) {
  SQLULEN value = 0;
  if (!SQL_SUCCEEDED(SQLGetConnectAttr(dbc_, attribute, &value, sizeof value, nullptr))) {
    fail("SQLGetConnectAttr(" + std::to_string(attribute) + ")", SQL_HANDLE_DBC, dbc_);
  }
  return value;
}

void Connection::set_attr(SQLINTEGER attribute, SQLULEN value) {
  const SQLRETURN rc =
      SQLSetConnectAttr(dbc_, attribute, reinterpret_cast<SQLPOINTER>(value), SQL_IS_UINTEGER);
  if (!SQL_SUCCEEDED(rc)) {
    fail("SQLSetConnectAttr(" + std::to_string(attribute) + ", " + std::to_string(value) + ")",
         SQL_HANDLE_DBC, dbc_);
  }
}

// ---- environment

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback : std::string(value);
}

std::string env_required(const char* name) {
  const std::string value = env_or(name, "");
  if (value.empty()) {
    throw DrillError(std::string(name) +
                         " is not set: run the drills through ctest (ctest -L drills), which "
                         "sets up the test environment",
                     "");
  }
  return value;
}

std::string app_name(const std::string& tag) {
  return tag + "_" + std::to_string(static_cast<long>(getpid()));
}

std::string pooled_string(const std::string& app, const std::string& extra,
                          const std::string& dsn) {
  std::string s = "DSN=" + dsn + ";ConnSettings=SET application_name='" + app + "'";
  if (!extra.empty()) s += ";" + extra;
  return s;
}

std::string direct_string(const std::string& app) {
  std::string s = std::string("DSN=") + kDirectDsn;
  if (!app.empty()) s += ";ConnSettings=SET application_name='" + app + "'";
  return s;
}

// ---- Admin

Admin::Admin() : connection_(env_.get()) {
  connection_.connect(direct_string(app_name("drill_admin")));
  // A drill that finds the pool misbehaving (a transaction left open on a
  // pooled connection, say) must fail, not wait forever for its locks.
  connection_.execute("SET lock_timeout = '10s'");
}

std::vector<long long> Admin::backends(const std::string& app) {
  std::vector<long long> pids;
  for (const auto& text :
       connection_.query_column("SELECT pid FROM pg_stat_activity WHERE application_name = '" +
                                app + "' ORDER BY pid")) {
    pids.push_back(std::stoll(text));
  }
  return pids;
}

std::string Admin::backend_state(long long pid) {
  const auto rows = connection_.query_column(
      "SELECT coalesce(state, '?') FROM pg_stat_activity WHERE pid = " + std::to_string(pid));
  return rows.empty() ? std::string() : rows.front();
}

int Admin::terminate(const std::string& app) {
  const long long count = connection_.query_int(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '" +
      app + "'");
  if (!wait_gone(app, std::chrono::seconds(10))) {
    throw DrillError("backends of " + app + " still there 10 s after pg_terminate_backend", "");
  }
  return static_cast<int>(count);
}

bool Admin::wait_gone(const std::string& app, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (backends(app).empty()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// ---- child processes

std::string ChildResult::describe() const {
  char text[160];
  if (timed_out) {
    std::snprintf(text, sizeof text, "timed out after %.2f s and was killed", elapsed.count());
  } else if (exited) {
    std::snprintf(text, sizeof text, "exited with status %d after %.2f s", status, elapsed.count());
  } else {
    std::snprintf(text, sizeof text, "was killed by signal %d (%s) after %.2f s", status,
                  strsignal(status), elapsed.count());
  }
  return text;
}

ChildResult wait_child(pid_t pid, Clock::time_point started, std::chrono::milliseconds timeout) {
  ChildResult result;
  const auto deadline = started + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      throw DrillError(std::string("waitpid failed: ") + std::strerror(errno), "");
    }
    if (Clock::now() >= deadline) {
      result.timed_out = true;
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.elapsed = Clock::now() - started;
  if (!result.timed_out) {
    result.exited = WIFEXITED(status);
    result.status = result.exited ? WEXITSTATUS(status) : WTERMSIG(status);
  }
  return result;
}

ChildResult run_program(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  const auto started = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) throw DrillError(std::string("fork failed: ") + std::strerror(errno), "");
  if (pid == 0) {
    execv(args[0], args.data());
    std::fprintf(stderr, "execv %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  return wait_child(pid, started, timeout);
}

}  // namespace drills
