// Connecting and disconnecting a logical connection: resolve the
// configuration, get a physical connection (for now always a fresh one, as
// with Pooling=no), and give it up again on disconnect.
#pragma once

#include <memory>
#include <vector>

#include "connection_string.h"
#include "diag_record.h"
#include "handles.h"
#include "text.h"

namespace odbcpool {

// The application's connection string; HY000 when it is malformed.
ConnectionString parse_application_string(const std::string& text);

// Throws OdbcError or TargetError; returns the warnings of a success.
std::vector<DiagRecord> connect_logical(Connection& connection, const ConnectionString& app,
                                        bool wide);

// One step of SQLBrowseConnect(W) (browse_connect.cpp): SQL_NEED_DATA with
// the target's next question in `out`, or a connection of the application's
// own, never pooled. Throws OdbcError or TargetError.
SQLRETURN browse_connect(Connection& connection, TextIn in, TextOut out, SQLSMALLINT* out_length);

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
