// Where the pool core logs. The ODBC layer owns the configured "odbcpool"
// logger and hands it over with set_logger(); until then the pool uses a
// logger registered with spdlog under that name, else its own on stderr at
// warn level. Never throws.
#pragma once

#include <memory>
#include <string>

#include "pool_clock.h"

namespace spdlog {
class logger;
}

namespace odbcpool::pool {

void set_logger(std::shared_ptr<spdlog::logger> logger) noexcept;
std::shared_ptr<spdlog::logger> logger() noexcept;

// "250ms", "5s", "1.5s", "2m", "1h30m": for messages.
std::string describe(Duration d);

}  // namespace odbcpool::pool
