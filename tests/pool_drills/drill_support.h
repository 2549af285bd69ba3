// Small ODBC helpers for the pool drills: RAII handles over the plain ANSI
// C API of the unixODBC Driver Manager (the drills never link the driver),
// connection strings that give every drill its own pool, a direct
// connection for inspecting the server, and child processes with a timeout.
//
// Failures throw DrillError carrying every diagnostic record of the handle,
// so that GoogleTest reports the driver's own words.
#pragma once

#include <sql.h>
#include <sqlext.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace drills {

using Clock = std::chrono::steady_clock;

class DrillError : public std::runtime_error {
 public:
  DrillError(const std::string& what, std::string sqlstate)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  // The first diagnostic record's SQLSTATE, empty when there was none.
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

struct DiagRecord {
  std::string sqlstate;
  SQLINTEGER native = 0;
  std::string message;
};

// Every diagnostic record of a handle (SQLGetDiagRec, ANSI).
std::vector<DiagRecord> diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle);
// "[SQLSTATE] message | [SQLSTATE] message ..."
std::string describe(const std::vector<DiagRecord>& records);

// An environment handle with SQL_ATTR_ODBC_VERSION = 3 (or `odbc_version`).
class Env {
 public:
  explicit Env(SQLINTEGER odbc_version = SQL_OV_ODBC3);
  ~Env();
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  SQLHENV get() const { return env_; }

 private:
  SQLHENV env_ = SQL_NULL_HENV;
};

// A connection handle. The destructor disconnects (if connected) and frees.
class Connection {
 public:
  explicit Connection(SQLHENV env);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  SQLHDBC get() const { return dbc_; }
  bool connected() const { return connected_; }

  // SQLDriverConnect (SQL_DRIVER_NOPROMPT). Returns the SQLRETURN; on failure
  // the diagnostics are kept in last_diagnostics().
  SQLRETURN try_connect(const std::string& connection_string);
  // The same with SQLDriverConnectW (the string is ASCII).
  SQLRETURN try_connect_wide(const std::string& connection_string);
  // SQLConnect with a DSN, user and password.
  SQLRETURN try_connect(const std::string& dsn, const std::string& user,
                        const std::string& password);
  void connect(const std::string& connection_string);
  SQLRETURN try_disconnect();
  void disconnect();
  // Forget the connection without SQLDisconnect (for a forked child's copy
  // that has been disconnected there, or a handle deliberately leaked).
  void forget() {
    connected_ = false;
    dbc_ = SQL_NULL_HDBC;
  }

  // Runs the statement and discards any result.
  void execute(const std::string& sql);
  // The first column of the first row as text ("" for NULL); throws when
  // there is no row.
  std::string query(const std::string& sql);
  long long query_int(const std::string& sql);
  // Every row's first column, as text.
  std::vector<std::string> query_column(const std::string& sql);

  SQLULEN get_attr(SQLINTEGER attribute);
  void set_attr(SQLINTEGER attribute, SQLULEN value);

  const std::vector<DiagRecord>& last_diagnostics() const { return last_; }

 private:
  [[noreturn]] void fail(const std::string& call, SQLSMALLINT handle_type, SQLHANDLE handle);

  SQLHDBC dbc_ = SQL_NULL_HDBC;
  bool connected_ = false;
  std::vector<DiagRecord> last_;
};

// ---- the test environment (tests/support/TestEnvironment.cmake)

// The environment variable, or `fallback` when unset or empty.
std::string env_or(const char* name, const std::string& fallback);
// Throws when the variable is unset or empty.
std::string env_required(const char* name);

// The DSNs written by tests/support/write-test-ini.
inline constexpr const char* kPooledDsn = "pg_unicode_pooled";
inline constexpr const char* kDirectDsn = "pg_unicode_direct";
inline constexpr const char* kUser = "odbcpool";
inline constexpr const char* kPassword = "odbcpool-secret";

// "<tag>_<process id>": the application_name a drill's backends carry, so
// that pg_stat_activity finds exactly them.
std::string app_name(const std::string& tag);
// A connection string for `dsn` whose target connection string carries
// ConnSettings=SET application_name='<app>' (psqlODBC runs it after
// connecting), which also makes the pool key, and so the pool, the drill's
// own. `extra` is appended verbatim ("PoolMaxSize=1;...").
std::string pooled_string(const std::string& app, const std::string& extra = "",
                          const std::string& dsn = kPooledDsn);
std::string direct_string(const std::string& app = "");

// A direct (unpooled) connection as the superuser, for inspecting and
// manipulating the server: pg_stat_activity, pg_terminate_backend, DDL.
class Admin {
 public:
  Admin();
  Connection& connection() { return connection_; }
  // Backend pids whose application_name is `app`, ascending.
  std::vector<long long> backends(const std::string& app);
  // "idle", "idle in transaction", ..., or "" when the backend is gone.
  std::string backend_state(long long pid);
  // pg_terminate_backend on every backend of `app`; returns how many, and
  // waits (up to 10 s) until they have left pg_stat_activity.
  int terminate(const std::string& app);
  // Waits until no backend of `app` is left; false after `timeout`.
  bool wait_gone(const std::string& app, std::chrono::milliseconds timeout);

 private:
  Env env_;
  Connection connection_;
};

// ---- child processes

struct ChildResult {
  bool timed_out = false;
  bool exited = false;  // false: killed by a signal (or timed out)
  int status = -1;      // exit status, or the signal number
  std::chrono::duration<double> elapsed{};
  std::string describe() const;
};

// Waits for `pid` up to `timeout`; on timeout it is killed (SIGKILL) and
// reaped, and timed_out is set. `started` is when the child was forked.
ChildResult wait_child(pid_t pid, Clock::time_point started, std::chrono::milliseconds timeout);
// fork + execv of `argv` (argv[0] is the path), same environment.
ChildResult run_program(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

}  // namespace drills
