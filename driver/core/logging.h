// odbcpool's log: one spdlog logger named "odbcpool" per process, made on
// first use from the [odbcpool] section of odbcinst.ini (LogLevel, LogFile,
// LogMaxSize, LogMaxFiles); the pools' events reach it through
// pool_event_log.h. A bad value is
// one warning line and the default; a file that cannot be opened means
// stderr and one warning. The same keys in a DSN or a connection string
// cannot change a process-wide log: each pool created with them says so once.
#pragma once

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connect_config.h"
#include "connection_string.h"
#include "ini_reader.h"
#include "log_settings.h"

namespace odbcpool {

struct PoolSettings;

// Never null; the first call configures it. Logging never throws.
spdlog::logger* log();
// For process_lifecycle.cpp only: in a child after fork, fresh loggers (a
// thread of the parent may have held a sink's lock).
void logging_reset_in_child() noexcept;

// A logger for these settings: a LogFile that cannot be opened gives stderr
// and one more warning. The warnings are logged on it at warn level.
std::shared_ptr<spdlog::logger> make_logger(const LogSettings& settings);

// The pattern of every line (syslog adds its own time and pid).
inline constexpr const char* kLogPattern = "%Y-%m-%d %H:%M:%S.%e odbcpool[%P:%t] %l: %v";

// The connection string with the value of every secret key (PWD, Password,
// ...) replaced by "***": the only form in which one may be logged.
std::string masked(const ConnectionString& connection_string);
// The same for free text that may contain key=value pairs.
std::string masked(std::string_view text);

// Info: the pool was created, with its main settings; warn: each of
// LogLevel, LogFile, LogMaxSize, LogMaxFiles that came from the DSN or the
// connection string, which a process-wide log cannot follow.
void log_pool_created(const std::string& pool_name, const ConnectConfig& config,
                      const PoolSettings& settings);

}  // namespace odbcpool
