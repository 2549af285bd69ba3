// Opening a physical connection of the target driver.
#pragma once

#include <memory>
#include <vector>

#include "connection_string.h"
#include "diag_record.h"
#include "handles.h"
#include "target_connection.h"

namespace odbcpool {

// Allocates a target connection on the process-wide target environment,
// applies the attributes the application set before connecting, and
// connects with SQLDriverConnect (ANSI or wide, whichever the target has).
// Throws TargetError carrying the target's own records when it fails;
// warnings of a successful connect are appended to `warnings`.
std::unique_ptr<TargetConnection> open_target_connection(
    TargetLibrary& library, SQLINTEGER odbc_version, const ConnectionString& target,
    const std::vector<ConnectionAttribute>& attributes, std::vector<DiagRecord>& warnings,
    bool wide = false);

// Sets one connection attribute on a target connection.
SQLRETURN apply_connect_attribute(const FunctionTable& fn, SQLHDBC dbc,
                                  const ConnectionAttribute& attribute);

}  // namespace odbcpool
