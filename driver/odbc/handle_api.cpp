// Allocating and freeing handles, and cancelling.
#include "api.h"

using namespace odbcpool;

namespace {

SQLRETURN alloc_environment(SQLHANDLE* output) {
  if (output == nullptr) return SQL_ERROR;
  try {
    *output = new Environment();
    return SQL_SUCCESS;
  } catch (...) {
    *output = SQL_NULL_HENV;
    return SQL_ERROR;
  }
}

SQLRETURN alloc_connection(Environment& env, SQLHANDLE* output) {
  if (output == nullptr) throw OdbcError("HY009", "Invalid use of null pointer");
  *output = SQL_NULL_HDBC;
  auto* connection = new Connection(env);
  env.attach(connection);
  *output = connection;
  return SQL_SUCCESS;
}

SQLRETURN alloc_statement(Connection& connection, SQLHANDLE* output) {
  if (output == nullptr) throw OdbcError("HY009", "Invalid use of null pointer");
  *output = SQL_NULL_HSTMT;
  const FunctionTable& fn = connection.fn();
  SQLHSTMT target = SQL_NULL_HSTMT;
  SQLRETURN rc = fn.SQLAllocHandle(SQL_HANDLE_STMT, connection.target_dbc(), &target);
  if (!SQL_SUCCEEDED(rc)) return rc;
  auto* statement = new Statement(connection, target);
  connection.attach(statement);
  *output = statement;
  return rc;
}

SQLRETURN alloc_descriptor(Connection& connection, SQLHANDLE* output) {
  if (output == nullptr) throw OdbcError("HY009", "Invalid use of null pointer");
  *output = SQL_NULL_HDESC;
  const FunctionTable& fn = connection.fn();
  SQLHDESC target = SQL_NULL_HDESC;
  SQLRETURN rc = fn.SQLAllocHandle(SQL_HANDLE_DESC, connection.target_dbc(), &target);
  if (!SQL_SUCCEEDED(rc)) return rc;
  auto* descriptor = new Descriptor(connection, target, false);
  connection.attach(descriptor);
  *output = descriptor;
  return rc;
}

// On a connection inherited across fork() only our side is freed: the
// target's handle stays allocated (in this process's copy of its memory), so
// that nothing is sent on the parent's socket.
SQLRETURN free_statement(Statement& statement) {
  if (!statement.connection().inherited()) {
    SQLRETURN rc = statement.fn().SQLFreeHandle(SQL_HANDLE_STMT, statement.target());
    if (rc == SQL_ERROR) return rc;
  }
  statement.connection().detach(&statement);
  delete &statement;
  return SQL_SUCCESS;
}

SQLRETURN free_descriptor(Descriptor& descriptor) {
  if (descriptor.implicit()) {
    throw OdbcError("HY017", "Invalid use of an automatically allocated descriptor handle");
  }
  if (!descriptor.connection().inherited()) {
    SQLRETURN rc = descriptor.fn().SQLFreeHandle(SQL_HANDLE_DESC, descriptor.target());
    if (rc == SQL_ERROR) return rc;
  }
  descriptor.connection().detach(&descriptor);
  delete &descriptor;
  return SQL_SUCCESS;
}

}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLAllocHandle(SQLSMALLINT type, SQLHANDLE input,
                                                 SQLHANDLE* output) {
  switch (type) {
    case SQL_HANDLE_ENV:
      return alloc_environment(output);
    case SQL_HANDLE_DBC:
      return guarded<Environment>(input,
                                  [&](Environment& env) { return alloc_connection(env, output); });
    case SQL_HANDLE_STMT:
      return guarded<Connection>(input, [&](Connection& c) { return alloc_statement(c, output); });
    case SQL_HANDLE_DESC:
      return guarded<Connection>(input, [&](Connection& c) { return alloc_descriptor(c, output); });
    default:
      return SQL_ERROR;
  }
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLFreeHandle(SQLSMALLINT type, SQLHANDLE handle) {
  switch (type) {
    case SQL_HANDLE_ENV:
      return guarded_cleanup<Environment>(handle, [](Environment& env) {
        if (!env.connections().empty())
          throw OdbcError("HY010", "Function sequence error: connections still allocated");
        delete &env;
        return SQL_SUCCESS;
      });
    case SQL_HANDLE_DBC:
      return guarded_cleanup<Connection>(handle, [](Connection& c) {
        if (c.connected()) throw OdbcError("HY010", "Function sequence error: still connected");
        c.env().detach(&c);
        delete &c;
        return SQL_SUCCESS;
      });
    case SQL_HANDLE_STMT:
      return guarded_cleanup<Statement>(handle, free_statement);
    case SQL_HANDLE_DESC:
      return guarded_cleanup<Descriptor>(handle, free_descriptor);
    default:
      return SQL_ERROR;
  }
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLFreeStmt(SQLHSTMT handle, SQLUSMALLINT option) {
  if (option == SQL_DROP) return guarded_cleanup<Statement>(handle, free_statement);
  return guarded<Statement>(handle,
                            [&](Statement& s) { return s.fn().SQLFreeStmt(s.target(), option); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLCancel(SQLHSTMT handle) {
  return guarded<Statement>(
      handle, [](Statement& s) { return require(s.fn().SQLCancel, "SQLCancel")(s.target()); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLCancelHandle(SQLSMALLINT type, SQLHANDLE handle) {
  if (type == SQL_HANDLE_STMT) {
    return guarded<Statement>(handle, [](Statement& s) {
      if (s.fn().SQLCancelHandle != nullptr)
        return s.fn().SQLCancelHandle(SQL_HANDLE_STMT, s.target());
      return require(s.fn().SQLCancel, "SQLCancel")(s.target());
    });
  }
  if (type == SQL_HANDLE_DBC) {
    return guarded<Connection>(handle, [](Connection& c) {
      return require(c.fn().SQLCancelHandle, "SQLCancelHandle")(SQL_HANDLE_DBC, c.target_dbc());
    });
  }
  return SQL_INVALID_HANDLE;
}
