// The floor driver's statements: a statement that starts with SELECT has one
// row of one integer column holding 1; any other has no result.
#include <cstdint>
#include <cstring>

#include "floor_driver.h"

using floor_driver::Statement;

namespace {

template <typename Char>
bool starts_with_select(const Char* sql, SQLINTEGER length) {
  const char* select = "select";
  SQLINTEGER i = 0;
  auto within = [&](SQLINTEGER at) { return length == SQL_NTS ? sql[at] != 0 : at < length; };
  while (within(i) && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r')) ++i;
  for (int k = 0; k < 6; ++k, ++i) {
    if (!within(i)) return false;
    const Char c = sql[i];
    if (c != select[k] && c != select[k] - 'a' + 'A') return false;
  }
  return true;
}

void close_cursor(Statement* s) {
  s->rows_left = 0;
  s->on_row = false;
  s->value_read = false;
}

template <typename Char>
SQLRETURN prepare(SQLHSTMT stmt, const Char* sql, SQLINTEGER length) {
  if (stmt == SQL_NULL_HSTMT) return SQL_INVALID_HANDLE;
  if (sql == nullptr) return SQL_ERROR;
  auto* s = static_cast<Statement*>(stmt);
  close_cursor(s);
  s->has_result = starts_with_select(sql, length);
  return SQL_SUCCESS;
}

SQLRETURN execute(SQLHSTMT stmt) {
  if (stmt == SQL_NULL_HSTMT) return SQL_INVALID_HANDLE;
  auto* s = static_cast<Statement*>(stmt);
  close_cursor(s);
  s->rows_left = s->has_result ? 1 : 0;
  return SQL_SUCCESS;
}

template <typename Integer>
SQLRETURN put_integer(SQLPOINTER value, SQLLEN* indicator) {
  const Integer one = 1;
  if (value != nullptr) std::memcpy(value, &one, sizeof one);
  if (indicator != nullptr) *indicator = sizeof one;
  return SQL_SUCCESS;
}

SQLRETURN get_stmt_attr(SQLHSTMT stmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER* length) {
  if (stmt == SQL_NULL_HSTMT) return SQL_INVALID_HANDLE;
  auto* s = static_cast<Statement*>(stmt);
  SQLULEN answer = 0;
  switch (attribute) {
    case SQL_ATTR_APP_ROW_DESC:
    case SQL_ATTR_APP_PARAM_DESC:
    case SQL_ATTR_IMP_ROW_DESC:
    case SQL_ATTR_IMP_PARAM_DESC:
      answer = reinterpret_cast<SQLULEN>(&s->descriptors[attribute - SQL_ATTR_APP_ROW_DESC]);
      break;
    case SQL_ATTR_ROW_ARRAY_SIZE:
      answer = 1;
      break;
    default:
      break;
  }
  if (value != nullptr) std::memcpy(value, &answer, sizeof answer);
  if (length != nullptr) *length = sizeof answer;
  return SQL_SUCCESS;
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLFreeStmt(SQLHSTMT stmt, SQLUSMALLINT option) {
  if (stmt == SQL_NULL_HSTMT) return SQL_INVALID_HANDLE;
  if (option == SQL_DROP) return SQLFreeHandle(SQL_HANDLE_STMT, stmt);
  if (option == SQL_CLOSE) close_cursor(static_cast<Statement*>(stmt));
  return SQL_SUCCESS;
}

SQLRETURN SQL_API SQLCloseCursor(SQLHSTMT stmt) {
  return SQLFreeStmt(stmt, SQL_CLOSE);
}

SQLRETURN SQL_API SQLCancel(SQLHSTMT stmt) {
  return stmt == SQL_NULL_HSTMT ? SQL_INVALID_HANDLE : SQL_SUCCESS;
}

SQLRETURN SQL_API SQLPrepare(SQLHSTMT stmt, SQLCHAR* sql, SQLINTEGER length) {
  return prepare(stmt, sql, length);
}
SQLRETURN SQL_API SQLPrepareW(SQLHSTMT stmt, SQLWCHAR* sql, SQLINTEGER length) {
  return prepare(stmt, sql, length);
}
SQLRETURN SQL_API SQLExecute(SQLHSTMT stmt) {
  return execute(stmt);
}

SQLRETURN SQL_API SQLExecDirect(SQLHSTMT stmt, SQLCHAR* sql, SQLINTEGER length) {
  const SQLRETURN rc = prepare(stmt, sql, length);
  return rc == SQL_SUCCESS ? execute(stmt) : rc;
}
SQLRETURN SQL_API SQLExecDirectW(SQLHSTMT stmt, SQLWCHAR* sql, SQLINTEGER length) {
  const SQLRETURN rc = prepare(stmt, sql, length);
  return rc == SQL_SUCCESS ? execute(stmt) : rc;
}

SQLRETURN SQL_API SQLNumResultCols(SQLHSTMT stmt, SQLSMALLINT* columns) {
  if (stmt == SQL_NULL_HSTMT) return SQL_INVALID_HANDLE;
  if (columns != nullptr) *columns = static_cast<Statement*>(stmt)->has_result ? 1 : 0;
  return SQL_SUCCESS;
}

SQLRETURN SQL_API SQLRowCount(SQLHSTMT stmt, SQLLEN* rows) {
  if (stmt == SQL_NULL_HSTMT) return SQL_INVALID_HANDLE;
  if (rows != nullptr) *rows = static_cast<Statement*>(stmt)->has_result ? -1 : 0;
  return SQL_SUCCESS;
}

SQLRETURN SQL_API SQLMoreResults(SQLHSTMT stmt) {
  if (stmt == SQL_NULL_HSTMT) return SQL_INVALID_HANDLE;
  close_cursor(static_cast<Statement*>(stmt));
  return SQL_NO_DATA;
}

SQLRETURN SQL_API SQLFetch(SQLHSTMT stmt) {
  if (stmt == SQL_NULL_HSTMT) return SQL_INVALID_HANDLE;
  auto* s = static_cast<Statement*>(stmt);
  s->value_read = false;
  s->on_row = s->rows_left > 0;
  if (!s->on_row) return SQL_NO_DATA;
  --s->rows_left;
  return SQL_SUCCESS;
}

// Column 1 of the row, once, as text or as any integer type.
SQLRETURN SQL_API SQLGetData(SQLHSTMT stmt, SQLUSMALLINT column, SQLSMALLINT type, SQLPOINTER value,
                             SQLLEN capacity, SQLLEN* indicator) {
  if (stmt == SQL_NULL_HSTMT) return SQL_INVALID_HANDLE;
  auto* s = static_cast<Statement*>(stmt);
  if (!s->on_row || column != 1) return SQL_ERROR;
  if (s->value_read) return SQL_NO_DATA;
  s->value_read = true;
  switch (type) {
    case SQL_C_CHAR:
      return floor_driver::copy_text("1", value, capacity, indicator);
    case SQL_C_WCHAR:
      return floor_driver::copy_wide_text("1", value, capacity, indicator);
    case SQL_C_DEFAULT:
    case SQL_C_LONG:
    case SQL_C_SLONG:
    case SQL_C_ULONG:
      return put_integer<std::int32_t>(value, indicator);
    case SQL_C_SHORT:
    case SQL_C_SSHORT:
    case SQL_C_USHORT:
      return put_integer<std::int16_t>(value, indicator);
    case SQL_C_SBIGINT:
    case SQL_C_UBIGINT:
      return put_integer<std::int64_t>(value, indicator);
    default:
      s->value_read = false;
      return SQL_ERROR;
  }
}

SQLRETURN SQL_API SQLGetStmtAttr(SQLHSTMT stmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER,
                                 SQLINTEGER* length) {
  return get_stmt_attr(stmt, attribute, value, length);
}
SQLRETURN SQL_API SQLGetStmtAttrW(SQLHSTMT stmt, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER,
                                  SQLINTEGER* length) {
  return get_stmt_attr(stmt, attribute, value, length);
}
SQLRETURN SQL_API SQLSetStmtAttr(SQLHSTMT stmt, SQLINTEGER, SQLPOINTER, SQLINTEGER) {
  return stmt == SQL_NULL_HSTMT ? SQL_INVALID_HANDLE : SQL_SUCCESS;
}
SQLRETURN SQL_API SQLSetStmtAttrW(SQLHSTMT stmt, SQLINTEGER, SQLPOINTER, SQLINTEGER) {
  return stmt == SQL_NULL_HSTMT ? SQL_INVALID_HANDLE : SQL_SUCCESS;
}

}  // extern "C"
