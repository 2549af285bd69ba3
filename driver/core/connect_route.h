// Resolving a connect's configuration reads odbc.ini and odbcinst.ini, which
// costs far more than a pooled borrow. The result is cached per thread and
// per connection string, and thrown away when any of the ini files changes
// (checked at most once a second).
#pragma once

#include <string>

#include "connect_config.h"

namespace odbcpool {

// Like resolve_connect(app, system_ini()), cached. Errors are not cached.
ConnectConfig resolve_connect_cached(const ConnectionString& app);

}  // namespace odbcpool
