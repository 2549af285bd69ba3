// odbcpool_floor_driver: a TEST DOUBLE, not a database driver. A do-nothing
// ODBC driver for the connect-cycle benchmark (bench/run-connect-cycle):
// every name the unixODBC Driver Manager looks up when it loads a driver is
// exported (entry_points.h), connecting does nothing, and any statement that
// starts with SELECT yields one row of one integer column holding 1. What a
// cycle through the Driver Manager costs over it is the floor for any
// driver-level pool: the Driver Manager's own work, with no database behind.
// Handles are plain heap objects; nothing is shared between them, so any
// number of threads may use their own handles at once.
#pragma once

#include <sql.h>
#include <sqlext.h>

namespace floor_driver {

struct Environment {
  SQLINTEGER odbc_version = SQL_OV_ODBC3;
};

struct Connection {
  bool connected = false;
  SQLUINTEGER autocommit = SQL_AUTOCOMMIT_ON;
  SQLUINTEGER login_timeout = 0;
};

// A descriptor handle the Driver Manager can wrap; nothing can be done with it.
struct Descriptor {
  int unused = 0;
};

struct Statement {
  Connection* connection = nullptr;
  bool has_result = false;    // the last statement was a SELECT
  int rows_left = 0;          // rows SQLFetch has still to give
  bool on_row = false;        // positioned on the row
  bool value_read = false;    // SQLGetData has given column 1 of this row
  Descriptor descriptors[4];  // ARD, APD, IRD, IPD
};

// Copies `text` into an ANSI buffer of `capacity` bytes, NUL-terminated and
// cut to fit; sets *length (bytes, without the NUL) when given. Returns
// SQL_SUCCESS_WITH_INFO when cut.
SQLRETURN copy_text(const char* text, SQLPOINTER buffer, SQLLEN capacity, SQLLEN* length);
// The same into a UTF-16 buffer of `capacity` bytes; `text` is ASCII.
SQLRETURN copy_wide_text(const char* text, SQLPOINTER buffer, SQLLEN capacity, SQLLEN* length);

}  // namespace floor_driver
