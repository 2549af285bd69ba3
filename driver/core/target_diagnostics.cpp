#include "target_diagnostics.h"

#include "lengths.h"
#include "target_library.h"
#include "unicode.h"

namespace odbcpool {

namespace {

std::string text_field(const FunctionTable& fn, bool wide, SQLSMALLINT type, SQLHANDLE handle,
                       SQLSMALLINT record, SQLSMALLINT field) {
  if (wide ? fn.SQLGetDiagFieldW == nullptr : fn.SQLGetDiagField == nullptr) return {};
  if (!wide) {
    char buffer[1024];
    SQLSMALLINT length = 0;
    SQLRETURN rc = fn.SQLGetDiagField(type, handle, record, field, buffer, sizeof buffer, &length);
    if (!SQL_SUCCEEDED(rc)) return {};
    return std::string(buffer, std::min<std::size_t>(length, sizeof buffer - 1));
  }
  SQLWCHAR buffer[1024];
  SQLSMALLINT length = 0;
  SQLRETURN rc = fn.SQLGetDiagFieldW(type, handle, record, field, buffer, sizeof buffer, &length);
  if (!SQL_SUCCEEDED(rc)) return {};
  const std::size_t units = std::min<std::size_t>(length / sizeof(SQLWCHAR), 1023);
  return to_utf8(WideView(reinterpret_cast<const char16_t*>(buffer), units));
}

long integer_field(const FunctionTable& fn, bool wide, SQLSMALLINT type, SQLHANDLE handle,
                   SQLSMALLINT record, SQLSMALLINT field, long fallback) {
  if (wide ? fn.SQLGetDiagFieldW == nullptr : fn.SQLGetDiagField == nullptr) return fallback;
  SQLLEN value = 0;
  const SQLRETURN rc = wide ? fn.SQLGetDiagFieldW(type, handle, record, field, &value, 0, nullptr)
                            : fn.SQLGetDiagField(type, handle, record, field, &value, 0, nullptr);
  return SQL_SUCCEEDED(rc) ? static_cast<long>(value) : fallback;
}

bool read_record(const FunctionTable& fn, bool wide, SQLSMALLINT type, SQLHANDLE handle,
                 SQLSMALLINT n, DiagRecord& out) {
  SQLINTEGER native = 0;
  if (!wide) {
    SQLCHAR state[6] = {};
    std::string message(512, '\0');
    SQLSMALLINT length = 0;
    SQLRETURN rc;
    for (;;) {
      rc = fn.SQLGetDiagRec(type, handle, n, state, &native,
                            reinterpret_cast<SQLCHAR*>(message.data()),
                            saturated<SQLSMALLINT>(message.size()), &length);
      if (rc != SQL_SUCCESS_WITH_INFO || length < saturated<SQLSMALLINT>(message.size()) ||
          message.size() >= 32000) {
        break;
      }
      message.resize(std::min<std::size_t>(static_cast<std::size_t>(length) + 1, 32767));
    }
    if (!SQL_SUCCEEDED(rc)) return false;
    message.resize(std::min<std::size_t>(length, message.size() - 1));
    out.sqlstate = reinterpret_cast<const char*>(state);
    out.message = std::move(message);
  } else {
    SQLWCHAR state[6] = {};
    std::u16string message(512, u'\0');
    SQLSMALLINT length = 0;
    SQLRETURN rc;
    for (;;) {
      rc = fn.SQLGetDiagRecW(type, handle, n, state, &native,
                             reinterpret_cast<SQLWCHAR*>(message.data()),
                             saturated<SQLSMALLINT>(message.size()), &length);
      if (rc != SQL_SUCCESS_WITH_INFO || length < saturated<SQLSMALLINT>(message.size()) ||
          message.size() >= 16000) {
        break;
      }
      message.resize(std::min<std::size_t>(static_cast<std::size_t>(length) + 1, 32767));
    }
    if (!SQL_SUCCEEDED(rc)) return false;
    message.resize(std::min<std::size_t>(length, message.size() - 1));
    out.sqlstate = to_utf8(WideView(reinterpret_cast<const char16_t*>(state), 5));
    out.message = to_utf8(message);
  }
  out.native = native;
  out.from_target = true;
  out.class_origin = text_field(fn, wide, type, handle, n, SQL_DIAG_CLASS_ORIGIN);
  out.subclass_origin = text_field(fn, wide, type, handle, n, SQL_DIAG_SUBCLASS_ORIGIN);
  out.connection_name = text_field(fn, wide, type, handle, n, SQL_DIAG_CONNECTION_NAME);
  out.server_name = text_field(fn, wide, type, handle, n, SQL_DIAG_SERVER_NAME);
  if (type == SQL_HANDLE_STMT) {
    out.row_number =
        integer_field(fn, wide, type, handle, n, SQL_DIAG_ROW_NUMBER, SQL_NO_ROW_NUMBER);
    out.column_number =
        integer_field(fn, wide, type, handle, n, SQL_DIAG_COLUMN_NUMBER, SQL_NO_COLUMN_NUMBER);
  }
  return true;
}

// SQLError hands out the next record and forgets it; it knows no record
// numbers and no fields but the SQLSTATE, native code and message.
bool read_error(const FunctionTable& fn, bool wide, SQLSMALLINT type, SQLHANDLE handle,
                DiagRecord& out) {
  if (type == SQL_HANDLE_DESC) return false;
  SQLHENV env = type == SQL_HANDLE_ENV ? handle : SQL_NULL_HENV;
  SQLHDBC dbc = type == SQL_HANDLE_DBC ? handle : SQL_NULL_HDBC;
  SQLHSTMT stmt = type == SQL_HANDLE_STMT ? handle : SQL_NULL_HSTMT;
  SQLINTEGER native = 0;
  SQLSMALLINT length = 0;
  SQLRETURN rc;
  if (wide) {
    SQLWCHAR state[6] = {};
    SQLWCHAR message[SQL_MAX_MESSAGE_LENGTH + 1] = {};
    rc = fn.SQLErrorW(env, dbc, stmt, state, &native, message, SQL_MAX_MESSAGE_LENGTH, &length);
    if (!SQL_SUCCEEDED(rc)) return false;
    out.sqlstate = to_utf8(WideView(reinterpret_cast<const char16_t*>(state), 5));
    out.message = to_utf8(
        WideView(reinterpret_cast<const char16_t*>(message),
                 std::min<std::size_t>(std::max<SQLSMALLINT>(length, 0), SQL_MAX_MESSAGE_LENGTH)));
  } else {
    SQLCHAR state[6] = {};
    SQLCHAR message[SQL_MAX_MESSAGE_LENGTH + 1] = {};
    rc = fn.SQLError(env, dbc, stmt, state, &native, message, SQL_MAX_MESSAGE_LENGTH, &length);
    if (!SQL_SUCCEEDED(rc)) return false;
    out.sqlstate = reinterpret_cast<const char*>(state);
    out.message.assign(
        reinterpret_cast<const char*>(message),
        std::min<std::size_t>(std::max<SQLSMALLINT>(length, 0), SQL_MAX_MESSAGE_LENGTH));
  }
  out.native = native;
  return true;
}

}  // namespace

bool ansi_diag_usable(const FunctionTable& fn) {
  return fn.SQLGetDiagRec != nullptr && fn.SQLGetDiagField != nullptr;
}

DiagSource diag_source(const FunctionTable& fn) {
  if (fn.SQLGetDiagRecW != nullptr && fn.SQLGetDiagFieldW != nullptr) return DiagSource::DiagWide;
  if (fn.SQLErrorW != nullptr) return DiagSource::ErrorWide;
  if (ansi_diag_usable(fn)) return DiagSource::DiagAnsi;
  if (fn.SQLError != nullptr) return DiagSource::ErrorAnsi;
  // A target with SQLGetDiagRec[W] but not the matching SQLGetDiagField:
  // still better read than lost.
  if (fn.SQLGetDiagRecW != nullptr) return DiagSource::DiagWide;
  if (fn.SQLGetDiagRec != nullptr) return DiagSource::DiagAnsi;
  return DiagSource::None;
}

bool target_has_record(const FunctionTable& fn, SQLSMALLINT handle_type, SQLHANDLE handle) {
  SQLINTEGER native = 0;
  SQLSMALLINT length = 0;
  switch (diag_source(fn)) {
    case DiagSource::DiagWide: {
      SQLWCHAR state[6] = {};
      return SQL_SUCCEEDED(
          fn.SQLGetDiagRecW(handle_type, handle, 1, state, &native, nullptr, 0, &length));
    }
    case DiagSource::DiagAnsi: {
      SQLCHAR state[6] = {};
      return SQL_SUCCEEDED(
          fn.SQLGetDiagRec(handle_type, handle, 1, state, &native, nullptr, 0, &length));
    }
    default:
      return false;
  }
}

std::vector<DiagRecord> read_target_diagnostics(const FunctionTable& fn, SQLSMALLINT handle_type,
                                                SQLHANDLE handle) {
  std::vector<DiagRecord> records;
  if (handle == SQL_NULL_HANDLE) return records;
  const DiagSource source = diag_source(fn);
  for (SQLSMALLINT n = 1; n < 1000; ++n) {
    DiagRecord record;
    bool read = false;
    switch (source) {
      case DiagSource::DiagWide:
      case DiagSource::DiagAnsi:
        read = read_record(fn, source == DiagSource::DiagWide, handle_type, handle, n, record);
        break;
      case DiagSource::ErrorWide:
      case DiagSource::ErrorAnsi:
        read = read_error(fn, source == DiagSource::ErrorWide, handle_type, handle, record);
        break;
      case DiagSource::None:
        break;
    }
    if (!read) break;
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace odbcpool
