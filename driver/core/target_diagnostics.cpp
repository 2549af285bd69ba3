#include "target_diagnostics.h"

#include "target_library.h"
#include "unicode.h"

namespace odbcpool {

namespace {

std::string text_field(const FunctionTable& fn, SQLSMALLINT type, SQLHANDLE handle,
                       SQLSMALLINT record, SQLSMALLINT field) {
  if (fn.SQLGetDiagField != nullptr) {
    char buffer[1024];
    SQLSMALLINT length = 0;
    SQLRETURN rc = fn.SQLGetDiagField(type, handle, record, field, buffer, sizeof buffer, &length);
    if (!SQL_SUCCEEDED(rc)) return {};
    return std::string(buffer, std::min<std::size_t>(length, sizeof buffer - 1));
  }
  if (fn.SQLGetDiagFieldW != nullptr) {
    SQLWCHAR buffer[1024];
    SQLSMALLINT length = 0;
    SQLRETURN rc = fn.SQLGetDiagFieldW(type, handle, record, field, buffer, sizeof buffer, &length);
    if (!SQL_SUCCEEDED(rc)) return {};
    const std::size_t units = std::min<std::size_t>(length / sizeof(SQLWCHAR), 1023);
    return to_utf8(WideView(reinterpret_cast<const char16_t*>(buffer), units));
  }
  return {};
}

long integer_field(const FunctionTable& fn, SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT record,
                   SQLSMALLINT field, long fallback) {
  SQLLEN value = 0;
  SQLRETURN rc = SQL_ERROR;
  if (fn.SQLGetDiagField != nullptr) {
    rc = fn.SQLGetDiagField(type, handle, record, field, &value, 0, nullptr);
  } else if (fn.SQLGetDiagFieldW != nullptr) {
    rc = fn.SQLGetDiagFieldW(type, handle, record, field, &value, 0, nullptr);
  }
  return SQL_SUCCEEDED(rc) ? static_cast<long>(value) : fallback;
}

bool read_record(const FunctionTable& fn, SQLSMALLINT type, SQLHANDLE handle, SQLSMALLINT n,
                 DiagRecord& out) {
  SQLINTEGER native = 0;
  if (fn.SQLGetDiagRec != nullptr) {
    SQLCHAR state[6] = {};
    std::string message(512, '\0');
    SQLSMALLINT length = 0;
    SQLRETURN rc;
    for (;;) {
      rc = fn.SQLGetDiagRec(type, handle, n, state, &native,
                            reinterpret_cast<SQLCHAR*>(message.data()),
                            static_cast<SQLSMALLINT>(message.size()), &length);
      if (rc != SQL_SUCCESS_WITH_INFO || length < static_cast<SQLSMALLINT>(message.size()) ||
          message.size() >= 32000) {
        break;
      }
      message.resize(static_cast<std::size_t>(length) + 1);
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
                             static_cast<SQLSMALLINT>(message.size()), &length);
      if (rc != SQL_SUCCESS_WITH_INFO || length < static_cast<SQLSMALLINT>(message.size()) ||
          message.size() >= 16000) {
        break;
      }
      message.resize(static_cast<std::size_t>(length) + 1);
    }
    if (!SQL_SUCCEEDED(rc)) return false;
    message.resize(std::min<std::size_t>(length, message.size() - 1));
    out.sqlstate = to_utf8(WideView(reinterpret_cast<const char16_t*>(state), 5));
    out.message = to_utf8(message);
  }
  out.native = native;
  out.class_origin = text_field(fn, type, handle, n, SQL_DIAG_CLASS_ORIGIN);
  out.subclass_origin = text_field(fn, type, handle, n, SQL_DIAG_SUBCLASS_ORIGIN);
  out.connection_name = text_field(fn, type, handle, n, SQL_DIAG_CONNECTION_NAME);
  out.server_name = text_field(fn, type, handle, n, SQL_DIAG_SERVER_NAME);
  if (type == SQL_HANDLE_STMT) {
    out.row_number = integer_field(fn, type, handle, n, SQL_DIAG_ROW_NUMBER, SQL_NO_ROW_NUMBER);
    out.column_number =
        integer_field(fn, type, handle, n, SQL_DIAG_COLUMN_NUMBER, SQL_NO_COLUMN_NUMBER);
  }
  return true;
}

}  // namespace

std::vector<DiagRecord> read_target_diagnostics(const FunctionTable& fn, SQLSMALLINT handle_type,
                                                SQLHANDLE handle) {
  std::vector<DiagRecord> records;
  if (handle == SQL_NULL_HANDLE) return records;
  for (SQLSMALLINT n = 1; n < 1000; ++n) {
    DiagRecord record;
    if (!read_record(fn, handle_type, handle, n, record)) break;
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace odbcpool
