#include "connect.h"

#include "connect_config.h"
#include "errors.h"
#include "ini_reader.h"
#include "target_connect.h"

namespace odbcpool {

namespace {

// A physical connection for one logical connection's sole use.
class DirectSession final : public Session {
 public:
  explicit DirectSession(std::unique_ptr<TargetConnection> target) : target_(std::move(target)) {}
  TargetConnection& target() override { return *target_; }
  void mark_broken() noexcept override {}
  void end() noexcept override { target_->close(); }

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

std::vector<DiagRecord> connect_logical(Connection& connection, const ConnectionString& app) {
  if (connection.connected()) throw OdbcError("08002", "Connection name in use");
  ConnectConfig config = resolve_connect(app, system_ini());
  TargetLibrary& library = TargetLibrary::load(config.target_library);

  std::vector<DiagRecord> warnings = config.warnings;
  auto target = open_target_connection(library, connection.env().odbc_version.load(),
                                       config.target_string, connection.pending(), warnings);
  connection.attach_session(make_direct_session(std::move(target)));
  return warnings;
}

void disconnect_logical(Connection& connection) {
  std::unique_ptr<Session> session = connection.detach_session();
  if (!session) throw OdbcError("08003", "Connection not open");
  connection.free_children();
  session->end();
}

}  // namespace odbcpool
