#include "values.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <vector>

namespace conformance {

std::string CTypeName(SQLSMALLINT c_type) {
  switch (c_type) {
    case SQL_C_CHAR:
      return "SQL_C_CHAR";
    case SQL_C_WCHAR:
      return "SQL_C_WCHAR";
    case SQL_C_SLONG:
      return "SQL_C_SLONG";
    case SQL_C_ULONG:
      return "SQL_C_ULONG";
    case SQL_C_SSHORT:
      return "SQL_C_SSHORT";
    case SQL_C_USHORT:
      return "SQL_C_USHORT";
    case SQL_C_STINYINT:
      return "SQL_C_STINYINT";
    case SQL_C_UTINYINT:
      return "SQL_C_UTINYINT";
    case SQL_C_SBIGINT:
      return "SQL_C_SBIGINT";
    case SQL_C_UBIGINT:
      return "SQL_C_UBIGINT";
    case SQL_C_BIT:
      return "SQL_C_BIT";
    case SQL_C_FLOAT:
      return "SQL_C_FLOAT";
    case SQL_C_DOUBLE:
      return "SQL_C_DOUBLE";
    case SQL_C_BINARY:
      return "SQL_C_BINARY";
    case SQL_C_TYPE_DATE:
      return "SQL_C_TYPE_DATE";
    case SQL_C_TYPE_TIME:
      return "SQL_C_TYPE_TIME";
    case SQL_C_TYPE_TIMESTAMP:
      return "SQL_C_TYPE_TIMESTAMP";
    case SQL_C_NUMERIC:
      return "SQL_C_NUMERIC";
    case SQL_C_GUID:
      return "SQL_C_GUID";
    case SQL_C_DEFAULT:
      return "SQL_C_DEFAULT";
    default:
      return "c_type=" + std::to_string(c_type);
  }
}

namespace {

template <typename T>
T Load(const void* buffer) {
  T value;
  std::memcpy(&value, buffer, sizeof value);
  return value;
}

std::string Format(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* format, ...) {
  char out[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(out, sizeof out, format, args);
  va_end(args);
  return out;
}

}  // namespace

std::string FormatCValue(SQLSMALLINT c_type, const void* buffer, SQLLEN buffer_length,
                         SQLLEN indicator) {
  if (indicator == SQL_NULL_DATA) return "NULL";
  switch (c_type) {
    case SQL_C_CHAR:
      return Quote(std::string(static_cast<const char*>(buffer),
                               strnlen(static_cast<const char*>(buffer), buffer_length)));
    case SQL_C_WCHAR: {
      const auto* w = static_cast<const SQLWCHAR*>(buffer);
      size_t units = 0;
      while (units < static_cast<size_t>(buffer_length) / sizeof(SQLWCHAR) && w[units] != 0) {
        ++units;
      }
      return "W" + Quote(FromWide(w, units)) + " units=" + std::to_string(units) +
             " utf16=" + Hex(w, units * sizeof(SQLWCHAR));
    }
    case SQL_C_SLONG:
      return std::to_string(Load<SQLINTEGER>(buffer));
    case SQL_C_ULONG:
      return std::to_string(Load<SQLUINTEGER>(buffer));
    case SQL_C_SSHORT:
      return std::to_string(Load<SQLSMALLINT>(buffer));
    case SQL_C_USHORT:
      return std::to_string(Load<SQLUSMALLINT>(buffer));
    case SQL_C_STINYINT:
      return std::to_string(Load<SQLSCHAR>(buffer));
    case SQL_C_UTINYINT:
    case SQL_C_BIT:
      return std::to_string(Load<SQLCHAR>(buffer));
    case SQL_C_SBIGINT:
      return std::to_string(Load<SQLBIGINT>(buffer));
    case SQL_C_UBIGINT:
      return std::to_string(Load<SQLUBIGINT>(buffer));
    case SQL_C_FLOAT:
      return Format("%.9g", Load<SQLREAL>(buffer));
    case SQL_C_DOUBLE:
      return Format("%.17g", Load<SQLDOUBLE>(buffer));
    case SQL_C_BINARY: {
      const SQLLEN shown = indicator < 0 || indicator > buffer_length ? buffer_length : indicator;
      return "0x" + Hex(buffer, static_cast<size_t>(shown));
    }
    case SQL_C_TYPE_DATE: {
      const auto d = Load<SQL_DATE_STRUCT>(buffer);
      return Format("%04d-%02u-%02u", d.year, d.month, d.day);
    }
    case SQL_C_TYPE_TIME: {
      const auto t = Load<SQL_TIME_STRUCT>(buffer);
      return Format("%02u:%02u:%02u", t.hour, t.minute, t.second);
    }
    case SQL_C_TYPE_TIMESTAMP: {
      const auto t = Load<SQL_TIMESTAMP_STRUCT>(buffer);
      return Format("%04d-%02u-%02u %02u:%02u:%02u.%09u", t.year, t.month, t.day, t.hour, t.minute,
                    t.second, static_cast<unsigned>(t.fraction));
    }
    case SQL_C_NUMERIC: {
      const auto n = Load<SQL_NUMERIC_STRUCT>(buffer);
      return Format("numeric(p=%u s=%d sign=%u) 0x", n.precision, n.scale, n.sign) +
             Hex(n.val, sizeof n.val);
    }
    case SQL_C_GUID:
      return "0x" + Hex(buffer, sizeof(SQLGUID));
    default:
      return "0x" + Hex(buffer, static_cast<size_t>(buffer_length < 16 ? buffer_length : 16));
  }
}

SQLRETURN RecordGetData(Session& s, SQLHSTMT stmt, SQLUSMALLINT column, SQLSMALLINT c_type,
                        SQLLEN buffer_length) {
  // Filled with a pattern so that bytes the driver did not write show up.
  std::vector<unsigned char> buffer(static_cast<size_t>(buffer_length), 0xAB);
  SQLLEN indicator = -12345;
  const SQLRETURN rc = SQLGetData(stmt, column, c_type, buffer.data(), buffer_length, &indicator);
  std::string line =
      "  get " + std::to_string(column) + " as " + CTypeName(c_type) + " -> " + RcName(rc);
  if (SQL_SUCCEEDED(rc)) {
    line += " ind=" + Indicator(indicator) + " " +
            FormatCValue(c_type, buffer.data(), buffer_length, indicator);
  }
  s.Log(line);
  if (rc == SQL_SUCCESS_WITH_INFO || rc == SQL_ERROR) s.Diagnostics(SQL_HANDLE_STMT, stmt);
  return rc;
}

}  // namespace conformance
