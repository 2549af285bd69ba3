// Environment attributes and transactions. Our environment stands for the
// application's; the target environment behind it is shared by the process.
#include "api.h"

using namespace odbcpool;

namespace {

SQLRETURN set_env_attr(Environment& env, SQLINTEGER attribute, SQLPOINTER value) {
  const auto integer = static_cast<SQLINTEGER>(reinterpret_cast<intptr_t>(value));
  switch (attribute) {
    case SQL_ATTR_ODBC_VERSION:
      if (integer != SQL_OV_ODBC2 && integer != SQL_OV_ODBC3 && integer != SQL_OV_ODBC3_80) {
        throw OdbcError("HY024", "Invalid attribute value for SQL_ATTR_ODBC_VERSION");
      }
      env.odbc_version = integer;
      return SQL_SUCCESS;
    case SQL_ATTR_OUTPUT_NTS:
      env.output_nts = integer;
      return SQL_SUCCESS;
    case SQL_ATTR_CONNECTION_POOLING:
      env.connection_pooling = static_cast<SQLUINTEGER>(integer);
      return SQL_SUCCESS;
    case SQL_ATTR_CP_MATCH:
      env.cp_match = static_cast<SQLUINTEGER>(integer);
      return SQL_SUCCESS;
    default:
      throw OdbcError("HY092", "Invalid attribute/option identifier");
  }
}

SQLRETURN get_env_attr(Environment& env, SQLINTEGER attribute, SQLPOINTER value,
                       SQLINTEGER* length) {
  SQLINTEGER result;
  switch (attribute) {
    case SQL_ATTR_ODBC_VERSION:
      result = env.odbc_version;
      break;
    case SQL_ATTR_OUTPUT_NTS:
      result = env.output_nts;
      break;
    case SQL_ATTR_CONNECTION_POOLING:
      result = static_cast<SQLINTEGER>(env.connection_pooling.load());
      break;
    case SQL_ATTR_CP_MATCH:
      result = static_cast<SQLINTEGER>(env.cp_match.load());
      break;
    default:
      throw OdbcError("HY092", "Invalid attribute/option identifier");
  }
  if (value != nullptr) *static_cast<SQLINTEGER*>(value) = result;
  if (length != nullptr) *length = sizeof(SQLINTEGER);
  return SQL_SUCCESS;
}

SQLRETURN end_tran_connection(Connection& c, SQLSMALLINT completion) {
  return require(c.fn().SQLEndTran, "SQLEndTran")(SQL_HANDLE_DBC, c.target_dbc(), completion);
}

// Commits or rolls back every connected connection of the environment; the
// target environment is shared with other applications' connections, so it
// cannot be asked to do this itself.
SQLRETURN end_tran_environment(Environment& env, SQLSMALLINT completion) {
  SQLRETURN result = SQL_SUCCESS;
  for (Connection* c : env.connections()) {
    if (!c->connected()) continue;
    // One inherited across fork() is the parent's: its transaction is left
    // alone, and the application told it was not ended.
    SQLRETURN rc = c->inherited() ? SQL_ERROR : end_tran_connection(*c, completion);
    if (rc == SQL_ERROR) {
      env.diag().add(DiagRecord::own("25S01",
                                     "Transaction state unknown: a connection failed to "
                                     "end its transaction"));
      result = SQL_ERROR;
    } else if (rc == SQL_SUCCESS_WITH_INFO && result == SQL_SUCCESS) {
      result = SQL_SUCCESS_WITH_INFO;
    }
  }
  return result;
}

}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLSetEnvAttr(SQLHENV handle, SQLINTEGER attribute,
                                                SQLPOINTER value, SQLINTEGER) {
  return guarded<Environment>(
      handle, [&](Environment& env) { return set_env_attr(env, attribute, value); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetEnvAttr(SQLHENV handle, SQLINTEGER attribute,
                                                SQLPOINTER value, SQLINTEGER, SQLINTEGER* length) {
  return guarded<Environment>(
      handle, [&](Environment& env) { return get_env_attr(env, attribute, value, length); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLEndTran(SQLSMALLINT type, SQLHANDLE handle,
                                             SQLSMALLINT completion) {
  if (type == SQL_HANDLE_ENV) {
    return guarded<Environment>(
        handle, [&](Environment& env) { return end_tran_environment(env, completion); });
  }
  if (type == SQL_HANDLE_DBC) {
    return guarded<Connection>(handle,
                               [&](Connection& c) { return end_tran_connection(c, completion); });
  }
  return SQL_INVALID_HANDLE;
}
