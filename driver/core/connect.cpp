#include "connect.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "config_cache.h"
#include "connect_chain.h"
#include "connect_config.h"
#include "errors.h"
#include "ini_reader.h"
#include "logging.h"
#include "pooled_connection.h"
#include "pools.h"
#include "settings.h"
#include "target_connect.h"
#include "target_diagnostics.h"

#include <cstdio>
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

std::unique_ptr<Session> borrow(Connection& connection, const ConnectConfig& config,
                                const PoolSettings& settings, TargetLibrary& library,
                                std::vector<DiagRecord>& warnings) {
  PoolEntry entry =
      find_or_create_pool(config, settings, library, connection.env().odbc_version.load());
  pool::Lease lease = [&] {
    try {
      // Named only where a leak warning could need it: off the common path.
      return entry.pool->borrow(settings.leak_threshold > PoolSettings::Duration::zero()
                                    ? describe_borrower(connection)
                                    : std::string());
    } catch (const pool::AcquireTimeout& e) {
      throw OdbcError("HYT01", e.what());
    }
  }();
  auto session = std::make_unique<PooledSession>(entry.pool, std::move(lease), entry.settings);
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

}  // namespace

std::vector<DiagRecord> connect_logical(Connection& connection, const ConnectionString& app,
                                        bool wide) {
  if (connection.connected()) throw OdbcError("08002", "Connection name in use");
  warn_if_driver_manager_pools();
  ConnectConfig config;
  PoolSettings settings;
  TargetLibrary* library = nullptr;
  try {
    config = resolve_connect_cached(app);
    settings = parse_settings(config);
    library = &TargetLibrary::load(config.target_library);
  } catch (const OdbcError& e) {
    // The application gets the diagnostic; the operator gets the log line.
    log()->warn("connect refused: {}", masked(std::string_view(e.what())));
    throw;
  }
  const ConnectChainGuard chain_guard(config);
  config.wide = wide;
  for (const auto& w : config.warnings) log()->warn("{}", w.message);

  std::vector<DiagRecord> warnings = config.warnings;
  const std::string* target_dsn = config.target_string.find("DSN");
  connection.set_dsn_names(target_dsn != nullptr ? *target_dsn : std::string(), config.dsn);
  if (!settings.pooling) {
    auto target =
        open_target_connection(*library, connection.env().odbc_version.load(), config.target_string,
                               connection.pending(), warnings, config.wide);
    connection.attach_session(make_direct_session(std::move(target)));
  } else {
    connection.attach_session(borrow(connection, config, settings, *library, warnings));
  }
  return warnings;
}

void disconnect_logical(Connection& connection) {
  std::unique_ptr<Session> session = connection.detach_session();
  if (!session) throw OdbcError("08003", "Connection not open");
  connection.free_children(/*tell_target=*/!session->inherited());
  session->end();
}

}  // namespace odbcpool
