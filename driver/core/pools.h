// Finding the pool for a connect. A pool is one target (the normalized target
// connection string: keys case-folded and ordered, credentials included, and
// the target library) and nothing else: every physical connection it opens,
// in whatever call form or ODBC version, counts toward its one PoolMaxSize.
// Pools live as long as the process.
#pragma once

#include <memory>
#include <string>

#include "connect_config.h"
#include "pool.h"
#include "settings.h"
#include "sql.h"
#include "target_library.h"

namespace odbcpool {

// A pool and the settings it was made with (the first connect's, when
// several connection strings lead to the same target).
struct PoolHandle {
  std::shared_ptr<pool::Pool> pool;
  std::shared_ptr<const PoolSettings> settings;
};

std::string pool_key(const ConnectConfig& config);
// The same without the secrets: what names the pool's host slots
// (PoolHostMaxSize) to every process, in a file anyone may list.
std::string host_pool_identity(const ConnectConfig& config);
// A name for logs and metrics: the DSN (or target driver) and the user,
// never a password.
std::string pool_name(const ConnectConfig& config);

// What a physical connection was opened as (pool::Kind): the call form and
// the ODBC version of the application's environment.
pool::Kind connection_kind(bool wide, SQLINTEGER odbc_version);
bool kind_is_wide(pool::Kind kind);
SQLINTEGER kind_odbc_version(pool::Kind kind);

// The pool for this configuration, created on first use with these settings.
PoolHandle find_or_create_pool(const ConnectConfig& config, const PoolSettings& settings,
                               TargetLibrary& library);

}  // namespace odbcpool
