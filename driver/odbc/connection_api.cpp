// Connecting and disconnecting.
#include "api.h"
#include "connect.h"
#include "connect_config.h"
#include "ini_reader.h"
#include "lengths.h"
#include "target_connect.h"
#include "target_diagnostics.h"

using namespace odbcpool;

namespace {

ConnectionString parse_connection_string(const std::string& text) {
  try {
    return ConnectionString::parse(text);
  } catch (const ConnectionStringError& e) {
    throw OdbcError("HY000", e.what());
  }
}

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
  ConnectionString cs = parse_connection_string(in.utf8());
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

// SQLBrowseConnect, step by step: the first call resolves the target and
// starts browsing on a fresh target connection; later calls pass the
// application's answers straight through. Browsed connections are not pooled.
SQLRETURN browse_connect(Connection& c, TextIn in, TextOut out, SQLSMALLINT* out_length) {
  if (c.connected()) throw OdbcError("08002", "Connection name in use");
  ConnectionString cs = parse_connection_string(in.utf8());
  if (!c.browsing) {
    ConnectConfig config = resolve_connect(cs, system_ini());
    TargetLibrary& library = TargetLibrary::load(config.target_library);
    SQLHDBC dbc = SQL_NULL_HDBC;
    SQLHENV env = library.environment(c.env().odbc_version);
    SQLRETURN rc = library.fn().SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
    if (!SQL_SUCCEEDED(rc))
      throw TargetError(read_target_diagnostics(library.fn(), SQL_HANDLE_ENV, env), rc);
    c.browsing = std::make_unique<TargetConnection>(library, dbc);
    cs = config.target_string;
  } else {
    ConnectionString answers;
    for (const auto& e : cs.entries()) {
      if (!is_own_key(e.key)) answers.set(e.key, e.value);
    }
    cs = answers;
  }
  TargetConnection& target = *c.browsing;
  const FunctionTable& fn = target.fn();
  bool wide = false;
  std::string text;
  try {
    wide = call_wide(out.wide, fn.SQLBrowseConnect, fn.SQLBrowseConnectW, "SQLBrowseConnect");
    // Whole or refused, as for SQLDriverConnect (it goes with SQL_NTS).
    text = target_connect_text(cs, wide);
  } catch (...) {
    c.browsing.reset();  // refused before the target saw anything: browsing is over
    throw;
  }
  c.diag().begin_call({&fn, SQL_HANDLE_DBC, target.dbc()});

  SQLRETURN rc;
  SQLLEN full = 0;
  bool truncated = false;
  if (wide == out.wide) {
    SQLSMALLINT length = 0;
    if (wide) {
      WideString in_text = to_utf16(text);
      rc = fn.SQLBrowseConnectW(target.dbc(), reinterpret_cast<SQLWCHAR*>(in_text.data()), SQL_NTS,
                                static_cast<SQLWCHAR*>(out.buffer),
                                saturated<SQLSMALLINT>(out.capacity), &length);
    } else {
      std::string in_text = text;
      rc = fn.SQLBrowseConnect(target.dbc(), reinterpret_cast<SQLCHAR*>(in_text.data()), SQL_NTS,
                               static_cast<SQLCHAR*>(out.buffer),
                               saturated<SQLSMALLINT>(out.capacity), &length);
    }
    full = length;
  } else if (wide) {
    WideString in_text = to_utf16(text);
    WideString result(16384, u'\0');
    SQLSMALLINT length = 0;
    rc = fn.SQLBrowseConnectW(target.dbc(), reinterpret_cast<SQLWCHAR*>(in_text.data()), SQL_NTS,
                              reinterpret_cast<SQLWCHAR*>(result.data()), 16384, &length);
    result.resize(std::min<std::size_t>(std::max<SQLSMALLINT>(length, 0), 16383));
    if (SQL_SUCCEEDED(rc) || rc == SQL_NEED_DATA) truncated = out.write(result, &full);
  } else {
    std::string in_text = text;
    std::string result(32768, '\0');
    SQLSMALLINT length = 0;
    rc = fn.SQLBrowseConnect(target.dbc(), reinterpret_cast<SQLCHAR*>(in_text.data()), SQL_NTS,
                             reinterpret_cast<SQLCHAR*>(result.data()), 32767, &length);
    result.resize(std::min<std::size_t>(std::max<SQLSMALLINT>(length, 0), 32766));
    if (SQL_SUCCEEDED(rc) || rc == SQL_NEED_DATA) truncated = out.write(result, &full);
  }
  if (out_length != nullptr) *out_length = saturated<SQLSMALLINT>(full);

  if (rc == SQL_ERROR) {
    auto records = read_target_diagnostics(fn, SQL_HANDLE_DBC, target.dbc());
    c.browsing.reset();
    throw TargetError(std::move(records), rc);
  }
  if (SQL_SUCCEEDED(rc)) {
    auto records = rc == SQL_SUCCESS_WITH_INFO
                       ? read_target_diagnostics(fn, SQL_HANDLE_DBC, target.dbc())
                       : std::vector<DiagRecord>{};
    c.browsing->learn_claims();
    c.attach_session(make_direct_session(std::move(c.browsing)));
    c.diag().begin_call({});
    c.diag().add_all(records);
  }
  if (truncated && rc == SQL_SUCCESS) {
    c.diag().add(DiagRecord::own("01004", "String data, right truncated"));
    rc = SQL_SUCCESS_WITH_INFO;
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
