#include "diag_record.h"

#include <cstring>

namespace odbcpool {

namespace {

// SQLSTATE classes defined by ISO 9075; everything else is ODBC's.
bool is_iso_class(const std::string& sqlstate) {
  static const char* const kIsoClasses[] = {"01", "02", "07", "08", "0A", "21", "22", "23", "24",
                                            "25", "28", "2A", "2B", "2C", "2D", "2E", "33", "34",
                                            "35", "37", "3C", "3D", "3F", "40", "42", "44", "HZ"};
  for (const char* c : kIsoClasses) {
    if (sqlstate.compare(0, 2, c) == 0) return true;
  }
  return false;
}

}  // namespace

DiagRecord DiagRecord::own(const std::string& sqlstate, const std::string& message, long native) {
  DiagRecord r;
  r.sqlstate = sqlstate;
  r.native = native;
  r.message = kMessagePrefix + message;
  r.class_origin = is_iso_class(sqlstate) ? "ISO 9075" : "ODBC 3.0";
  r.subclass_origin = r.class_origin;
  return r;
}

}  // namespace odbcpool
