// Connecting and disconnecting.
#include "api.h"
#include "connect.h"
#include "lengths.h"

using namespace odbcpool;

namespace {

SQLRETURN finish_connect(Connection& c, const std::vector<DiagRecord>& warnings) {
  if (warnings.empty()) return SQL_SUCCESS;
  c.diag().add_all(warnings);
  return SQL_SUCCESS_WITH_INFO;
}

// StringLength2Ptr is a SQLSMALLINT: a completed string longer than 32767
// characters is reported as 32767, with a warning saying so, never as a
// negative or wrapped length.
void report_length(Connection& c, SQLLEN full, SQLSMALLINT* out_length, SQLRETURN& rc) {
  if (out_length == nullptr) return;
  *out_length = saturated<SQLSMALLINT>(full);
  if (full > *out_length) {
    c.diag().add(DiagRecord::own(
        "01000", "the completed connection string is " + std::to_string(full) +
                     " characters long; its length is reported as " + std::to_string(*out_length) +
                     ", the most a SQLSMALLINT holds"));
    rc = rc == SQL_SUCCESS ? SQL_SUCCESS_WITH_INFO : rc;
  }
}

SQLRETURN connect(Connection& c, TextIn dsn, TextIn user, TextIn password) {
  if (c.browsing) throw OdbcError("HY010", "Function sequence error: SQLBrowseConnect in progress");
  ConnectionString cs = connection_string_for(dsn.utf8(), user.utf8(), password.utf8(),
                                              !user.is_null(), !password.is_null());
  return finish_connect(c, connect_logical(c, cs, dsn.is_wide()));
}

SQLRETURN driver_connect(Connection& c, TextIn in, TextOut out, SQLSMALLINT* out_length) {
  if (c.browsing) throw OdbcError("HY010", "Function sequence error: SQLBrowseConnect in progress");
  ConnectionString cs = parse_application_string(in.utf8());
  SQLRETURN rc = finish_connect(c, connect_logical(c, cs, in.is_wide()));
  // The completed string names our DSN or driver, never the target's, so
  // that an application reconnecting with it comes back through the pool.
  SQLLEN full = 0;
  if (out.buffer != nullptr || out_length != nullptr) {
    // 01004 is about the application's own buffer only: none passed, none cut.
    if (out.write(cs.to_string(), &full) && out.buffer != nullptr) {
      c.diag().add(DiagRecord::own("01004", "String data, right truncated"));
      rc = SQL_SUCCESS_WITH_INFO;
    }
    report_length(c, full, out_length, rc);
  }
  return rc;
}

SQLRETURN disconnect(Connection& c) {
  if (c.browsing) {
    c.browsing.reset();
    return SQL_SUCCESS;
  }
  disconnect_logical(c);
  return SQL_SUCCESS;
}

}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLConnect(SQLHDBC handle, SQLCHAR* dsn, SQLSMALLINT dsn_length,
                                             SQLCHAR* user, SQLSMALLINT user_length,
                                             SQLCHAR* password, SQLSMALLINT password_length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    return connect(c, TextIn::ansi(dsn, dsn_length), TextIn::ansi(user, user_length),
                   TextIn::ansi(password, password_length));
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLConnectW(SQLHDBC handle, SQLWCHAR* dsn, SQLSMALLINT dsn_length,
                                              SQLWCHAR* user, SQLSMALLINT user_length,
                                              SQLWCHAR* password, SQLSMALLINT password_length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    return connect(c, TextIn::wide(dsn, dsn_length), TextIn::wide(user, user_length),
                   TextIn::wide(password, password_length));
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDriverConnect(SQLHDBC handle, SQLHWND, SQLCHAR* in,
                                                   SQLSMALLINT in_length, SQLCHAR* out,
                                                   SQLSMALLINT out_capacity,
                                                   SQLSMALLINT* out_length, SQLUSMALLINT) {
  return guarded<Connection>(handle, [&](Connection& c) {
    return driver_connect(c, TextIn::ansi(in, in_length),
                          TextOut{false, out, out_capacity, Units::Characters}, out_length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDriverConnectW(SQLHDBC handle, SQLHWND, SQLWCHAR* in,
                                                    SQLSMALLINT in_length, SQLWCHAR* out,
                                                    SQLSMALLINT out_capacity,
                                                    SQLSMALLINT* out_length, SQLUSMALLINT) {
  return guarded<Connection>(handle, [&](Connection& c) {
    return driver_connect(c, TextIn::wide(in, in_length),
                          TextOut{true, out, out_capacity, Units::Characters}, out_length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLBrowseConnect(SQLHDBC handle, SQLCHAR* in,
                                                   SQLSMALLINT in_length, SQLCHAR* out,
                                                   SQLSMALLINT out_capacity,
                                                   SQLSMALLINT* out_length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    return browse_connect(c, TextIn::ansi(in, in_length),
                          TextOut{false, out, out_capacity, Units::Characters}, out_length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLBrowseConnectW(SQLHDBC handle, SQLWCHAR* in,
                                                    SQLSMALLINT in_length, SQLWCHAR* out,
                                                    SQLSMALLINT out_capacity,
                                                    SQLSMALLINT* out_length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    return browse_connect(c, TextIn::wide(in, in_length),
                          TextOut{true, out, out_capacity, Units::Characters}, out_length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLDisconnect(SQLHDBC handle) {
  // Allowed on a connection inherited across fork(): disconnect_logical then
  // frees only our side.
  return guarded_cleanup<Connection>(handle, disconnect);
}
