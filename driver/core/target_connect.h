// Opening a physical connection of the target driver.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "connection_string.h"
#include "diag_record.h"
#include "handles.h"
#include "target_connect_text.h"
#include "target_connection.h"

namespace odbcpool {

// Allocates a target connection on the process-wide target environment,
// applies the attributes the application set before connecting, and
// connects with SQLDriverConnect, in the application's form (`wide`) where
// the target has it. A non-zero `login_timeout` bounds the connect unless
// the application set SQL_ATTR_LOGIN_TIMEOUT itself, and is put back to the
// target's own value afterwards, so the application never sees it.
// Throws TargetError carrying the target's own records when it fails;
// warnings of a successful connect are appended to `warnings`.
std::unique_ptr<TargetConnection> open_target_connection(
    TargetLibrary& library, SQLINTEGER odbc_version, const ConnectionString& target,
    const std::vector<ConnectionAttribute>& attributes, std::vector<DiagRecord>& warnings,
    bool wide = false, std::chrono::seconds login_timeout = std::chrono::seconds::zero());

// Sets an attribute the application did not ask for (or puts one back).
// Whatever the target says about it (01S02 from the SQLite driver, say) is
// read and dropped, so it never reaches an application as if it were about
// a call of its own. False when the target refused.
bool apply_quietly(const FunctionTable& fn, SQLHDBC dbc, const ConnectionAttribute& attribute);

// SQLGetConnectAttr in whichever form the target has.
SQLRETURN read_connect_attribute(const FunctionTable& fn, SQLHDBC dbc, SQLINTEGER attribute,
                                 SQLPOINTER value, SQLINTEGER capacity, SQLINTEGER* length);

// Sets one connection attribute on a target connection.
SQLRETURN apply_connect_attribute(const FunctionTable& fn, SQLHDBC dbc,
                                  const ConnectionAttribute& attribute);

}  // namespace odbcpool
