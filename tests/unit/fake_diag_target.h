// A fake target diagnostic area: a FunctionTable whose SQLGetDiagRec[W] and
// SQLGetDiagField[W] read records from a FakeDiagArea passed as the handle.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "diag_record.h"
#include "odbc.h"
#include "target_library.h"
#include "unicode.h"

namespace odbcpool::testing {

struct FakeDiagArea {
  struct Record {
    Record(std::string sqlstate, std::string message, SQLINTEGER native = 0)
        : sqlstate(std::move(sqlstate)), message(std::move(message)), native(native) {}

    std::string sqlstate;
    std::string message;
    SQLINTEGER native;
    std::string class_origin = "ISO 9075";
    std::string subclass_origin = "ISO 9075";
    std::string server = "fake server";
    SQLLEN row = 7;
    SQLINTEGER column = 3;
  };
  std::vector<Record> records;
  int rec_calls = 0;  // SQLGetDiagRec[W] calls
};

inline FakeDiagArea& area(SQLHANDLE handle) {
  return *static_cast<FakeDiagArea*>(handle);
}

inline SQLRETURN fake_get_diag_rec(SQLSMALLINT, SQLHANDLE handle, SQLSMALLINT n, SQLCHAR* state,
                                   SQLINTEGER* native, SQLCHAR* message, SQLSMALLINT capacity,
                                   SQLSMALLINT* length) {
  FakeDiagArea& a = area(handle);
  ++a.rec_calls;
  if (n < 1 || static_cast<std::size_t>(n) > a.records.size()) return SQL_NO_DATA;
  const auto& r = a.records[static_cast<std::size_t>(n - 1)];
  std::memcpy(state, r.sqlstate.c_str(), 6);
  *native = r.native;
  *length = static_cast<SQLSMALLINT>(r.message.size());
  if (capacity <= 0) return SQL_SUCCESS_WITH_INFO;
  const std::size_t fit = std::min(r.message.size(), static_cast<std::size_t>(capacity - 1));
  std::memcpy(message, r.message.data(), fit);
  message[fit] = 0;
  return fit < r.message.size() ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
}

inline SQLRETURN fake_get_diag_rec_w(SQLSMALLINT, SQLHANDLE handle, SQLSMALLINT n, SQLWCHAR* state,
                                     SQLINTEGER* native, SQLWCHAR* message, SQLSMALLINT capacity,
                                     SQLSMALLINT* length) {
  FakeDiagArea& a = area(handle);
  ++a.rec_calls;
  if (n < 1 || static_cast<std::size_t>(n) > a.records.size()) return SQL_NO_DATA;
  const auto& r = a.records[static_cast<std::size_t>(n - 1)];
  const std::u16string wstate = to_utf16(r.sqlstate);
  for (std::size_t i = 0; i < 5; ++i) state[i] = wstate[i];
  state[5] = 0;
  *native = r.native;
  const std::u16string wmessage = to_utf16(r.message);
  *length = static_cast<SQLSMALLINT>(wmessage.size());  // in characters
  if (capacity <= 0) return SQL_SUCCESS_WITH_INFO;
  const std::size_t fit = std::min(wmessage.size(), static_cast<std::size_t>(capacity - 1));
  std::copy(wmessage.begin(), wmessage.begin() + static_cast<std::ptrdiff_t>(fit), message);
  message[fit] = 0;
  return fit < wmessage.size() ? SQL_SUCCESS_WITH_INFO : SQL_SUCCESS;
}

inline SQLRETURN fake_get_diag_field(SQLSMALLINT, SQLHANDLE handle, SQLSMALLINT n,
                                     SQLSMALLINT field, SQLPOINTER out, SQLSMALLINT capacity,
                                     SQLSMALLINT* length) {
  FakeDiagArea& a = area(handle);
  if (n < 1 || static_cast<std::size_t>(n) > a.records.size()) return SQL_NO_DATA;
  const auto& r = a.records[static_cast<std::size_t>(n - 1)];
  const std::string* text = nullptr;
  static const std::string empty;
  switch (field) {
    case SQL_DIAG_CLASS_ORIGIN:
      text = &r.class_origin;
      break;
    case SQL_DIAG_SUBCLASS_ORIGIN:
      text = &r.subclass_origin;
      break;
    case SQL_DIAG_SERVER_NAME:
      text = &r.server;
      break;
    case SQL_DIAG_CONNECTION_NAME:
      text = &empty;
      break;
    case SQL_DIAG_ROW_NUMBER:
      *static_cast<SQLLEN*>(out) = r.row;
      return SQL_SUCCESS;
    case SQL_DIAG_COLUMN_NUMBER:
      *static_cast<SQLINTEGER*>(out) = r.column;
      return SQL_SUCCESS;
    default:
      return SQL_ERROR;
  }
  if (length != nullptr) *length = static_cast<SQLSMALLINT>(text->size());
  if (capacity <= 0) return SQL_SUCCESS_WITH_INFO;
  const std::size_t fit = std::min(text->size(), static_cast<std::size_t>(capacity - 1));
  std::memcpy(out, text->data(), fit);
  static_cast<char*>(out)[fit] = 0;
  return SQL_SUCCESS;
}

// A table with only the ANSI diagnostic functions (and the fields function
// when `fields` is set), or only the wide SQLGetDiagRecW.
inline FunctionTable fake_diag_table(bool wide = false, bool fields = false) {
  FunctionTable fn;
  if (wide) {
    fn.SQLGetDiagRecW = &fake_get_diag_rec_w;
  } else {
    fn.SQLGetDiagRec = &fake_get_diag_rec;
    if (fields) fn.SQLGetDiagField = &fake_get_diag_field;
  }
  return fn;
}

}  // namespace odbcpool::testing
