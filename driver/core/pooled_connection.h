// The ODBC side of pooling: a physical target connection as the pool holds
// it (validation, closing, the attribute values it was opened with), the
// factory the pool opens them with, and the session a borrower holds.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "handles.h"
#include "pool.h"
#include "settings.h"
#include "target_connection.h"

namespace odbcpool {

// How a return clears this connection's server-side session state, chosen
// once when it is opened (PoolResetStatement).
enum class SessionReset {
  Nothing,    // none, or auto for a target with no known way (SQLite)
  Discard,    // auto for PostgreSQL: DISCARD ALL, then the opening settings
  Restore,    // auto for MariaDB and MySQL: the opening session variables
              // set again, locks released, the opening database used again
  Attribute,  // auto for an ODBC 3.80 driver: SQL_ATTR_RESET_CONNECTION
  Sql,        // the operator's statement
};

class PooledConnection final : public pool::Resource {
 public:
  PooledConnection(std::unique_ptr<TargetConnection> target, std::string validation_query);

  TargetConnection& target() { return *target_; }

  bool is_dead_quick() override;
  bool ping(pool::Duration timeout) override;
  void close() noexcept override { target_->close(); }
  void abandon() noexcept override { target_->abandon(); }

  // Records an attribute's value before a borrower first changes it: the
  // value it had when the connection was opened, since every borrower's
  // changes are undone on return. False when it cannot be read back.
  bool remember_initial(SQLINTEGER attribute, bool is_text);
  const ConnectionAttribute* initial(SQLINTEGER attribute) const;

  // Runs one statement to completion; false on any error. `timeout` is
  // also given to the target as SQL_ATTR_QUERY_TIMEOUT unless
  // `query_timeout` is false (then only the watchdog's SQLCancel bounds it).
  bool execute(const std::string& sql, pool::Duration timeout, bool query_timeout = true);

  // Chooses how returns clear the session (settings.reset, and for auto
  // what the target is); for PostgreSQL records the settings the session
  // has now, so that DISCARD ALL does not undo them. Run once, right after
  // opening (and PoolInitStatement). False when the choice could not be
  // made (the PostgreSQL settings could not be read).
  bool choose_session_reset(const PoolSettings& settings);
  SessionReset session_reset() const noexcept { return session_reset_; }
  // Clears the session as chosen; false on any error.
  bool reset_session(const PoolSettings& settings);

 private:
  // The first column of the first row as text; nullopt for NULL, no row or
  // an error (`ok` tells which).
  std::optional<std::string> query_text(const std::string& sql, pool::Duration timeout, bool& ok);

  std::unique_ptr<TargetConnection> target_;
  std::string validation_query_;
  SessionReset session_reset_ = SessionReset::Nothing;
  // For Discard: the statement that puts back the session-level settings
  // (ConnSettings, PoolInitStatement) as they were once opened; may be empty.
  // For Restore: the SET statement of the opening session variables, and
  // the USE of the opening database (empty without one).
  std::string restore_settings_;
  std::string restore_database_;
  std::map<SQLINTEGER, ConnectionAttribute> initial_;
};

class PooledConnectionFactory final : public pool::ResourceFactory {
 public:
  PooledConnectionFactory(TargetLibrary& library, ConnectionString target,
                          std::shared_ptr<const PoolSettings> settings)
      : library_(library), target_(std::move(target)), settings_(std::move(settings)) {}

  // Opens a connection in the call form and ODBC version `kind` names
  // (connection_kind()). Throws TargetError with the target's records when
  // the connect fails.
  std::unique_ptr<pool::Resource> open(pool::Kind kind, pool::Duration budget) override;
  const std::shared_ptr<const PoolSettings>& settings() const noexcept { return settings_; }

 private:
  TargetLibrary& library_;
  ConnectionString target_;
  std::shared_ptr<const PoolSettings> settings_;
};

class PooledSession final : public Session {
 public:
  PooledSession(std::shared_ptr<pool::Pool> pool, pool::Lease lease,
                std::shared_ptr<const PoolSettings> settings);
  ~PooledSession() override;

  TargetConnection& target() override { return connection().target(); }
  bool pooled() const override { return true; }
  void mark_broken() noexcept override;
  void before_set_attribute(long attribute, bool is_text) override;
  void note_wide_call() noexcept override;
  void end() noexcept override;

 private:
  PooledConnection& connection();
  bool reset() noexcept;

  std::shared_ptr<pool::Pool> pool_;
  std::unique_ptr<pool::Lease> lease_;
  std::shared_ptr<const PoolSettings> settings_;
  bool broken_ = false;
  bool unrestorable_ = false;
  bool wide_call_on_ansi_ = false;
  std::set<SQLINTEGER> changed_;
};

}  // namespace odbcpool
