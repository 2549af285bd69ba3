#include "diag_record.h"

namespace odbcpool {

namespace {

// SQL_DIAG_CLASS_ORIGIN is "ODBC 3.0" only for class IM, which ODBC defines;
// every other class comes from ISO 9075 (HY included, by way of the X/Open
// CLI). SQL_DIAG_SUBCLASS_ORIGIN is "ODBC 3.0" for the subclasses ODBC adds
// to those classes, as listed in the SQLGetDiagField reference.
bool is_odbc_subclass(const std::string& sqlstate) {
  static const char* const kOdbcSubclasses[] = {
      "01S00", "01S01", "01S02", "01S06", "01S07", "07S01", "08S01", "21S01",
      "21S02", "25S01", "25S02", "25S03", "42S01", "42S02", "42S11", "42S12",
      "42S21", "42S22", "HY095", "HY097", "HY098", "HY099", "HY100", "HY101",
      "HY105", "HY107", "HY109", "HY110", "HY111", "HYT00", "HYT01"};
  for (const char* s : kOdbcSubclasses) {
    if (sqlstate == s) return true;
  }
  return false;
}

}  // namespace

DiagRecord DiagRecord::own(const std::string& sqlstate, const std::string& message, long native) {
  DiagRecord r;
  r.sqlstate = sqlstate;
  r.native = native;
  r.message = kMessagePrefix + message;
  const bool odbc_class = sqlstate.compare(0, 2, "IM") == 0;
  r.class_origin = odbc_class ? "ODBC 3.0" : "ISO 9075";
  r.subclass_origin = odbc_class || is_odbc_subclass(sqlstate) ? "ODBC 3.0" : "ISO 9075";
  return r;
}

}  // namespace odbcpool
