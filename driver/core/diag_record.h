#pragma once

#include <string>

namespace odbcpool {

// The prefix of every message odbcpool raises itself.
inline constexpr const char* kMessagePrefix = "[odbcpool] ";

struct DiagRecord {
  std::string sqlstate;  // five characters
  long native = 0;
  std::string message;
  std::string class_origin;
  std::string subclass_origin;
  std::string connection_name;
  std::string server_name;
  long row_number = -1;     // SQL_NO_ROW_NUMBER
  long column_number = -1;  // SQL_NO_COLUMN_NUMBER
  // Copied from the target rather than raised by odbcpool.
  bool from_target = false;
  // False for a record read with SQLError, which carries no origins and no
  // connection or server name: SQLGetDiagField then has none to give.
  bool has_fields = true;

  // A record of odbcpool's own: the message gets the [odbcpool] prefix and
  // the origins follow the SQLSTATE class as the ODBC specification says.
  static DiagRecord own(const std::string& sqlstate, const std::string& message, long native = 0);
  bool is_warning() const { return sqlstate.compare(0, 2, "01") == 0; }
};

}  // namespace odbcpool
