// Finding the pool for a connect: pools are keyed by the normalized target
// connection string (keys case-folded and ordered, credentials included),
// the target library, the ODBC version and our DSN, and live as long as the
// process.
#pragma once

#include <memory>
#include <string>

#include "connect_config.h"
#include "pool.h"
#include "settings.h"
#include "target_library.h"

namespace odbcpool {

struct PoolEntry {
  std::shared_ptr<pool::Pool> pool;
  std::shared_ptr<const PoolSettings> settings;
};

std::string pool_key(const ConnectConfig& config, SQLINTEGER odbc_version);
// A name for logs and metrics: the DSN (or target driver) and the user,
// never a password.
std::string pool_name(const ConnectConfig& config);

// The pool for this configuration, created on first use with these settings.
PoolEntry find_or_create_pool(const ConnectConfig& config, const PoolSettings& settings,
                              TargetLibrary& library, SQLINTEGER odbc_version);

pool::Settings to_pool_settings(const PoolSettings& settings);

}  // namespace odbcpool
