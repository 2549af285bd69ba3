// odbcpool's own settings for one connect, parsed and checked. A value that
// does not parse or is out of range fails the connect with a message naming
// the key, the value, what is accepted and where the value came from.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "connect_config.h"

namespace odbcpool {

enum class ValidationMode { Auto, Query, DeadAttr, None };

struct PoolSettings {
  using Duration = std::chrono::nanoseconds;
  bool pooling = true;
  std::size_t max_size = 10;
  std::size_t min_idle = 0;
  Duration acquire_timeout = std::chrono::seconds(30);
  Duration idle_timeout = std::chrono::minutes(10);
  Duration max_lifetime = std::chrono::minutes(30);
  ValidationMode validation = ValidationMode::Auto;
  std::string validation_query = "SELECT 1";
  Duration validation_bypass = std::chrono::milliseconds(500);
  Duration validation_timeout = std::chrono::seconds(5);
  Duration keepalive = Duration::zero();
  bool reset_on_return = true;
  std::string reset_statement;
  std::string init_statement;
  Duration leak_threshold = Duration::zero();
  std::string metrics_file;  // with %p for the process id; empty: none
  Duration metrics_interval = std::chrono::seconds(10);
};

// Throws OdbcError HY000 for a bad value.
PoolSettings parse_settings(const ConnectConfig& config);

// The pieces, for reuse (tools, tests).
std::chrono::nanoseconds parse_duration(const std::string& text);  // throws std::invalid_argument
bool parse_bool(const std::string& text);                          // throws std::invalid_argument
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace odbcpool
