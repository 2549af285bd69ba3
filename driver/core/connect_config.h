// Everything a connect needs to know, resolved from the connection string,
// our DSN's section in odbc.ini and the [odbcpool] driver section of
// odbcinst.ini (in that order of precedence), each value remembering where
// it came from: odbcpool's own settings, and the target to connect to.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "connection_string.h"
#include "diag_record.h"
#include "ini_reader.h"

namespace odbcpool {

enum class ConfigSource { ConnectionString, DsnSection, DriverSection, Default };

struct ConfigValue {
  std::string value;
  ConfigSource source = ConfigSource::Default;
  std::string where;  // e.g. "odbc.ini [orders]"
};

// The section name odbcpool's driver is registered under.
inline constexpr const char* kDriverSection = "odbcpool";

struct ConnectConfig {
  std::string dsn;  // our DSN, empty when DSN-less
  // odbcpool's own keys, lower-cased.
  std::map<std::string, ConfigValue> own;
  // 01S00 warnings for unknown Pool* keys.
  std::vector<DiagRecord> warnings;

  // The target: its library (a path or a bare file name), the connection
  // string to give it, and a description for messages and logs.
  std::string target_library;
  ConnectionString target_string;
  std::string target_description;

  const ConfigValue* find(const std::string& lower_key) const;
};

// Whether a key is one of odbcpool's own (never passed to the target).
bool is_own_key(const std::string& key);
// The documented keys, lower-cased, in the order of DESIGN.md.
const std::vector<std::string>& own_keys();

class OwnLibrary;

// Throws OdbcError: IM002 when the target DSN or driver cannot be found,
// HY000 for a configuration that does not make sense, among them a chain of
// DSNs through odbcpool that comes back to one already on it, or a target
// that is odbcpool's own library (`own`; by default, the one this code is
// in).
ConnectConfig resolve_connect(const ConnectionString& app, IniReader& ini);
ConnectConfig resolve_connect(const ConnectionString& app, IniReader& ini, const OwnLibrary& own);

std::string describe(ConfigSource source);

}  // namespace odbcpool
