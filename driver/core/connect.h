// Connecting and disconnecting a logical connection: resolve the
// configuration, get a physical connection (for now always a fresh one, as
// with Pooling=no), and give it up again on disconnect.
#pragma once

#include <memory>
#include <vector>

#include "connection_string.h"
#include "diag_record.h"
#include "handles.h"

namespace odbcpool {

// Throws OdbcError or TargetError; returns the warnings of a success.
std::vector<DiagRecord> connect_logical(Connection& connection, const ConnectionString& app,
                                        bool wide);

// Frees the application's statements and descriptors, then ends the session.
void disconnect_logical(Connection& connection);

// A session over a physical connection for one logical connection's sole
// use (Pooling=no, and SQLBrowseConnect).
std::unique_ptr<Session> make_direct_session(std::unique_ptr<TargetConnection> target);

// The SQLConnect arguments as a connection string.
ConnectionString connection_string_for(const std::string& dsn, const std::string& user,
                                       const std::string& password, bool has_user,
                                       bool has_password);

}  // namespace odbcpool
