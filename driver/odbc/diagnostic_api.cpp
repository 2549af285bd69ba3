// SQLGetDiagRec and SQLGetDiagField: our own records, or the target's read
// through from the target handle, converted between ANSI and wide forms
// where the target has only the other one.
#include <cstring>

#include "api.h"
#include "target_diagnostics.h"
#include "text_attributes.h"

using namespace odbcpool;

namespace {

Handle* find_any(SQLSMALLINT type, SQLHANDLE handle) {
  switch (type) {
    case SQL_HANDLE_ENV:
      return HandleRegistry::find(handle, HandleKind::Environment);
    case SQL_HANDLE_DBC:
      return HandleRegistry::find(handle, HandleKind::Connection);
    case SQL_HANDLE_STMT:
      return HandleRegistry::find(handle, HandleKind::Statement);
    case SQL_HANDLE_DESC:
      return HandleRegistry::find(handle, HandleKind::Descriptor);
    default:
      return nullptr;
  }
}

SQLRETURN own_rec(const std::vector<DiagRecord>& records, SQLSMALLINT number, bool wide,
                  SQLPOINTER state, SQLINTEGER* native, SQLPOINTER message, SQLSMALLINT capacity,
                  SQLSMALLINT* length) {
  if (number < 1 || capacity < 0) return SQL_ERROR;
  if (static_cast<std::size_t>(number) > records.size()) return SQL_NO_DATA;
  const DiagRecord& r = records[static_cast<std::size_t>(number - 1)];
  if (state != nullptr) TextOut{wide, state, 6, Units::Characters}.write(r.sqlstate, nullptr);
  if (native != nullptr) *native = static_cast<SQLINTEGER>(r.native);
  SQLLEN full = 0;
  const bool truncated =
      TextOut{wide, message, capacity, Units::Characters}.write(r.message, &full);
  if (length != nullptr) *length = saturated<SQLSMALLINT>(full);
  return truncated && message != nullptr ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
}

SQLRETURN target_rec(const TargetHandle& t, SQLSMALLINT number, bool wide, SQLPOINTER state,
                     SQLINTEGER* native, SQLPOINTER message, SQLSMALLINT capacity,
                     SQLSMALLINT* length) {
  const FunctionTable& fn = *t.fn;
  const bool has_ansi = ansi_diag_usable(fn);
  // A target read through SQLError had its records copied when the call
  // returned; nothing is left to read through.
  if (!has_ansi && fn.SQLGetDiagRecW == nullptr) return SQL_NO_DATA;
  const bool target_wide = call_wide(wide, has_ansi, fn.SQLGetDiagRecW != nullptr, "SQLGetDiagRec");
  if (target_wide == wide) {
    if (wide) {
      return fn.SQLGetDiagRecW(t.type, t.handle, number, static_cast<SQLWCHAR*>(state), native,
                               static_cast<SQLWCHAR*>(message), capacity, length);
    }
    return fn.SQLGetDiagRec(t.type, t.handle, number, static_cast<SQLCHAR*>(state), native,
                            static_cast<SQLCHAR*>(message), capacity, length);
  }
  // Read the whole record in the target's form, then hand it out in ours.
  std::vector<DiagRecord> one(1);
  DiagRecord& r = one[0];
  SQLINTEGER target_native = 0;
  SQLRETURN rc;
  if (target_wide) {
    SQLWCHAR target_state[6] = {};
    WideString text;
    rc = read_whole_text<char16_t>(
        [&](char16_t* buffer, SQLLEN cap, SQLLEN* len) {
          SQLSMALLINT n = 0;
          SQLRETURN r2 =
              fn.SQLGetDiagRecW(t.type, t.handle, number, target_state, &target_native,
                                reinterpret_cast<SQLWCHAR*>(buffer),
                                static_cast<SQLSMALLINT>(std::min<SQLLEN>(cap, 32000)), &n);
          *len = n;
          return r2;
        },
        text, Units::Characters);
    r.sqlstate = to_utf8(WideView(reinterpret_cast<const char16_t*>(target_state), 5));
    r.message = to_utf8(text);
  } else {
    SQLCHAR target_state[6] = {};
    std::string text;
    rc = read_whole_text<char>(
        [&](char* buffer, SQLLEN cap, SQLLEN* len) {
          SQLSMALLINT n = 0;
          SQLRETURN r2 =
              fn.SQLGetDiagRec(t.type, t.handle, number, target_state, &target_native,
                               reinterpret_cast<SQLCHAR*>(buffer),
                               static_cast<SQLSMALLINT>(std::min<SQLLEN>(cap, 32000)), &n);
          *len = n;
          return r2;
        },
        text, Units::Characters);
    r.sqlstate = reinterpret_cast<const char*>(target_state);
    r.message = text;
  }
  if (!SQL_SUCCEEDED(rc)) return rc;
  r.native = target_native;
  return own_rec(one, 1, wide, state, native, message, capacity, length);
}

SQLRETURN get_diag_rec(Handle& h, SQLSMALLINT number, bool wide, SQLPOINTER state,
                       SQLINTEGER* native, SQLPOINTER message, SQLSMALLINT capacity,
                       SQLSMALLINT* length) {
  Diagnostics::View view = h.diag().view();
  if (view.target)
    return target_rec(view.target, number, wide, state, native, message, capacity, length);
  return own_rec(view.records, number, wide, state, native, message, capacity, length);
}

template <class T>
SQLRETURN put(SQLPOINTER out, T value) {
  if (out != nullptr) std::memcpy(out, &value, sizeof value);
  return SQL_SUCCESS;
}

SQLRETURN put_text(bool wide, const std::string& text, SQLPOINTER out, SQLSMALLINT capacity,
                   SQLSMALLINT* length) {
  SQLLEN full = 0;
  const bool truncated = TextOut{wide, out, capacity, Units::Bytes}.write(text, &full);
  if (length != nullptr) *length = saturated<SQLSMALLINT>(full);
  return truncated && out != nullptr ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
}

SQLRETURN own_field(const Diagnostics::View& view, SQLSMALLINT number, SQLSMALLINT field, bool wide,
                    SQLPOINTER out, SQLSMALLINT capacity, SQLSMALLINT* length) {
  switch (field) {
    case SQL_DIAG_NUMBER:
      return put<SQLINTEGER>(out, static_cast<SQLINTEGER>(view.records.size()));
    case SQL_DIAG_RETURNCODE:
      return put<SQLRETURN>(out, view.return_code);
    case SQL_DIAG_ROW_COUNT:
    case SQL_DIAG_CURSOR_ROW_COUNT:
      return put<SQLLEN>(out, 0);
    case SQL_DIAG_DYNAMIC_FUNCTION_CODE:
    case SQL_DIAG_DYNAMIC_FUNCTION:
      // The target's own header is gone with the records it handed out.
      if (!view.records.empty() && view.records.front().from_target) return SQL_ERROR;
      if (field == SQL_DIAG_DYNAMIC_FUNCTION) return put_text(wide, "", out, capacity, length);
      return put<SQLINTEGER>(out, SQL_DIAG_UNKNOWN_STATEMENT);
    default:
      break;
  }
  if (number < 1) return SQL_ERROR;
  if (static_cast<std::size_t>(number) > view.records.size()) return SQL_NO_DATA;
  const DiagRecord& r = view.records[static_cast<std::size_t>(number - 1)];
  if (!r.has_fields && (field == SQL_DIAG_CLASS_ORIGIN || field == SQL_DIAG_SUBCLASS_ORIGIN ||
                        field == SQL_DIAG_CONNECTION_NAME || field == SQL_DIAG_SERVER_NAME)) {
    return SQL_ERROR;
  }
  switch (field) {
    case SQL_DIAG_SQLSTATE:
      return put_text(wide, r.sqlstate, out, capacity, length);
    case SQL_DIAG_NATIVE:
      return put<SQLINTEGER>(out, static_cast<SQLINTEGER>(r.native));
    case SQL_DIAG_MESSAGE_TEXT:
      return put_text(wide, r.message, out, capacity, length);
    case SQL_DIAG_CLASS_ORIGIN:
      return put_text(wide, r.class_origin, out, capacity, length);
    case SQL_DIAG_SUBCLASS_ORIGIN:
      return put_text(wide, r.subclass_origin, out, capacity, length);
    case SQL_DIAG_CONNECTION_NAME:
      return put_text(wide, r.connection_name, out, capacity, length);
    case SQL_DIAG_SERVER_NAME:
      return put_text(wide, r.server_name, out, capacity, length);
    case SQL_DIAG_ROW_NUMBER:
      return put<SQLLEN>(out, r.row_number);
    case SQL_DIAG_COLUMN_NUMBER:
      return put<SQLINTEGER>(out, static_cast<SQLINTEGER>(r.column_number));
    default:
      return SQL_ERROR;
  }
}

SQLRETURN target_field(const TargetHandle& t, SQLSMALLINT number, SQLSMALLINT field, bool wide,
                       SQLPOINTER out, SQLSMALLINT capacity, SQLSMALLINT* length) {
  const FunctionTable& fn = *t.fn;
  const bool has_ansi = ansi_diag_usable(fn);
  if (!has_ansi && fn.SQLGetDiagFieldW == nullptr) return SQL_NO_DATA;
  const bool target_wide =
      call_wide(wide, has_ansi, fn.SQLGetDiagFieldW != nullptr, "SQLGetDiagField");
  if (target_wide == wide || !is_text_diag_field(field)) {
    if (target_wide)
      return fn.SQLGetDiagFieldW(t.type, t.handle, number, field, out, capacity, length);
    return fn.SQLGetDiagField(t.type, t.handle, number, field, out, capacity, length);
  }
  SQLRETURN rc;
  std::string text;
  if (target_wide) {
    WideString w;
    rc = read_whole_text<char16_t>(
        [&](char16_t* buffer, SQLLEN cap, SQLLEN* len) {
          SQLSMALLINT n = 0;
          SQLRETURN r2 =
              fn.SQLGetDiagFieldW(t.type, t.handle, number, field, buffer,
                                  static_cast<SQLSMALLINT>(std::min<SQLLEN>(cap, 32000)), &n);
          *len = n;
          return r2;
        },
        w, Units::Bytes);
    text = to_utf8(w);
  } else {
    rc = read_whole_text<char>(
        [&](char* buffer, SQLLEN cap, SQLLEN* len) {
          SQLSMALLINT n = 0;
          SQLRETURN r2 =
              fn.SQLGetDiagField(t.type, t.handle, number, field, buffer,
                                 static_cast<SQLSMALLINT>(std::min<SQLLEN>(cap, 32000)), &n);
          *len = n;
          return r2;
        },
        text, Units::Bytes);
  }
  if (!SQL_SUCCEEDED(rc)) return rc;
  return put_text(wide, text, out, capacity, length);
}

SQLRETURN raw_diag_field(Handle& h, SQLSMALLINT number, SQLSMALLINT field, bool wide,
                         SQLPOINTER out, SQLSMALLINT capacity, SQLSMALLINT* length) {
  Diagnostics::View view = h.diag().view();
  if (field == SQL_DIAG_RETURNCODE || !view.target) {
    return own_field(view, number, field, wide, out, capacity, length);
  }
  return target_field(view.target, number, field, wide, out, capacity, length);
}

// SQL_DIAG_SERVER_NAME as the application would see it from the target
// directly: its own DSN where the target names the one odbcpool wraps.
SQLRETURN get_diag_field(Handle& h, SQLSMALLINT number, SQLSMALLINT field, bool wide,
                         SQLPOINTER out, SQLSMALLINT capacity, SQLSMALLINT* length) {
  Connection* c = h.owner_connection();
  if (field != SQL_DIAG_SERVER_NAME || c == nullptr) {
    return raw_diag_field(h, number, field, wide, out, capacity, length);
  }
  std::string name(1024, '\0');
  SQLSMALLINT name_length = 0;
  const SQLRETURN rc = raw_diag_field(h, number, field, false, name.data(),
                                      saturated<SQLSMALLINT>(name.size()), &name_length);
  if (!SQL_SUCCEEDED(rc)) return rc;
  name.resize(std::min<std::size_t>(std::max<SQLSMALLINT>(name_length, 0), name.size() - 1));
  return put_text(wide, c->as_seen_by_application(name), out, capacity, length);
}

}  // namespace

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetDiagRec(SQLSMALLINT type, SQLHANDLE handle,
                                                SQLSMALLINT number, SQLCHAR* state,
                                                SQLINTEGER* native, SQLCHAR* message,
                                                SQLSMALLINT capacity, SQLSMALLINT* length) {
  return guarded_diag(find_any(type, handle), [&](Handle& h) {
    return get_diag_rec(h, number, false, state, native, message, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetDiagRecW(SQLSMALLINT type, SQLHANDLE handle,
                                                 SQLSMALLINT number, SQLWCHAR* state,
                                                 SQLINTEGER* native, SQLWCHAR* message,
                                                 SQLSMALLINT capacity, SQLSMALLINT* length) {
  return guarded_diag(find_any(type, handle), [&](Handle& h) {
    return get_diag_rec(h, number, true, state, native, message, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetDiagField(SQLSMALLINT type, SQLHANDLE handle,
                                                  SQLSMALLINT number, SQLSMALLINT field,
                                                  SQLPOINTER out, SQLSMALLINT capacity,
                                                  SQLSMALLINT* length) {
  return guarded_diag(find_any(type, handle), [&](Handle& h) {
    return get_diag_field(h, number, field, false, out, capacity, length);
  });
}

ODBCPOOL_EXPORT SQLRETURN SQL_API SQLGetDiagFieldW(SQLSMALLINT type, SQLHANDLE handle,
                                                   SQLSMALLINT number, SQLSMALLINT field,
                                                   SQLPOINTER out, SQLSMALLINT capacity,
                                                   SQLSMALLINT* length) {
  return guarded_diag(find_any(type, handle), [&](Handle& h) {
    return get_diag_field(h, number, field, true, out, capacity, length);
  });
}
