// The floor driver's environment and connection entry points, and the
// diagnostics it never has.
#include <cstring>

#include "floor_driver.h"

using floor_driver::Connection;
using floor_driver::Environment;
using floor_driver::Statement;

namespace {

SQLRETURN free_handle(SQLSMALLINT type, SQLHANDLE handle) {
  if (handle == SQL_NULL_HANDLE) return SQL_INVALID_HANDLE;
  switch (type) {
    case SQL_HANDLE_ENV:
      delete static_cast<Environment*>(handle);
      return SQL_SUCCESS;
    case SQL_HANDLE_DBC:
      delete static_cast<Connection*>(handle);
      return SQL_SUCCESS;
    case SQL_HANDLE_STMT:
      delete static_cast<Statement*>(handle);
      return SQL_SUCCESS;
    default:
      return SQL_ERROR;
  }
}

SQLRETURN connect(SQLHDBC dbc) {
  if (dbc == SQL_NULL_HDBC) return SQL_INVALID_HANDLE;
  static_cast<Connection*>(dbc)->connected = true;
  return SQL_SUCCESS;
}

// The connection string, completed as given (wide lengths in characters).
template <typename Char>
SQLRETURN driver_connect(SQLHDBC dbc, const Char* in, SQLSMALLINT in_length, Char* out,
                         SQLSMALLINT out_capacity, SQLSMALLINT* out_length) {
  if (dbc == SQL_NULL_HDBC) return SQL_INVALID_HANDLE;
  SQLSMALLINT length = 0;
  if (in != nullptr) {
    if (in_length == SQL_NTS) {
      while (in[length] != 0) ++length;
    } else {
      length = in_length;
    }
  }
  SQLRETURN rc = SQL_SUCCESS;
  if (out != nullptr && out_capacity > 0) {
    const SQLSMALLINT copied = length < out_capacity ? length : out_capacity - 1;
    if (copied > 0) std::memcpy(out, in, static_cast<std::size_t>(copied) * sizeof(Char));
    out[copied] = 0;
    if (copied < length) rc = SQL_SUCCESS_WITH_INFO;
  }
  if (out_length != nullptr) *out_length = length;
  static_cast<Connection*>(dbc)->connected = true;
  return rc;
}

bool is_text_attribute(SQLINTEGER attribute) {
  return attribute == SQL_ATTR_CURRENT_CATALOG || attribute == SQL_ATTR_TRACEFILE ||
         attribute == SQL_ATTR_TRANSLATE_LIB;
}

SQLRETURN get_connect_attr(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER capacity,
                           SQLINTEGER* length, bool wide) {
  if (dbc == SQL_NULL_HDBC) return SQL_INVALID_HANDLE;
  const auto* c = static_cast<Connection*>(dbc);
  if (is_text_attribute(attribute)) {
    SQLLEN n = 0;
    const SQLRETURN rc = wide ? floor_driver::copy_wide_text("", value, capacity, &n)
                              : floor_driver::copy_text("", value, capacity, &n);
    if (length != nullptr) *length = static_cast<SQLINTEGER>(n);
    return rc;
  }
  SQLUINTEGER answer = 0;
  switch (attribute) {
    case SQL_ATTR_AUTOCOMMIT:
      answer = c->autocommit;
      break;
    case SQL_ATTR_LOGIN_TIMEOUT:
      answer = c->login_timeout;
      break;
    case SQL_ATTR_CONNECTION_DEAD:
      answer = c->connected ? SQL_CD_FALSE : SQL_CD_TRUE;
      break;
    case SQL_ATTR_TXN_ISOLATION:
      answer = SQL_TXN_READ_COMMITTED;
      break;
    default:
      break;
  }
  if (value != nullptr) std::memcpy(value, &answer, sizeof answer);
  if (length != nullptr) *length = sizeof answer;
  return SQL_SUCCESS;
}

SQLRETURN set_connect_attr(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value) {
  if (dbc == SQL_NULL_HDBC) return SQL_INVALID_HANDLE;
  auto* c = static_cast<Connection*>(dbc);
  const auto integer = static_cast<SQLUINTEGER>(reinterpret_cast<SQLULEN>(value));
  if (attribute == SQL_ATTR_AUTOCOMMIT) c->autocommit = integer;
  if (attribute == SQL_ATTR_LOGIN_TIMEOUT) c->login_timeout = integer;
  return SQL_SUCCESS;
}

// SQLGetInfo types answered with text; the rest are numbers, 16-bit for
// those ODBC defines as SQLUSMALLINT, 32-bit otherwise, all 0 unless below.
const char* info_text(SQLUSMALLINT type) {
  switch (type) {
    case SQL_DRIVER_ODBC_VER:
      return "03.80";
    case SQL_ODBC_VER:
      return "03.80.0000";
    case SQL_DBMS_NAME:
      return "odbcpool floor driver";
    case SQL_DBMS_VER:
    case SQL_DRIVER_VER:
      return "01.00.0000";
    case SQL_DRIVER_NAME:
      return "libodbcpool_floor_driver.so";
    case SQL_XOPEN_CLI_YEAR:
      return "1995";
    case SQL_IDENTIFIER_QUOTE_CHAR:
      return "\"";
    case SQL_SEARCH_PATTERN_ESCAPE:
      return "\\";
    case SQL_CATALOG_NAME_SEPARATOR:
      return ".";
    case SQL_DATA_SOURCE_READ_ONLY:
    case SQL_NEED_LONG_DATA_LEN:
    case SQL_ACCESSIBLE_PROCEDURES:
    case SQL_ACCESSIBLE_TABLES:
    case SQL_COLUMN_ALIAS:
    case SQL_EXPRESSIONS_IN_ORDERBY:
    case SQL_LIKE_ESCAPE_CLAUSE:
    case SQL_MAX_ROW_SIZE_INCLUDES_LONG:
    case SQL_MULT_RESULT_SETS:
    case SQL_MULTIPLE_ACTIVE_TXN:
    case SQL_ORDER_BY_COLUMNS_IN_SELECT:
    case SQL_OUTER_JOINS:
    case SQL_PROCEDURES:
    case SQL_ROW_UPDATES:
    case SQL_INTEGRITY:
    case SQL_DESCRIBE_PARAMETER:
    case SQL_CATALOG_NAME:
    case SQL_COLLATION_SEQ:
      return "N";
    case SQL_DATA_SOURCE_NAME:
    case SQL_SERVER_NAME:
    case SQL_USER_NAME:
    case SQL_DATABASE_NAME:
    case SQL_KEYWORDS:
    case SQL_CATALOG_TERM:
    case SQL_SCHEMA_TERM:
    case SQL_TABLE_TERM:
    case SQL_PROCEDURE_TERM:
    case SQL_SPECIAL_CHARACTERS:
    case SQL_DM_VER:
      return "";
    default:
      return nullptr;
  }
}

bool info_is_16_bit(SQLUSMALLINT type) {
  switch (type) {
    case SQL_ACTIVE_CONNECTIONS:
    case SQL_ACTIVE_STATEMENTS:
    case SQL_CONCAT_NULL_BEHAVIOR:
    case SQL_CORRELATION_NAME:
    case SQL_CURSOR_COMMIT_BEHAVIOR:
    case SQL_CURSOR_ROLLBACK_BEHAVIOR:
    case SQL_FILE_USAGE:
    case SQL_GROUP_BY:
    case SQL_IDENTIFIER_CASE:
    case SQL_MAX_CATALOG_NAME_LEN:
    case SQL_MAX_COLUMN_NAME_LEN:
    case SQL_MAX_COLUMNS_IN_GROUP_BY:
    case SQL_MAX_COLUMNS_IN_INDEX:
    case SQL_MAX_COLUMNS_IN_ORDER_BY:
    case SQL_MAX_COLUMNS_IN_SELECT:
    case SQL_MAX_COLUMNS_IN_TABLE:
    case SQL_MAX_CURSOR_NAME_LEN:
    case SQL_MAX_IDENTIFIER_LEN:
    case SQL_MAX_PROCEDURE_NAME_LEN:
    case SQL_MAX_SCHEMA_NAME_LEN:
    case SQL_MAX_TABLE_NAME_LEN:
    case SQL_MAX_TABLES_IN_SELECT:
    case SQL_MAX_USER_NAME_LEN:
    case SQL_NON_NULLABLE_COLUMNS:
    case SQL_NULL_COLLATION:
    case SQL_ODBC_API_CONFORMANCE:
    case SQL_ODBC_SAG_CLI_CONFORMANCE:
    case SQL_ODBC_SQL_CONFORMANCE:
    case SQL_QUOTED_IDENTIFIER_CASE:
    case SQL_TXN_CAPABLE:
    case SQL_CATALOG_LOCATION:
      return true;
    default:
      return false;
  }
}

SQLRETURN get_info(SQLHDBC dbc, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT capacity,
                   SQLSMALLINT* length, bool wide) {
  if (dbc == SQL_NULL_HDBC) return SQL_INVALID_HANDLE;
  if (const char* text = info_text(type)) {
    SQLLEN n = 0;
    const SQLRETURN rc = wide ? floor_driver::copy_wide_text(text, value, capacity, &n)
                              : floor_driver::copy_text(text, value, capacity, &n);
    if (length != nullptr) *length = static_cast<SQLSMALLINT>(n);
    return rc;
  }
  if (info_is_16_bit(type)) {
    SQLUSMALLINT answer = type == SQL_TXN_CAPABLE ? SQL_TC_ALL : 0;
    if (value != nullptr) std::memcpy(value, &answer, sizeof answer);
    if (length != nullptr) *length = sizeof answer;
    return SQL_SUCCESS;
  }
  SQLUINTEGER answer = 0;
  if (type == SQL_GETDATA_EXTENSIONS) answer = SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER;
  if (type == SQL_DEFAULT_TXN_ISOLATION || type == SQL_TXN_ISOLATION_OPTION) {
    answer = SQL_TXN_READ_COMMITTED;
  }
  if (value != nullptr) std::memcpy(value, &answer, sizeof answer);
  if (length != nullptr) *length = sizeof answer;
  return SQL_SUCCESS;
}

}  // namespace

