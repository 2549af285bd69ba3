// odbcpool's log: one spdlog logger named "odbcpool", configured once per
// process from the [odbcpool] section of odbcinst.ini (LogLevel, LogFile).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace odbcpool {

// Never null; the first call configures it. Logging never throws.
std::shared_ptr<spdlog::logger> log();

}  // namespace odbcpool
