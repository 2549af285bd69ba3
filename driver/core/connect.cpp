#include "connect.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "connect_chain.h"
#include "connect_route.h"
#include "errors.h"
#include "ini_reader.h"
#include "logging.h"
#include "pooled_connection.h"
#include "pools.h"
#include "settings.h"
#include "target_connect.h"
#include "target_diagnostics.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>

namespace odbcpool {

namespace {

// A physical connection for one logical connection's sole use.
class DirectSession final : public Session {
 public:
  explicit DirectSession(std::unique_ptr<TargetConnection> target) : target_(std::move(target)) {}
  TargetConnection& target() override { return *target_; }
  void mark_broken() noexcept override {}
  void end() noexcept override {
    if (inherited()) {
      target_->abandon();
    } else {
      target_->close();
    }
  }

 private:
  std::unique_ptr<TargetConnection> target_;
};

}  // namespace

std::unique_ptr<Session> make_direct_session(std::unique_ptr<TargetConnection> target) {
  return std::make_unique<DirectSession>(std::move(target));
}

ConnectionString parse_application_string(const std::string& text) {
  try {
    return ConnectionString::parse(text);
  } catch (const ConnectionStringError& e) {
    throw OdbcError("HY000", e.what());
  }
}

ConnectionString connection_string_for(const std::string& dsn, const std::string& user,
                                       const std::string& password, bool has_user,
                                       bool has_password) {
  ConnectionString cs;
  cs.set("DSN", dsn);
  if (has_user && !user.empty()) cs.set("UID", user);
  if (has_password && !password.empty()) cs.set("PWD", password);
  return cs;
}

namespace {

// Attributes that only mean something for a physical connect; a borrowed
// connection is connected already.
bool is_preconnect_only(SQLINTEGER attribute) {
  return attribute == SQL_ATTR_LOGIN_TIMEOUT || attribute == SQL_ATTR_PACKET_SIZE ||
         attribute == SQL_ATTR_ODBC_CURSORS;
}

// Who holds a connection, for a leak warning: the application's handle and
// the process and thread that borrowed it.
std::string describe_borrower(const Connection& connection) {
  char text[128];
  std::snprintf(text, sizeof text, "connection handle %p (pid %ld, thread %ld)",
                static_cast<const void*>(&connection), static_cast<long>(::getpid()),
                static_cast<long>(::syscall(SYS_gettid)));
  return text;
}

std::unique_ptr<Session> borrow(Connection& connection, const ConnectRoute& route,
                                pool::Duration timeout, bool wide,
                                std::vector<DiagRecord>& warnings) {
  const PoolHandle& pool = route.pool;
  const pool::Kind kind = connection_kind(wide, connection.env().odbc_version.load());
  pool::Lease lease = [&] {
    try {
      // Named only where a leak warning could need it: off the common path.
      return pool.pool->borrow(pool.settings->pool.leak_threshold > pool::Duration::zero()
                                   ? describe_borrower(connection)
                                   : std::string(),
                               kind, timeout);
    } catch (const pool::AcquireTimeout& e) {
      throw OdbcError("HYT01", e.what());
    }
  }();
  auto session = std::make_unique<PooledSession>(pool.pool, std::move(lease), pool.settings);
  TargetConnection& target = session->target();
  for (const auto& attribute : connection.pending()) {
    if (is_preconnect_only(attribute.attribute)) continue;
    session->before_set_attribute(attribute.attribute, attribute.is_text);
    SQLRETURN rc = apply_connect_attribute(target.fn(), target.dbc(), attribute);
    if (rc == SQL_ERROR || rc == SQL_SUCCESS_WITH_INFO) {
      auto records = read_target_diagnostics(target.fn(), SQL_HANDLE_DBC, target.dbc());
      warnings.insert(warnings.end(), records.begin(), records.end());
    }
  }
  return session;
}

// How long a connect may take: the acquire timeout, or the application's
// SQL_ATTR_LOGIN_TIMEOUT where it set a shorter one.
pool::Duration connect_timeout(const Connection& connection, const ConnectRoute& route) {
  pool::Duration timeout =
      route.settings.pooling ? route.pool.settings->pool.acquire_timeout : pool::Duration::max();
  if (const ConnectionAttribute* login = connection.find_pending(SQL_ATTR_LOGIN_TIMEOUT)) {
    if (login->integer > 0) {
      timeout = std::min<pool::Duration>(timeout, std::chrono::seconds(login->integer));
    }
  }
  return timeout;
}

// Two pools in a row only hide each other's problems: say so, once.
void warn_if_driver_manager_pools() {
  static std::once_flag once;
  std::call_once(once, [] {
    const IniSection odbc = system_ini().driver_section("ODBC");
    const std::string* pooling = find_value(odbc, "Pooling");
    if (pooling != nullptr && (iequals(*pooling, "yes") || *pooling == "1")) {
      log()->warn(
          "the unixODBC Driver Manager's own pooling is on ([ODBC] Pooling={} in {}): odbcpool "
          "works behind it, but two pools in a row hide each other's problems; turn one off",
          *pooling, system_ini().driver_file());
    }
  });
}

// pyodbc calls SQLDriverConnect at once when SQLDriverConnectW failed, for
// any reason, on the same handle. The Driver Manager frees our connection
// handle after a failed connect, so that retry is recognised by its thread,
// its form and its target: the first ANSI connect that starts within
// kRetryWindow of a failed wide one on the same thread, to the same pool (or
// target). It ends by the first attempt's deadline, and fails at once with
// the first attempt's error when that has passed, so the application sees
// HYT01 (or a dead server's error) at the timeout and nothing is opened past
// the limit or the deadline. A retry is one fallback, not the start of a
// chain: whatever it ends in, the next connect is a fresh one.
constexpr auto kRetryWindow = std::chrono::milliseconds(100);

struct FailedConnect {
  std::shared_ptr<const ConnectRoute> route;
  std::chrono::steady_clock::time_point deadline;
  std::chrono::steady_clock::time_point ended;
  std::exception_ptr error;
  bool wide = false;