extern "C" {

// Called by the Driver Manager when it loads and unloads the library.
SQLRETURN SQLDriverLoad(void) {
  return SQL_SUCCESS;
}
SQLRETURN SQLDriverUnload(void) {
  return SQL_SUCCESS;
}

SQLRETURN SQL_API SQLAllocHandle(SQLSMALLINT type, SQLHANDLE input, SQLHANDLE* output) {
  if (output == nullptr) return SQL_ERROR;
  switch (type) {
    case SQL_HANDLE_ENV:
      *output = new Environment();
      return SQL_SUCCESS;
    case SQL_HANDLE_DBC:
      if (input == SQL_NULL_HANDLE) return SQL_INVALID_HANDLE;
      *output = new Connection();
      return SQL_SUCCESS;
    case SQL_HANDLE_STMT: {
      if (input == SQL_NULL_HANDLE) return SQL_INVALID_HANDLE;
      auto* s = new Statement();
      s->connection = static_cast<Connection*>(input);
      *output = s;
      return SQL_SUCCESS;
    }
    default:
      *output = SQL_NULL_HANDLE;
      return SQL_ERROR;
  }
}

SQLRETURN SQL_API SQLAllocEnv(SQLHENV* env) {
  return SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, env);
}
SQLRETURN SQL_API SQLAllocConnect(SQLHENV env, SQLHDBC* dbc) {
  return SQLAllocHandle(SQL_HANDLE_DBC, env, dbc);
}
SQLRETURN SQL_API SQLAllocStmt(SQLHDBC dbc, SQLHSTMT* stmt) {
  return SQLAllocHandle(SQL_HANDLE_STMT, dbc, stmt);
}

