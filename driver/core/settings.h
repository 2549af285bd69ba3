// odbcpool's own settings for one connect, parsed and checked. A value that
// does not parse or is out of range fails the connect with a message naming
// the key, the value, what is accepted and where the value came from.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "connect_config.h"
#include "pool_settings.h"

namespace odbcpool {

// What clears server-side session state when a connection is returned
// (PoolResetStatement): chosen per target when each physical connection is
// opened, nothing, or the operator's own SQL.
enum class ResetStatement { Auto, None, Sql };

// Every setting a connect reads: the pool's policy as the pool core takes
// it, and what the ODBC layer does around it.
struct PoolSettings {
  using Duration = std::chrono::nanoseconds;
  bool pooling = true;
  pool::Settings pool;
  std::string validation_query = "SELECT 1";
  bool reset_on_return = true;
  ResetStatement reset = ResetStatement::Auto;
  std::string reset_statement;  // the SQL, for ResetStatement::Sql
  std::string init_statement;
  std::size_t host_max_size = 0;  // PoolHostMaxSize; 0: no host limit
  std::string host_dir;           // PoolHostDir as written; empty: the default
  std::string metrics_file;       // with %p for the process id; empty: none
  Duration metrics_interval = std::chrono::seconds(10);
};

// Throws OdbcError HY000 for a bad value.
PoolSettings parse_settings(const ConnectConfig& config);

// The pieces, for reuse (tools, tests).
std::chrono::nanoseconds parse_duration(const std::string& text);  // throws std::invalid_argument
bool parse_bool(const std::string& text);                          // throws std::invalid_argument
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace odbcpool