  bool retried_by(const ConnectRoute& other, bool other_wide,
                  std::chrono::steady_clock::time_point at) const {
    if (!route || !wide || other_wide || at - ended >= kRetryWindow) return false;
    return route.get() == &other ||
           (route->pool.pool != nullptr && route->pool.pool == other.pool.pool);
  }
};

thread_local FailedConnect last_failure;

}  // namespace

std::vector<DiagRecord> connect_logical(Connection& connection, const ConnectionString& app,
                                        bool wide) {
  using Clock = std::chrono::steady_clock;
  if (connection.connected()) throw OdbcError("08002", "Connection name in use");
  warn_if_driver_manager_pools();
  const Clock::time_point started = Clock::now();
  std::shared_ptr<const ConnectRoute> route = route_connect(app);
  const pool::Duration timeout = connect_timeout(connection, *route);
  Clock::time_point deadline =
      timeout >= Clock::time_point::max() - started ? Clock::time_point::max() : started + timeout;
  const bool retry = last_failure.retried_by(*route, wide, started);
  if (retry) {
    const std::exception_ptr first_error = last_failure.error;
    deadline = std::min(deadline, last_failure.deadline);
    last_failure = FailedConnect{};
    if (started >= deadline) std::rethrow_exception(first_error);
  }

  try {
    const ConnectConfig& config = route->config;
    const ConnectChainGuard chain_guard(config);
    std::vector<DiagRecord> warnings = config.warnings;
    const std::string* target_dsn = config.target_string.find("DSN");
    connection.set_dsn_names(target_dsn != nullptr ? *target_dsn : std::string(), config.dsn);
    if (!route->settings.pooling) {
      auto target =
          open_target_connection(*route->library, connection.env().odbc_version.load(),
                                 config.target_string, connection.pending(), warnings, wide);
      connection.attach_session(make_direct_session(std::move(target)));
    } else {
      connection.attach_session(borrow(connection, *route, deadline - started, wide, warnings));
    }
    last_failure = FailedConnect{};
    return warnings;
  } catch (...) {
    if (!retry) {
      last_failure =
          FailedConnect{std::move(route), deadline, Clock::now(), std::current_exception(), wide};
    }
    throw;
  }
}

void disconnect_logical(Connection& connection) {
  std::unique_ptr<Session> session = connection.detach_session();
  if (!session) throw OdbcError("08003", "Connection not open");
  connection.free_children(/*tell_target=*/!session->inherited());
  session->end();
}

}  // namespace odbcpool