SQLRETURN SQL_API SQLFreeHandle(SQLSMALLINT type, SQLHANDLE handle) {
  return free_handle(type, handle);
}
SQLRETURN SQL_API SQLFreeEnv(SQLHENV env) {
  return free_handle(SQL_HANDLE_ENV, env);
}
SQLRETURN SQL_API SQLFreeConnect(SQLHDBC dbc) {
  return free_handle(SQL_HANDLE_DBC, dbc);
}

SQLRETURN SQL_API SQLSetEnvAttr(SQLHENV env, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER) {
  if (env == SQL_NULL_HENV) return SQL_INVALID_HANDLE;
  if (attribute == SQL_ATTR_ODBC_VERSION) {
    static_cast<Environment*>(env)->odbc_version =
        static_cast<SQLINTEGER>(reinterpret_cast<SQLLEN>(value));
  }
  return SQL_SUCCESS;
}

SQLRETURN SQL_API SQLGetEnvAttr(SQLHENV env, SQLINTEGER attribute, SQLPOINTER value, SQLINTEGER,
                                SQLINTEGER* length) {
  if (env == SQL_NULL_HENV) return SQL_INVALID_HANDLE;
  SQLINTEGER answer = 0;
  if (attribute == SQL_ATTR_ODBC_VERSION) answer = static_cast<Environment*>(env)->odbc_version;
  if (attribute == SQL_ATTR_OUTPUT_NTS) answer = SQL_TRUE;
  if (value != nullptr) std::memcpy(value, &answer, sizeof answer);
  if (length != nullptr) *length = sizeof answer;
  return SQL_SUCCESS;
}

