// Copies the diagnostic records out of a target handle, for when the handle
// is about to go away and the application must still see them.
#pragma once

#include <vector>

#include "diag_record.h"
#include "odbc.h"

namespace odbcpool {

struct FunctionTable;

std::vector<DiagRecord> read_target_diagnostics(const FunctionTable& fn, SQLSMALLINT handle_type,
                                                SQLHANDLE handle);

}  // namespace odbcpool
