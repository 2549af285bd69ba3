// LogLevel, LogFile, LogMaxSize and LogMaxFiles, parsed. Apart from the
// logger so that the setup library can check them without linking spdlog
// (its level enumeration is header-only).
#pragma once

#include <spdlog/common.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ini_reader.h"

namespace odbcpool {

struct LogSettings {
  spdlog::level::level_enum level = spdlog::level::warn;
  std::string file = "stderr";  // a path, "stderr" or "syslog"
  std::uint64_t max_size = 0;   // bytes; 0: never rotate
  std::size_t max_files = 5;
  std::vector<std::string> warnings;  // one line per value that did not parse
};

// The catalogue's rules (setting_keys.cpp): LogLevel trace, debug, info,
// warn, error or off (case-insensitive; "warning" too); LogFile a path,
// stderr or syslog; LogMaxSize bytes with an optional k, M or G (powers of
// 1024; 0 never); LogMaxFiles 1 to 1000. `where` names the section in
// warnings.
LogSettings parse_log_settings(const IniSection& section, const std::string& where);

}  // namespace odbcpool
