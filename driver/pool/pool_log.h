// Where the pool core logs. The ODBC layer owns the configured "odbcpool"
// logger: it registers a factory for it when the library loads (so the
// first line the pool logs already goes where odbcinst.ini says) and hands
// it over with set_logger(). Without either, the pool uses a logger
// registered with spdlog under that name, else its own on stderr at warn
// level. Never throws.
//
// Every line about a pool starts with "pool '<name>': ". Arguments are
// evaluated before spdlog checks the level, so lines on hot paths pass only
// cheap arguments (Took formats its duration only when the line is written).
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string>
#include <string_view>

#include "pool_clock.h"

namespace spdlog {
class logger;
}

namespace odbcpool::pool {

class Pool;

// nullptr: back to the factory or the default.
void set_logger(std::shared_ptr<spdlog::logger> logger) noexcept;
using LoggerFactory = std::shared_ptr<spdlog::logger> (*)();
void set_logger_factory(LoggerFactory factory) noexcept;
// Never null; one atomic load once a logger is in place.
spdlog::logger* logger() noexcept;
// In a child after fork (called by the core's fork handler).
void reset_logging_in_child() noexcept;

// A duration as a log argument, formatted with describe() only when the
// line is actually written.
struct Took {
  Duration duration;
};

// `text` with the value of every key=value pair whose key names a secret
// (PWD, Password, ...Passwd, ...Secret, ...Token) replaced by "***": for
// error texts of target drivers, which may echo a connection string.
std::string redact_secrets(std::string_view text);
// redact_secrets(), on one line: target drivers end their messages with a
// newline, or put several lines in one.
std::string loggable(std::string_view text);

// A borrow that took at least this long is a warning.
inline constexpr Duration kSlowBorrowThreshold = std::chrono::seconds(1);
// At most one line a second per pool and kind; the lines left out are
// counted in the next one.
// `now` is the pool's clock.
void log_slow_borrow(const std::string& pool, Duration waited, TimePoint now) noexcept;
inline void note_borrow_wait(const std::string& pool, Duration waited, TimePoint now) noexcept {
  if (waited >= kSlowBorrowThreshold) log_slow_borrow(pool, waited, now);
}
void log_connect_failure(const std::string& pool, Duration took, const std::string& error,
                         TimePoint now) noexcept;

// Called by maintain(): about once a minute, one info line for a pool of the
// registry that was busy meanwhile (borrows, timeouts, failed connects,
// connections in use or borrowers waiting). The first call only takes note.
inline constexpr Duration kSummaryInterval = std::chrono::minutes(1);
void log_summary_if_due(const Pool& pool, TimePoint now) noexcept;

}  // namespace odbcpool::pool

template <>
struct fmt::formatter<odbcpool::pool::Took> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(const odbcpool::pool::Took& took, Context& context) const {
    const std::string text = odbcpool::pool::describe(took.duration);
    return fmt::formatter<std::string_view>::format(text, context);
  }
};