// Every function is claimed: the ones it only refuses exist all the same.
SQLRETURN SQL_API SQLGetFunctions(SQLHDBC dbc, SQLUSMALLINT function, SQLUSMALLINT* supported) {
  if (dbc == SQL_NULL_HDBC) return SQL_INVALID_HANDLE;
  if (supported == nullptr) return SQL_ERROR;
  if (function == SQL_API_ODBC3_ALL_FUNCTIONS) {
    for (int i = 0; i < SQL_API_ODBC3_ALL_FUNCTIONS_SIZE; ++i) supported[i] = 0xFFFF;
  } else if (function == SQL_API_ALL_FUNCTIONS) {
    for (int i = 0; i < 100; ++i) supported[i] = SQL_TRUE;
  } else {
    *supported = SQL_TRUE;
  }
  return SQL_SUCCESS;
}

SQLRETURN SQL_API SQLConnect(SQLHDBC dbc, SQLCHAR*, SQLSMALLINT, SQLCHAR*, SQLSMALLINT, SQLCHAR*,
                             SQLSMALLINT) {
  return connect(dbc);
}
SQLRETURN SQL_API SQLConnectW(SQLHDBC dbc, SQLWCHAR*, SQLSMALLINT, SQLWCHAR*, SQLSMALLINT,
                              SQLWCHAR*, SQLSMALLINT) {
  return connect(dbc);
}

SQLRETURN SQL_API SQLDriverConnect(SQLHDBC dbc, SQLHWND, SQLCHAR* in, SQLSMALLINT in_length,
                                   SQLCHAR* out, SQLSMALLINT out_capacity, SQLSMALLINT* out_length,
                                   SQLUSMALLINT) {
  return driver_connect(dbc, in, in_length, out, out_capacity, out_length);
}
SQLRETURN SQL_API SQLDriverConnectW(SQLHDBC dbc, SQLHWND, SQLWCHAR* in, SQLSMALLINT in_length,
                                    SQLWCHAR* out, SQLSMALLINT out_capacity,
                                    SQLSMALLINT* out_length, SQLUSMALLINT) {
  return driver_connect(dbc, in, in_length, out, out_capacity, out_length);
}

SQLRETURN SQL_API SQLDisconnect(SQLHDBC dbc) {
  if (dbc == SQL_NULL_HDBC) return SQL_INVALID_HANDLE;
  static_cast<Connection*>(dbc)->connected = false;
  return SQL_SUCCESS;
}

