// The ODBC 2 functions. unixODBC calls a driver's own where it exports them
// (for an ODBC 2 application it prefers SQLAllocStmt to SQLAllocHandle), and
// looks all of them up on every connect it does not serve from its pool:
// exported, each lookup succeeds at once. Each one is the ODBC 3 function it
// stands for, mapped as the ODBC 3 specification's appendix G (backward
// compatibility) maps it, through odbcpool's own entry points.
#include <sqlext.h>

#include "api.h"
#include "odbc2_functions.h"

using namespace odbcpool;

namespace {

bool is_string_connect_option(SQLUSMALLINT option) {
  return option == SQL_ATTR_CURRENT_CATALOG || option == SQL_ATTR_TRACEFILE ||
         option == SQL_ATTR_TRANSLATE_LIB;
}

SQLPOINTER as_pointer(SQLULEN value) {
  return reinterpret_cast<SQLPOINTER>(value);
}

// SQLError reads the statement's records if there is one, else the
// connection's, else the environment's; each record once.
template <class Char, class GetDiagRec>
SQLRETURN next_error(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, Char* state, SQLINTEGER* native,
                     Char* message, SQLSMALLINT capacity, SQLSMALLINT* length,
                     GetDiagRec get_diag_rec) {
  SQLSMALLINT type = SQL_HANDLE_ENV;
  SQLHANDLE handle = env;
  HandleKind kind = HandleKind::Environment;
  if (stmt != SQL_NULL_HSTMT) {
    type = SQL_HANDLE_STMT, handle = stmt, kind = HandleKind::Statement;
  } else if (dbc != SQL_NULL_HDBC) {
    type = SQL_HANDLE_DBC, handle = dbc, kind = HandleKind::Connection;
  }
  Handle* h = HandleRegistry::find(handle, kind);
  if (h == nullptr) return SQL_INVALID_HANDLE;
  return get_diag_rec(type, handle, h->diag().next_odbc2_record(), state, native, message, capacity,
                      length);
}

// SQLColAttributes' field identifiers that SQLColAttribute names otherwise;
// the rest are the same, and SQLColAttribute takes ODBC 2's length,
// precision and scale as they are.
SQLUSMALLINT odbc3_field(SQLUSMALLINT field) {
  switch (field) {
    case SQL_COLUMN_COUNT:
      return SQL_DESC_COUNT;
    case SQL_COLUMN_NAME:
      return SQL_DESC_NAME;
    case SQL_COLUMN_NULLABLE:
      return SQL_DESC_NULLABLE;
    default:
      return field;
  }
}

SQLRETURN driver_manager_only(SQLHENV env) {
  Environment* e = find_handle<Environment>(env);
  if (e == nullptr) return SQL_INVALID_HANDLE;
  e->diag().begin_call({});
  e->diag().add(DiagRecord::own(
      "IM001", "Driver does not support this function: the Driver Manager answers it itself"));
  return SQL_ERROR;
}

}  // namespace

