// SQLGetInfo, SQLGetFunctions and SQLNativeSql answer for the target.
#include <cstring>

#include "api.h"
#include "text_attributes.h"

using namespace odbcpool;

namespace {

// The handles SQLGetInfo reports as "the driver's" are ours: they are what
// the Driver Manager holds.
bool own_handle_info(Connection& c, SQLUSMALLINT type, SQLPOINTER value) {
  SQLHANDLE handle;
  switch (type) {
    case SQL_DRIVER_HENV:
      handle = &c.env();
      break;
    case SQL_DRIVER_HDBC:
      handle = &c;
      break;
    default:
      return false;
  }
  if (value != nullptr) std::memcpy(value, &handle, sizeof handle);
  return true;
}

SQLRETURN get_info(Connection& c, bool wide, SQLUSMALLINT type, SQLPOINTER value,
                   SQLSMALLINT capacity, SQLSMALLINT* length) {
  if (own_handle_info(c, type, value)) {
    set_length(length, sizeof(SQLHANDLE));
    return SQL_SUCCESS;
  }
  const FunctionTable& fn = c.fn();
  SQLHDBC dbc = c.target_dbc();
  if (!is_text_info_type(type)) {
    const bool target_wide = call_wide(wide, fn.SQLGetInfo, fn.SQLGetInfoW, "SQLGetInfo");
    return target_wide ? fn.SQLGetInfoW(dbc, type, value, capacity, length)
                       : fn.SQLGetInfo(dbc, type, value, capacity, length);
  }
  return text_out(
      c, wide, fn.SQLGetInfo != nullptr, fn.SQLGetInfoW != nullptr, "SQLGetInfo",
      TextOut{wide, value, capacity, Units::Bytes}, length,
      [&](SQLCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLSMALLINT n = 0;
        SQLRETURN rc = fn.SQLGetInfo(dbc, type, b, small(cap), &n);
        *len = n;
        return rc;
      },
      [&](SQLWCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLSMALLINT n = 0;
        SQLRETURN rc = fn.SQLGetInfoW(dbc, type, b, small(cap), &n);
        *len = n;
        return rc;
      });
}

void mark(SQLUSMALLINT* bitmap, SQLUSMALLINT id, bool present) {
  if (present) {
    bitmap[id >> 4] |= static_cast<SQLUSMALLINT>(1 << (id & 0x000F));
  } else {
    bitmap[id >> 4] &= static_cast<SQLUSMALLINT>(~(1 << (id & 0x000F)));
  }
}

// What we can serve is what the target says it supports, among the entry
// points we forward and the target actually exports in either form.
SQLRETURN get_functions(Connection& c, SQLUSMALLINT id, SQLUSMALLINT* supported) {
  if (supported == nullptr) throw OdbcError("HY009", "Invalid use of null pointer");
  const TargetLibrary& library = c.session().target().library();
  const FunctionTable& fn = library.fn();
  SQLUSMALLINT bitmap[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE] = {};
  bool from_target = false;
  if (fn.SQLGetFunctions != nullptr) {
    from_target =
        SQL_SUCCEEDED(fn.SQLGetFunctions(c.target_dbc(), SQL_API_ODBC3_ALL_FUNCTIONS, bitmap));
  }
  const auto target_has = [&](SQLUSMALLINT f) {
    return !from_target || SQL_FUNC_EXISTS(bitmap, f) == SQL_TRUE;
  };
  SQLUSMALLINT ours[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE] = {};
#define ODBCPOOL_MARK(F, fid) mark(ours, fid, target_has(fid) && library.exports(fid));
  ODBCPOOL_PLAIN_FUNCTIONS(ODBCPOOL_MARK)
  ODBCPOOL_TEXT_FUNCTIONS(ODBCPOOL_MARK)
#undef ODBCPOOL_MARK
  // Always ours: diagnostics, handles and functions we emulate.
  mark(ours, SQL_API_SQLGETFUNCTIONS, true);
  mark(ours, SQL_API_SQLGETDIAGREC, true);
  mark(ours, SQL_API_SQLGETDIAGFIELD, true);
  mark(ours, SQL_API_SQLALLOCHANDLE, true);
  mark(ours, SQL_API_SQLFREEHANDLE, true);
  mark(ours, SQL_API_SQLGETENVATTR, true);
  mark(ours, SQL_API_SQLSETENVATTR, true);
  mark(ours, SQL_API_SQLBINDPARAM,
       library.exports(SQL_API_SQLBINDPARAM) || library.exports(SQL_API_SQLBINDPARAMETER));

  if (id == SQL_API_ODBC3_ALL_FUNCTIONS) {
    std::memcpy(supported, ours, sizeof ours);
  } else if (id == SQL_API_ALL_FUNCTIONS) {
    for (SQLUSMALLINT i = 0; i < 100; ++i) supported[i] = SQL_FUNC_EXISTS(ours, i);
  } else if (id < SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * 16) {
    *supported = SQL_FUNC_EXISTS(ours, id);
  } else {
    *supported = SQL_FALSE;
  }
  return SQL_SUCCESS;
}

SQLRETURN native_sql(Connection& c, TextIn in, bool wide, SQLPOINTER out, SQLINTEGER capacity,
                     SQLINTEGER* length) {
  const FunctionTable& fn = c.fn();
  SQLHDBC dbc = c.target_dbc();
  return text_out(
      c, wide, fn.SQLNativeSql != nullptr, fn.SQLNativeSqlW != nullptr, "SQLNativeSql",
      TextOut{wide, out, capacity, Units::Characters}, length,
      [&](SQLCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLINTEGER n = 0;
        SQLRETURN rc = fn.SQLNativeSql(dbc, in.ansi_text(), in.ansi_length(), b,
                                       saturated<SQLINTEGER>(cap), &n);
        *len = n;
        return rc;
      },
      [&](SQLWCHAR* b, SQLLEN cap, SQLLEN* len) {
        SQLINTEGER n = 0;
        SQLRETURN rc = fn.SQLNativeSqlW(dbc, in.wide_text(), in.wide_length(), b,
                                        saturated<SQLINTEGER>(cap), &n);
        *len = n;
        return rc;
      });
}

}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetInfo(SQLHDBC handle, SQLUSMALLINT type, SQLPOINTER value,
                                             SQLSMALLINT capacity, SQLSMALLINT* length) {
  return guarded<Connection>(
      handle, [&](Connection& c) { return get_info(c, false, type, value, capacity, length); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetInfoW(SQLHDBC handle, SQLUSMALLINT type, SQLPOINTER value,
                                              SQLSMALLINT capacity, SQLSMALLINT* length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    c.note_wide_call();
    return get_info(c, true, type, value, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetFunctions(SQLHDBC handle, SQLUSMALLINT id,
                                                  SQLUSMALLINT* supported) {
  return guarded<Connection>(handle,
                             [&](Connection& c) { return get_functions(c, id, supported); });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLNativeSql(SQLHDBC handle, SQLCHAR* in, SQLINTEGER in_length,
                                               SQLCHAR* out, SQLINTEGER capacity,
                                               SQLINTEGER* length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    return native_sql(c, TextIn::ansi(in, in_length), false, out, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLNativeSqlW(SQLHDBC handle, SQLWCHAR* in, SQLINTEGER in_length,
                                                SQLWCHAR* out, SQLINTEGER capacity,
                                                SQLINTEGER* length) {
  return guarded<Connection>(handle, [&](Connection& c) {
    c.note_wide_call();
    return native_sql(c, TextIn::wide(in, in_length), true, out, capacity, length);
  });
}