SQLRETURN SQL_API SQLGetConnectAttr(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value,
                                    SQLINTEGER capacity, SQLINTEGER* length) {
  return get_connect_attr(dbc, attribute, value, capacity, length, false);
}
SQLRETURN SQL_API SQLGetConnectAttrW(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value,
                                     SQLINTEGER capacity, SQLINTEGER* length) {
  return get_connect_attr(dbc, attribute, value, capacity, length, true);
}
SQLRETURN SQL_API SQLSetConnectAttr(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value,
                                    SQLINTEGER) {
  return set_connect_attr(dbc, attribute, value);
}
SQLRETURN SQL_API SQLSetConnectAttrW(SQLHDBC dbc, SQLINTEGER attribute, SQLPOINTER value,
                                     SQLINTEGER) {
  return set_connect_attr(dbc, attribute, value);
}

SQLRETURN SQL_API SQLGetInfo(SQLHDBC dbc, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT capacity,
                             SQLSMALLINT* length) {
  return get_info(dbc, type, value, capacity, length, false);
}
SQLRETURN SQL_API SQLGetInfoW(SQLHDBC dbc, SQLUSMALLINT type, SQLPOINTER value,
                              SQLSMALLINT capacity, SQLSMALLINT* length) {
  return get_info(dbc, type, value, capacity, length, true);
}

// Nothing is ever in a transaction.
SQLRETURN SQL_API SQLEndTran(SQLSMALLINT, SQLHANDLE handle, SQLSMALLINT) {
  return handle == SQL_NULL_HANDLE ? SQL_INVALID_HANDLE : SQL_SUCCESS;
}
SQLRETURN SQL_API SQLTransact(SQLHENV env, SQLHDBC dbc, SQLUSMALLINT) {
  return env == SQL_NULL_HENV && dbc == SQL_NULL_HDBC ? SQL_INVALID_HANDLE : SQL_SUCCESS;
}

// Nothing ever fails with a diagnostic record.
SQLRETURN SQL_API SQLGetDiagRec(SQLSMALLINT, SQLHANDLE, SQLSMALLINT, SQLCHAR*, SQLINTEGER*,
                                SQLCHAR*, SQLSMALLINT, SQLSMALLINT*) {
  return SQL_NO_DATA;
}
SQLRETURN SQL_API SQLGetDiagRecW(SQLSMALLINT, SQLHANDLE, SQLSMALLINT, SQLWCHAR*, SQLINTEGER*,
                                 SQLWCHAR*, SQLSMALLINT, SQLSMALLINT*) {
  return SQL_NO_DATA;
}
SQLRETURN SQL_API SQLGetDiagField(SQLSMALLINT, SQLHANDLE, SQLSMALLINT record, SQLSMALLINT field,
                                  SQLPOINTER value, SQLSMALLINT, SQLSMALLINT*) {
  if (record == 0 && field == SQL_DIAG_NUMBER && value != nullptr) {
    const SQLINTEGER none = 0;
    std::memcpy(value, &none, sizeof none);
    return SQL_SUCCESS;
  }
  return SQL_NO_DATA;
}
SQLRETURN SQL_API SQLGetDiagFieldW(SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record,
                                   SQLSMALLINT field, SQLPOINTER value, SQLSMALLINT capacity,
                                   SQLSMALLINT* length) {
  return SQLGetDiagField(type, handle, record, field, value, capacity, length);
}
SQLRETURN SQL_API SQLError(SQLHENV, SQLHDBC, SQLHSTMT, SQLCHAR*, SQLINTEGER*, SQLCHAR*, SQLSMALLINT,
                           SQLSMALLINT*) {
  return SQL_NO_DATA;
}
SQLRETURN SQL_API SQLErrorW(SQLHENV, SQLHDBC, SQLHSTMT, SQLWCHAR*, SQLINTEGER*, SQLWCHAR*,
                            SQLSMALLINT, SQLSMALLINT*) {
  return SQL_NO_DATA;
}

}  // extern "C"
