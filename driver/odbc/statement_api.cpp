// Preparing and executing statements, parameters, and data at execution.
#include "api.h"

using namespace odbcpool;

namespace {

SQLRETURN prepare(Statement& s, TextIn sql) {
  const FunctionTable& fn = s.fn();
  if (call_wide(sql.is_wide(), fn.SQLPrepare, fn.SQLPrepareW, "SQLPrepare")) {
    return fn.SQLPrepareW(s.target(), sql.wide_text(), sql.wide_length());
  }
  return fn.SQLPrepare(s.target(), sql.ansi_text(), sql.ansi_length());
}

SQLRETURN exec_direct(Statement& s, TextIn sql) {
  const FunctionTable& fn = s.fn();
  if (call_wide(sql.is_wide(), fn.SQLExecDirect, fn.SQLExecDirectW, "SQLExecDirect")) {
    return fn.SQLExecDirectW(s.target(), sql.wide_text(), sql.wide_length());
  }
  return fn.SQLExecDirect(s.target(), sql.ansi_text(), sql.ansi_length());
}

SQLRETURN set_cursor_name(Statement& s, TextIn name) {
  const FunctionTable& fn = s.fn();
  if (call_wide(name.is_wide(), fn.SQLSetCursorName, fn.SQLSetCursorNameW, "SQLSetCursorName")) {
    return fn.SQLSetCursorNameW(s.target(), name.wide_text(),
                                small_input(name.wide_length(), "the cursor name"));
  }
  return fn.SQLSetCursorName(s.target(), name.ansi_text(),
                             small_input(name.ansi_length(), "the cursor name"));
}

SQLRETURN get_cursor_name(Statement& s, bool wide, SQLPOINTER buffer, SQLSMALLINT capacity,
                          SQLSMALLINT* length) {
  const FunctionTable& fn = s.fn();
  return text_out(
      s, wide, fn.SQLGetCursorName != nullptr, fn.SQLGetCursorNameW != nullptr, "SQLGetCursorName",
      TextOut{wide, buffer, capacity, Units::Characters}, length,
      [&](SQLCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLSMALLINT n = 0;
        SQLRETURN rc = fn.SQLGetCursorName(s.target(), b, small(cap), &n);
        *len = n;
        return rc;
      },
      [&](SQLWCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLSMALLINT n = 0;
        SQLRETURN rc = fn.SQLGetCursorNameW(s.target(), b, small(cap), &n);
        *len = n;
        return rc;
      });
}

}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLPrepare(SQLHSTMT handle, SQLCHAR* sql, SQLINTEGER length) {
  return guarded<Statement>(handle,
                            [&](Statement& s) { return prepare(s, TextIn::ansi(sql, length)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLPrepareW(SQLHSTMT handle, SQLWCHAR* sql, SQLINTEGER length) {
  return guarded<Statement>(handle,
                            [&](Statement& s) { return prepare(s, TextIn::wide(sql, length)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLExecDirect(SQLHSTMT handle, SQLCHAR* sql, SQLINTEGER length) {
  return guarded<Statement>(
      handle, [&](Statement& s) { return exec_direct(s, TextIn::ansi(sql, length)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLExecDirectW(SQLHSTMT handle, SQLWCHAR* sql,
                                                 SQLINTEGER length) {
  return guarded<Statement>(
      handle, [&](Statement& s) { return exec_direct(s, TextIn::wide(sql, length)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLExecute(SQLHSTMT handle) {
  return guarded<Statement>(
      handle, [](Statement& s) { return require(s.fn().SQLExecute, "SQLExecute")(s.target()); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLNumParams(SQLHSTMT handle, SQLSMALLINT* count) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLNumParams, "SQLNumParams")(s.target(), count);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLNumResultCols(SQLHSTMT handle, SQLSMALLINT* count) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLNumResultCols, "SQLNumResultCols")(s.target(), count);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLRowCount(SQLHSTMT handle, SQLLEN* count) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLRowCount, "SQLRowCount")(s.target(), count);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLMoreResults(SQLHSTMT handle) {
  return guarded<Statement>(handle, [](Statement& s) {
    return require(s.fn().SQLMoreResults, "SQLMoreResults")(s.target());
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLCloseCursor(SQLHSTMT handle) {
  return guarded<Statement>(handle, [](Statement& s) {
    return require(s.fn().SQLCloseCursor, "SQLCloseCursor")(s.target());
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLParamData(SQLHSTMT handle, SQLPOINTER* value) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLParamData, "SQLParamData")(s.target(), value);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLPutData(SQLHSTMT handle, SQLPOINTER data, SQLLEN length) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLPutData, "SQLPutData")(s.target(), data, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDescribeParam(SQLHSTMT handle, SQLUSMALLINT number,
                                                   SQLSMALLINT* type, SQLULEN* size,
                                                   SQLSMALLINT* digits, SQLSMALLINT* nullable) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLDescribeParam, "SQLDescribeParam")(s.target(), number, type, size,
                                                                digits, nullable);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLBindParameter(SQLHSTMT handle, SQLUSMALLINT number,
                                                   SQLSMALLINT io_type, SQLSMALLINT c_type,
                                                   SQLSMALLINT sql_type, SQLULEN size,
                                                   SQLSMALLINT digits, SQLPOINTER value,
                                                   SQLLEN capacity, SQLLEN* indicator) {
  return guarded<Statement>(handle, [&](Statement& s) {
    return require(s.fn().SQLBindParameter, "SQLBindParameter")(
        s.target(), number, io_type, c_type, sql_type, size, digits, value, capacity, indicator);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLBindParam(SQLHSTMT handle, SQLUSMALLINT number,
                                               SQLSMALLINT c_type, SQLSMALLINT sql_type,
                                               SQLULEN size, SQLSMALLINT digits, SQLPOINTER value,
                                               SQLLEN* indicator) {
  return guarded<Statement>(handle, [&](Statement& s) {
    const FunctionTable& fn = s.fn();
    if (fn.SQLBindParam != nullptr) {
      return fn.SQLBindParam(s.target(), number, c_type, sql_type, size, digits, value, indicator);
    }
    // SQLBindParam is SQLBindParameter with an input parameter and no
    // buffer length, as the ODBC 3 specification maps it.
    return require(fn.SQLBindParameter, "SQLBindParam")(s.target(), number, SQL_PARAM_INPUT, c_type,
                                                        sql_type, size, digits, value,
                                                        SQL_SETPARAM_VALUE_MAX, indicator);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetCursorName(SQLHSTMT handle, SQLCHAR* name,
                                                   SQLSMALLINT length) {
  return guarded<Statement>(
      handle, [&](Statement& s) { return set_cursor_name(s, TextIn::ansi(name, length)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetCursorNameW(SQLHSTMT handle, SQLWCHAR* name,
                                                    SQLSMALLINT length) {
  return guarded<Statement>(
      handle, [&](Statement& s) { return set_cursor_name(s, TextIn::wide(name, length)); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetCursorName(SQLHSTMT handle, SQLCHAR* name,
                                                   SQLSMALLINT capacity, SQLSMALLINT* length) {
  return guarded<Statement>(
      handle, [&](Statement& s) { return get_cursor_name(s, false, name, capacity, length); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetCursorNameW(SQLHSTMT handle, SQLWCHAR* name,
                                                    SQLSMALLINT capacity, SQLSMALLINT* length) {
  return guarded<Statement>(
      handle, [&](Statement& s) { return get_cursor_name(s, true, name, capacity, length); });
}
