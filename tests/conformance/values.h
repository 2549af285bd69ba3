// Rendering of C-typed ODBC buffers for transcripts, and a recorded
// SQLGetData into any C type.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <string>

#include "session.h"

namespace conformance {

// The value in `buffer` (of `buffer_length` bytes) read as `c_type`, given
// the indicator the driver returned. Character data is shown up to its
// terminator, binary data up to min(indicator, buffer_length).
std::string FormatCValue(SQLSMALLINT c_type, const void* buffer, SQLLEN buffer_length,
                         SQLLEN indicator);

// SQLGetData(column, c_type) into a buffer of `buffer_length` bytes,
// recorded as "  get <column> as <c_type name> -> <rc> ind=<n> <value>".
SQLRETURN RecordGetData(Session& s, SQLHSTMT stmt, SQLUSMALLINT column, SQLSMALLINT c_type,
                        SQLLEN buffer_length = 512);

std::string CTypeName(SQLSMALLINT c_type);

}  // namespace conformance