// Called by unixODBC once it has loaded the driver, and before unloading it.
ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDriverLoad() {
  return SQL_SUCCESS;
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDriverUnload() {
  return SQL_SUCCESS;
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLAllocEnv(SQLHENV* env) {
  const SQLRETURN rc = SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, env);
  if (SQL_SUCCEEDED(rc)) {
    SQLSetEnvAttr(*env, SQL_ATTR_ODBC_VERSION, as_pointer(SQL_OV_ODBC2), 0);
  }
  return rc;
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLAllocHandleStd(SQLSMALLINT type, SQLHANDLE input,
                                                    SQLHANDLE* output) {
  const SQLRETURN rc = SQLAllocHandle(type, input, output);
  if (type == SQL_HANDLE_ENV && SQL_SUCCEEDED(rc)) {
    SQLSetEnvAttr(*output, SQL_ATTR_ODBC_VERSION, as_pointer(SQL_OV_ODBC3), 0);
  }
  return rc;
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLAllocConnect(SQLHENV env, SQLHDBC* dbc) {
  return SQLAllocHandle(SQL_HANDLE_DBC, env, dbc);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLAllocStmt(SQLHDBC dbc, SQLHSTMT* stmt) {
  return SQLAllocHandle(SQL_HANDLE_STMT, dbc, stmt);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLFreeEnv(SQLHENV env) {
  return SQLFreeHandle(SQL_HANDLE_ENV, env);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLFreeConnect(SQLHDBC dbc) {
  return SQLFreeHandle(SQL_HANDLE_DBC, dbc);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLTransact(SQLHENV env, SQLHDBC dbc, SQLUSMALLINT type) {
  if (dbc != SQL_NULL_HDBC) return SQLEndTran(SQL_HANDLE_DBC, dbc, static_cast<SQLSMALLINT>(type));
  return SQLEndTran(SQL_HANDLE_ENV, env, static_cast<SQLSMALLINT>(type));
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLError(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt, SQLCHAR* state,
                                           SQLINTEGER* native, SQLCHAR* message,
                                           SQLSMALLINT capacity, SQLSMALLINT* length) {
  return next_error(env, dbc, stmt, state, native, message, capacity, length, SQLGetDiagRec);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLErrorW(SQLHENV env, SQLHDBC dbc, SQLHSTMT stmt,
                                            SQLWCHAR* state, SQLINTEGER* native, SQLWCHAR* message,
                                            SQLSMALLINT capacity, SQLSMALLINT* length) {
  return next_error(env, dbc, stmt, state, native, message, capacity, length, SQLGetDiagRecW);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetConnectOption(SQLHDBC dbc, SQLUSMALLINT option,
                                                      SQLPOINTER value) {
  const SQLINTEGER capacity = is_string_connect_option(option) ? SQL_MAX_OPTION_STRING_LENGTH : 0;
  return SQLGetConnectAttr(dbc, option, value, capacity, nullptr);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetConnectOptionW(SQLHDBC dbc, SQLUSMALLINT option,
                                                       SQLPOINTER value) {
  const SQLINTEGER capacity =
      is_string_connect_option(option) ? SQL_MAX_OPTION_STRING_LENGTH * sizeof(SQLWCHAR) : 0;
  return SQLGetConnectAttrW(dbc, option, value, capacity, nullptr);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetConnectOption(SQLHDBC dbc, SQLUSMALLINT option,
                                                      SQLULEN value) {
  return SQLSetConnectAttr(dbc, option, as_pointer(value),
                           is_string_connect_option(option) ? SQL_NTS : 0);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetConnectOptionW(SQLHDBC dbc, SQLUSMALLINT option,
                                                       SQLULEN value) {
  return SQLSetConnectAttrW(dbc, option, as_pointer(value),
                            is_string_connect_option(option) ? SQL_NTS : 0);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetStmtOption(SQLHSTMT stmt, SQLUSMALLINT option,
                                                   SQLPOINTER value) {
  return SQLGetStmtAttr(stmt, option, value, 0, nullptr);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetStmtOption(SQLHSTMT stmt, SQLUSMALLINT option,
                                                   SQLULEN value) {
  return SQLSetStmtAttr(stmt, option, as_pointer(value), 0);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLParamOptions(SQLHSTMT stmt, SQLULEN rows,
                                                  SQLULEN* rows_processed) {
  const SQLRETURN rc = SQLSetStmtAttr(stmt, SQL_ATTR_PARAMSET_SIZE, as_pointer(rows), 0);
  if (!SQL_SUCCEEDED(rc)) return rc;
  return SQLSetStmtAttr(stmt, SQL_ATTR_PARAMS_PROCESSED_PTR, rows_processed, 0);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetParam(SQLHSTMT stmt, SQLUSMALLINT number,
                                              SQLSMALLINT c_type, SQLSMALLINT sql_type,
                                              SQLULEN size, SQLSMALLINT digits, SQLPOINTER value,
                                              SQLLEN* length) {
  return SQLBindParameter(stmt, number, SQL_PARAM_INPUT_OUTPUT, c_type, sql_type, size, digits,
                          value, SQL_SETPARAM_VALUE_MAX, length);
}

namespace {

// The target's own SQLColAttributes where it has one (its answers may
// differ from its SQLColAttribute's), else SQLColAttribute as the Driver
// Manager would map it.
SQLRETURN col_attributes(SQLHSTMT stmt, bool wide, SQLUSMALLINT column, SQLUSMALLINT field,
                         SQLPOINTER text, SQLSMALLINT capacity, SQLSMALLINT* length,
                         SQLLEN* numeric) {
  return guarded<Statement>(stmt, [&](Statement& s) {
    const FunctionTable& fn = s.fn();
    if (fn.SQLColAttributes == nullptr && fn.SQLColAttributesW == nullptr) {
      return col_attribute(s, ColAttributeCall::of(fn), wide, column, odbc3_field(field), text,
                           capacity, length, numeric);
    }
    const ColAttributeCall own{fn.SQLColAttributes, fn.SQLColAttributesW, "SQLColAttributes",
                               &odbc3_field};
    return col_attribute(s, own, wide, column, field, text, capacity, length, numeric);
  });
}

}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLColAttributes(SQLHSTMT stmt, SQLUSMALLINT column,
                                                   SQLUSMALLINT field, SQLPOINTER text,
                                                   SQLSMALLINT capacity, SQLSMALLINT* length,
                                                   SQLLEN* numeric) {
  return col_attributes(stmt, false, column, field, text, capacity, length, numeric);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLColAttributesW(SQLHSTMT stmt, SQLUSMALLINT column,
                                                    SQLUSMALLINT field, SQLPOINTER text,
                                                    SQLSMALLINT capacity, SQLSMALLINT* length,
                                                    SQLLEN* numeric) {
  return col_attributes(stmt, true, column, field, text, capacity, length, numeric);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDataSources(SQLHENV env, SQLUSMALLINT, SQLCHAR*, SQLSMALLINT,
                                                 SQLSMALLINT*, SQLCHAR*, SQLSMALLINT,
                                                 SQLSMALLINT*) {
  return driver_manager_only(env);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDataSourcesW(SQLHENV env, SQLUSMALLINT, SQLWCHAR*, SQLSMALLINT,
                                                  SQLSMALLINT*, SQLWCHAR*, SQLSMALLINT,
                                                  SQLSMALLINT*) {
  return driver_manager_only(env);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDrivers(SQLHENV env, SQLUSMALLINT, SQLCHAR*, SQLSMALLINT,
                                             SQLSMALLINT*, SQLCHAR*, SQLSMALLINT, SQLSMALLINT*) {
  return driver_manager_only(env);
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDriversW(SQLHENV env, SQLUSMALLINT, SQLWCHAR*, SQLSMALLINT,
                                              SQLSMALLINT*, SQLWCHAR*, SQLSMALLINT, SQLSMALLINT*) {
  return driver_manager_only(env);
}

// Every function the list names (and so aliases) is defined above.
#define ODBCPOOL_DEFINED(name) static_assert(sizeof(&::name) > 0, #name);
#define ODBCPOOL_DEFINED_TEXT(name) ODBCPOOL_DEFINED(name) ODBCPOOL_DEFINED(name##W)
ODBCPOOL_ODBC2_PLAIN_FUNCTIONS(ODBCPOOL_DEFINED)
ODBCPOOL_ODBC2_TEXT_FUNCTIONS(ODBCPOOL_DEFINED_TEXT)
