// PoolHostMaxSize for the ODBC layer: where a pool's host-wide slots live
// and joining them, with what the operator must hear about it logged.
#pragma once

#include <memory>
#include <string>

#include "connect_config.h"
#include "host_slots.h"
#include "settings.h"

namespace odbcpool {

inline constexpr const char* kDefaultHostDir = "/run/odbcpool";

// The slot directory for these settings, created (mode 0770) where missing:
// PoolHostDir as written, which must be usable; else /run/odbcpool, falling
// back, when this process cannot use it, to $XDG_RUNTIME_DIR/odbcpool or
// /tmp/odbcpool-UID (mode 0700, which must be this user's own). Throws
// OdbcError HY000 naming the directory and why. A reader (odbcpool stats)
// passes create = false: it only looks.
std::string host_slot_directory(const PoolSettings& settings, bool create = true);

// The pool's host slots, or null without PoolHostMaxSize. Warns when other
// processes use another limit for the same pool. Throws OdbcError HY000.
std::shared_ptr<pool::HostSlots> join_host_slots(const ConnectConfig& config,
                                                 const PoolSettings& settings,
                                                 const std::string& pool_name);

}  // namespace odbcpool
