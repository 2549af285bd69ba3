// Reads odbc.ini and odbcinst.ini sections through libodbcinst, so that the
// files are found and merged (user DSNs before system ones) exactly as the
// unixODBC Driver Manager finds them. An interface, so tests can inject one.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace odbcpool {

using IniSection = std::vector<std::pair<std::string, std::string>>;

class IniReader {
 public:
  virtual ~IniReader() = default;
  // Every key of a section in "ODBC.INI" (DSNs) or "ODBCINST.INI" (drivers),
  // in file order; empty when the section does not exist.
  virtual IniSection dsn_section(const std::string& dsn) = 0;
  virtual IniSection driver_section(const std::string& driver) = 0;
  // For messages: where DSNs and drivers are looked up.
  virtual std::string dsn_files() const = 0;
  virtual std::string driver_file() const = 0;
  // For messages: the file a DSN's section is read from (user before
  // system, as unixODBC looks).
  virtual std::string dsn_file(const std::string& /*dsn*/) { return dsn_files(); }
  // The files whose changes invalidate what was read (for caching).
  virtual std::vector<std::string> files() const { return {}; }
};

// The real thing, through SQLGetPrivateProfileString.
IniReader& system_ini();

// Finds a value by case-insensitive key.
const std::string* find_value(const IniSection& section, const std::string& key);

}  // namespace odbcpool
