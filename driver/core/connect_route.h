// The one path from a connect to its pool. Everything a connect needs that
// depends only on the application's connection string and the ini files is
// resolved once: the configuration (odbc.ini and odbcinst.ini read), the
// parsed settings, the loaded target library and, when pooling, the pool.
// Routes are cached per thread and per connection string, and thrown away
// when any of the ini files changes (checked at most once a second), so a
// pooled connect reads no file and takes no lock to find its pool.
#pragma once

#include <memory>

#include "connect_config.h"
#include "pools.h"
#include "settings.h"
#include "target_library.h"

namespace odbcpool {

struct ConnectRoute {
  ConnectConfig config;
  PoolSettings settings;  // as this connection string resolves them
  TargetLibrary* library = nullptr;
  PoolHandle pool;  // empty with Pooling=no
};

// Throws OdbcError (IM002, IM003, HY000) for what cannot be resolved; errors
// are not cached.
std::shared_ptr<const ConnectRoute> route_connect(const ConnectionString& app);

}  // namespace odbcpool
