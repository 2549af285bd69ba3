#include "pooled_connection.h"

#include <cmath>
#include <cstring>

#include "connection_string.h"
#include "errors.h"
#include "logging.h"
#include "pools.h"
#include "statement_watchdog.h"
#include "target_connect.h"
#include "target_diagnostics.h"
#include "unicode.h"

namespace odbcpool {

namespace {

SQLRETURN exec_direct(const FunctionTable& fn, SQLHSTMT stmt, const std::string& sql) {
  if (fn.SQLExecDirect != nullptr) {
    std::string text = sql;
    return fn.SQLExecDirect(stmt, reinterpret_cast<SQLCHAR*>(text.data()),
                            static_cast<SQLINTEGER>(text.size()));
  }
  WideString text = to_utf16(sql);
  return fn.SQLExecDirectW(stmt, reinterpret_cast<SQLWCHAR*>(text.data()),
                           static_cast<SQLINTEGER>(text.size()));
}

// Reads every row of every result, so the connection is idle afterwards.
bool drain(const FunctionTable& fn, SQLHSTMT stmt) {
  for (;;) {
    SQLSMALLINT columns = 0;
    if (fn.SQLNumResultCols != nullptr && SQL_SUCCEEDED(fn.SQLNumResultCols(stmt, &columns)) &&
        columns > 0 && fn.SQLFetch != nullptr) {
      SQLRETURN rc;
      while (SQL_SUCCEEDED(rc = fn.SQLFetch(stmt))) {
      }
      if (rc != SQL_NO_DATA) return false;
    }
    if (fn.SQLMoreResults == nullptr) return true;
    const SQLRETURN rc = fn.SQLMoreResults(stmt);
    if (rc == SQL_NO_DATA) return true;
    if (!SQL_SUCCEEDED(rc)) return false;
  }
}

// SQL_ATTR_RESET_CONNECTION (ODBC 3.80), for headers that predate it.
#ifndef SQL_ATTR_RESET_CONNECTION
#define SQL_ATTR_RESET_CONNECTION 116
#endif
#ifndef SQL_RESET_CONNECTION_YES
#define SQL_RESET_CONNECTION_YES 1UL
#endif

// A string SQLGetInfo answer, in the form the target was connected in when
// it has it (psqlODBC Unicode answers the ANSI call on a connection opened
// wide in UTF-16: "P" for "PostgreSQL"); "" when the target does not answer.
// Its warnings are read and dropped.
std::string info_text(const FunctionTable& fn, SQLHDBC dbc, SQLUSMALLINT type, bool wide) {
  SQLRETURN rc = SQL_ERROR;
  std::string text;
  if (fn.SQLGetInfo != nullptr && !(wide && fn.SQLGetInfoW != nullptr)) {
    char buffer[256] = {};
    SQLSMALLINT length = 0;
    rc = fn.SQLGetInfo(dbc, type, buffer, sizeof buffer - 1, &length);
    if (SQL_SUCCEEDED(rc)) text = buffer;
  } else if (fn.SQLGetInfoW != nullptr) {
    SQLWCHAR buffer[256] = {};
    SQLSMALLINT length = 0;
    rc = fn.SQLGetInfoW(dbc, type, buffer, sizeof buffer - sizeof(SQLWCHAR), &length);
    std::size_t units = 0;
    while (units < 255 && buffer[units] != 0) ++units;
    if (SQL_SUCCEEDED(rc))
      text = to_utf8(WideView(reinterpret_cast<const char16_t*>(buffer), units));
  }
  if (rc == SQL_SUCCESS_WITH_INFO) read_target_diagnostics(fn, SQL_HANDLE_DBC, dbc);
  return text;
}

// "03.80" and later, as SQL_DRIVER_ODBC_VER writes it ("##.##").
bool odbc_380_or_later(const std::string& version) {
  if (version.size() < 5 || version[2] != '.') return false;
  return version.compare(0, 5, "03.80") >= 0;
}

// One statement that yields, as text, the statement putting back every
// setting the session itself set (psqlODBC's ConnSettings, PoolInitStatement):
// DISCARD ALL resets them to their defaults. What the client sent at startup
// (application_name in the connection string, client_encoding, ...) survives
// DISCARD ALL on its own. transaction_* are set per transaction, not here.
constexpr const char* kSessionSettingsQuery =
    "SELECT 'SELECT ' || string_agg(format('set_config(%L, %L, false)', name, setting), ', ' "
    "ORDER BY name) FROM pg_settings WHERE source = 'session' AND name NOT LIKE "
    "'transaction\\_%'";

// MariaDB and MySQL have no statement that resets a session (the protocol's
// COM_RESET_CONNECTION is out of an ODBC driver's reach, and Connector/ODBC
// 3.1 accepts SQL_ATTR_RESET_CONNECTION without doing anything). One query
// at open yields the SET that puts back the session variables a borrower is
// likeliest to change, and releases every named lock on the way (a user
// variable takes RELEASE_ALL_LOCKS()'s count and is cleared again).
// Temporary tables and user variables of a borrower are not undone.
std::string mysql_session_query(bool mariadb) {
  const char* isolation = mariadb ? "tx_isolation" : "transaction_isolation";
  const char* read_only = mariadb ? "tx_read_only" : "transaction_read_only";
  const char* statement_time = mariadb ? "max_statement_time" : "max_execution_time";
  std::string q = "SELECT CONCAT('SET SESSION autocommit=', @@session.autocommit";
  const auto quoted = [&](const char* name) {
    q += std::string(", ', SESSION ") + name + "=', QUOTE(@@session." + name + ")";
  };
  const auto number = [&](const char* name) {
    q += std::string(", ', SESSION ") + name + "=', @@session." + name;
  };
  quoted(isolation);
  number(read_only);
  quoted("sql_mode");
  quoted("time_zone");
  quoted("character_set_client");
  quoted("character_set_connection");
  quoted("character_set_results");
  quoted("collation_connection");
  quoted("lc_time_names");
  number("wait_timeout");
  number("interactive_timeout");
  number("net_read_timeout");
  number("net_write_timeout");
  number("sql_select_limit");
  number("foreign_key_checks");
  number("unique_checks");
  number("group_concat_max_len");
  number(statement_time);
  q += ", ', @odbcpool_released=RELEASE_ALL_LOCKS(), @odbcpool_released=NULL')";
  return q;
}

// A database name as a USE statement quotes it.
std::string use_statement(const std::string& database) {
  std::string quoted = "USE `";
  for (char c : database) {
    quoted += c;
    if (c == '`') quoted += '`';
  }
  return quoted + "`";
}

}  // namespace

PooledConnection::PooledConnection(std::unique_ptr<TargetConnection> target,
                                   std::string validation_query)
    : target_(std::move(target)), validation_query_(std::move(validation_query)) {}

bool PooledConnection::is_dead_quick() {
  SQLUINTEGER dead = SQL_CD_FALSE;
  SQLRETURN rc = read_connect_attribute(target_->fn(), target_->dbc(), SQL_ATTR_CONNECTION_DEAD,
                                        &dead, sizeof dead, nullptr);
  // A driver that does not know the attribute cannot tell: not dead.
  return SQL_SUCCEEDED(rc) && dead == SQL_CD_TRUE;
}

bool PooledConnection::execute(const std::string& sql, pool::Duration timeout, bool query_timeout) {
  const FunctionTable& fn = target_->fn();
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  if (!SQL_SUCCEEDED(fn.SQLAllocHandle(SQL_HANDLE_STMT, target_->dbc(), &stmt))) return false;
  if (query_timeout && timeout.count() > 0 &&
      (fn.SQLSetStmtAttr != nullptr || fn.SQLSetStmtAttrW != nullptr)) {
    const auto seconds =
        static_cast<SQLULEN>(std::ceil(std::chrono::duration<double>(timeout).count()));
    auto set = fn.SQLSetStmtAttr != nullptr ? fn.SQLSetStmtAttr : fn.SQLSetStmtAttrW;
    set(stmt, SQL_ATTR_QUERY_TIMEOUT, reinterpret_cast<SQLPOINTER>(seconds), SQL_IS_UINTEGER);
  }
  bool ok;
  {
    // For targets that ignore the query timeout (and as a backstop for those
    // that honour it only while waiting for the server).
    WatchdogGuard watchdog(fn, stmt, timeout);
    const SQLRETURN rc = exec_direct(fn, stmt, sql);
    ok = (SQL_SUCCEEDED(rc) || rc == SQL_NO_DATA) && drain(fn, stmt);
    ok = !watchdog.fired() && ok;
  }
  fn.SQLFreeHandle(SQL_HANDLE_STMT, stmt);
  return ok;
}

std::optional<std::string> PooledConnection::query_text(const std::string& sql,
                                                        pool::Duration timeout, bool& ok) {
  ok = false;
  const FunctionTable& fn = target_->fn();
  if (fn.SQLFetch == nullptr || fn.SQLGetData == nullptr) return std::nullopt;
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  if (!SQL_SUCCEEDED(fn.SQLAllocHandle(SQL_HANDLE_STMT, target_->dbc(), &stmt))) {
    return std::nullopt;
  }
  std::optional<std::string> value;
  {
    WatchdogGuard watchdog(fn, stmt, timeout);
    SQLRETURN rc = exec_direct(fn, stmt, sql);
    bool good = SQL_SUCCEEDED(rc);
    if (good && SQL_SUCCEEDED(rc = fn.SQLFetch(stmt))) {
      // In pieces: a long search_path does not fit any fixed buffer.
      const bool wide = target_->connected_wide();
      std::string text;
      for (;;) {
        char buffer[1024];
        SQLLEN indicator = 0;
        rc = fn.SQLGetData(stmt, 1, wide ? SQL_C_WCHAR : SQL_C_CHAR, buffer, sizeof buffer,
                           &indicator);
        if (rc == SQL_NO_DATA) break;
        if (!SQL_SUCCEEDED(rc)) {
          good = false;
          break;
        }
        if (indicator == SQL_NULL_DATA) break;
        const std::size_t terminator = wide ? sizeof(SQLWCHAR) : 1;
        std::size_t bytes = sizeof buffer - terminator;
        if (indicator != SQL_NO_TOTAL && static_cast<std::size_t>(indicator) < bytes) {
          bytes = static_cast<std::size_t>(indicator);
        }
        if (wide) {
          bytes -= bytes % sizeof(SQLWCHAR);
          text += to_utf8(
              WideView(reinterpret_cast<const char16_t*>(buffer), bytes / sizeof(SQLWCHAR)));
        } else {
          text.append(buffer, bytes);
        }
        if (!value) value.emplace();
        if (rc == SQL_SUCCESS) break;
      }
      if (value) value = std::move(text);
    } else if (good && rc != SQL_NO_DATA) {
      good = false;
    }
    if (good) {
      if (fn.SQLCloseCursor != nullptr) fn.SQLCloseCursor(stmt);
      ok = !watchdog.fired();
    }
  }
  fn.SQLFreeHandle(SQL_HANDLE_STMT, stmt);
  if (!ok) value.reset();
  return value;
}

bool PooledConnection::choose_session_reset(const PoolSettings& settings) {
  switch (settings.reset) {
    case ResetStatement::None:
      session_reset_ = SessionReset::Nothing;
      return true;
    case ResetStatement::Sql:
      session_reset_ = SessionReset::Sql;
      return true;
    case ResetStatement::Auto:
      break;
  }
  const FunctionTable& fn = target_->fn();
  const bool wide = target_->connected_wide();
  const std::string dbms = info_text(fn, target_->dbc(), SQL_DBMS_NAME, wide);
  if (iequals(dbms, "MariaDB") || iequals(dbms, "MySQL")) {
    bool ok = false;
    std::optional<std::string> restore = query_text(mysql_session_query(iequals(dbms, "MariaDB")),
                                                    settings.pool.validation_timeout, ok);
    if (!ok || !restore) return false;
    std::optional<std::string> database =
        query_text("SELECT DATABASE()", settings.pool.validation_timeout, ok);
    if (!ok) return false;
    session_reset_ = SessionReset::Restore;
    restore_settings_ = std::move(*restore);
    restore_database_ = database ? use_statement(*database) : std::string();
    log()->debug("PoolResetStatement=auto: on return {}, UNLOCK TABLES{}{}", restore_settings_,
                 restore_database_.empty() ? "" : ", ", restore_database_);
    return true;
  }
  if (iequals(dbms, "PostgreSQL")) {
    bool ok = false;
    std::optional<std::string> restore =
        query_text(kSessionSettingsQuery, settings.pool.validation_timeout, ok);
    if (!ok) return false;
    session_reset_ = SessionReset::Discard;
    restore_settings_ = restore.value_or("");
    log()->debug("PoolResetStatement=auto: DISCARD ALL on return{}{}",
                 restore_settings_.empty() ? "" : ", then ", restore_settings_);
    return true;
  }
  if (fn.SQLSetConnectAttr != nullptr || fn.SQLSetConnectAttrW != nullptr) {
    if (odbc_380_or_later(info_text(fn, target_->dbc(), SQL_DRIVER_ODBC_VER, wide))) {
      session_reset_ = SessionReset::Attribute;
      log()->debug("PoolResetStatement=auto: SQL_ATTR_RESET_CONNECTION on return");
      return true;
    }
  }
  session_reset_ = SessionReset::Nothing;
  return true;
}

bool PooledConnection::reset_session(const PoolSettings& settings) {
  const pool::Duration timeout = settings.pool.validation_timeout;
  switch (session_reset_) {
    case SessionReset::Nothing:
      return true;
    case SessionReset::Sql:
      return execute(settings.reset_statement, timeout);
    case SessionReset::Discard:
      // Not in a transaction block: reset() has rolled back and put
      // autocommit back on first. Bounded by the watchdog only: psqlODBC
      // carries out a query timeout by SET statement_timeout, and puts 0
      // back afterwards, not the session's value being restored here.
      return execute("DISCARD ALL", timeout, false) &&
             (restore_settings_.empty() || execute(restore_settings_, timeout, false));
    case SessionReset::Restore:
      // reset() has rolled back first: setting autocommit commits nothing.
      return execute(restore_settings_, timeout) && execute("UNLOCK TABLES", timeout) &&
             (restore_database_.empty() || execute(restore_database_, timeout));
    case SessionReset::Attribute: {
      ConnectionAttribute a;
      a.attribute = SQL_ATTR_RESET_CONNECTION;
      a.integer = SQL_RESET_CONNECTION_YES;
      return apply_quietly(target_->fn(), target_->dbc(), a);
    }
  }
  return false;
}

bool PooledConnection::ping(pool::Duration timeout) {
  return execute(validation_query_, timeout);
}

bool PooledConnection::remember_initial(SQLINTEGER attribute, bool is_text) {
  if (initial_.count(attribute) != 0) return true;
  ConnectionAttribute a;
  a.attribute = attribute;
  a.is_text = is_text;
  const FunctionTable& fn = target_->fn();
  SQLRETURN rc;
  if (is_text) {
    if (fn.SQLGetConnectAttr != nullptr) {
      char buffer[4096] = {};
      SQLINTEGER length = 0;
      rc = fn.SQLGetConnectAttr(target_->dbc(), attribute, buffer, sizeof buffer - 1, &length);
      a.text.assign(buffer, std::min<std::size_t>(length < 0 ? 0 : length, sizeof buffer - 1));
    } else {
      SQLWCHAR buffer[2048] = {};
      SQLINTEGER length = 0;
      rc =
          read_connect_attribute(fn, target_->dbc(), attribute, buffer, sizeof buffer - 2, &length);
      a.text = to_utf8(WideView(reinterpret_cast<const char16_t*>(buffer),
                                std::min<std::size_t>(length < 0 ? 0 : length / 2, 2047)));
    }
  } else {
    SQLULEN value = 0;
    rc = read_connect_attribute(fn, target_->dbc(), attribute, &value, sizeof value, nullptr);
    a.integer = value;
  }
  if (!SQL_SUCCEEDED(rc)) return false;
  initial_.emplace(attribute, std::move(a));
  return true;
}

const ConnectionAttribute* PooledConnection::initial(SQLINTEGER attribute) const {
  auto it = initial_.find(attribute);
  return it == initial_.end() ? nullptr : &it->second;
}

std::unique_ptr<pool::Resource> PooledConnectionFactory::open(pool::Kind kind,
                                                              pool::Duration budget) {
  std::vector<DiagRecord> warnings;
  // A database that does not answer must not hold a borrower past its
  // acquire timeout. Login timeouts are whole seconds; zero means none.
  const auto login_timeout = std::chrono::ceil<std::chrono::seconds>(budget);
  auto target = open_target_connection(library_, kind_odbc_version(kind), target_, {}, warnings,
                                       kind_is_wide(kind), login_timeout);
  auto connection =
      std::make_unique<PooledConnection>(std::move(target), settings_->validation_query);
  if (!settings_->init_statement.empty() &&
      !connection->execute(settings_->init_statement, settings_->pool.validation_timeout)) {
    auto& t = connection->target();
    auto records = read_target_diagnostics(t.fn(), SQL_HANDLE_DBC, t.dbc());
    records.insert(records.begin(),
                   DiagRecord::own("08001", "PoolInitStatement failed on a new connection: " +
                                                settings_->init_statement));
    connection->close();
    throw TargetError(std::move(records), SQL_ERROR);
  }
  if (!connection->choose_session_reset(*settings_)) {
    auto& t = connection->target();
    auto records = read_target_diagnostics(t.fn(), SQL_HANDLE_DBC, t.dbc());
    records.insert(records.begin(),
                   DiagRecord::own("08001",
                                   "PoolResetStatement=auto could not read the session settings "
                                   "of a new PostgreSQL connection; set PoolResetStatement to "
                                   "DISCARD ALL, other SQL or none"));
    connection->close();
    throw TargetError(std::move(records), SQL_ERROR);
  }
  return connection;
}

// ---- PooledSession

PooledSession::PooledSession(std::shared_ptr<pool::Pool> pool, pool::Lease lease,
                             std::shared_ptr<const PoolSettings> settings)
    : pool_(std::move(pool)),
      lease_(std::make_unique<pool::Lease>(std::move(lease))),
      settings_(std::move(settings)) {}

PooledSession::~PooledSession() {
  if (lease_) end();
}

PooledConnection& PooledSession::connection() {
  return static_cast<PooledConnection&>(lease_->resource());
}

void PooledSession::mark_broken() noexcept {
  if (broken_) return;
  broken_ = true;
  pool_->note_connection_failure();
}

void PooledSession::before_set_attribute(long attribute, bool is_text) {
  const auto id = static_cast<SQLINTEGER>(attribute);
  if (changed_.count(id) != 0) return;
  if (!connection().remember_initial(id, is_text)) unrestorable_ = true;
  changed_.insert(id);
}

void PooledSession::note_wide_call() noexcept {
  // A target without wide functions is called in ANSI whatever the
  // application uses, so nothing changes on its side.
  if (!target().connected_wide() && target().fn().SQLGetInfoW != nullptr) {
    wide_call_on_ansi_ = true;
  }
}

bool PooledSession::reset() noexcept {
  if (wide_call_on_ansi_) return false;
  if (!settings_->reset_on_return) return true;
  if (unrestorable_) return false;
  TargetConnection& t = target();
  const FunctionTable& fn = t.fn();
  // Roll back first: turning autocommit back on would commit instead.
  if (fn.SQLEndTran != nullptr) {
    const SQLRETURN rc = fn.SQLEndTran(SQL_HANDLE_DBC, t.dbc(), SQL_ROLLBACK);
    if (!SQL_SUCCEEDED(rc)) return false;
    // The next borrower's first error must not come with this one's records.
    if (rc != SQL_SUCCESS) read_target_diagnostics(fn, SQL_HANDLE_DBC, t.dbc());
  }
  for (SQLINTEGER attribute : changed_) {
    const ConnectionAttribute* original = connection().initial(attribute);
    if (original == nullptr || !apply_quietly(fn, t.dbc(), *original)) {
      return false;
    }
  }
  return connection().reset_session(*settings_);
}

void PooledSession::end() noexcept {
  if (!lease_) return;
  pool::ReturnState state = pool::ReturnState::Healthy;
  if (inherited()) {
    // The pool abandons connections lent before a fork when they come back.
  } else if (broken_) {
    state = pool::ReturnState::Broken;
  } else if (!reset()) {
    state = pool::ReturnState::ResetFailed;
  }
  pool_->give_back(std::move(*lease_), state);
  lease_.reset();
}

}  // namespace odbcpool
