// Reading the diagnostic records of a target handle, the way the unixODBC
// Driver Manager reads them from a driver it talks to directly
// (DriverManager/__info.c, extract_error_from_driver), so that what the
// application sees through odbcpool is what it would see without it.
#pragma once

#include <vector>

#include "diag_record.h"
#include "odbc.h"

namespace odbcpool {

struct FunctionTable;

// In the Driver Manager's order of preference: the wide diagnostic
// functions, SQLErrorW, the ANSI diagnostic functions, SQLError (of those
// the target claims: see TargetLibrary).
enum class DiagSource { DiagWide, ErrorWide, DiagAnsi, ErrorAnsi, None };
DiagSource diag_source(const FunctionTable& fn);

// Whether the target's ANSI SQLGetDiagRec/SQLGetDiagField may be called.
bool ansi_diag_usable(const FunctionTable& fn);

// Whether record 1 can (still) be read from the handle.
bool target_has_record(const FunctionTable& fn, SQLSMALLINT handle_type, SQLHANDLE handle);

// Copies every record out (some drivers hand each record out only once).
std::vector<DiagRecord> read_target_diagnostics(const FunctionTable& fn, SQLSMALLINT handle_type,
                                                SQLHANDLE handle);

}  // namespace odbcpool
