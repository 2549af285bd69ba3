#include "pool_resource.h"

namespace odbcpool::pool {

Resource::~Resource() = default;
ResourceFactory::~ResourceFactory() = default;

const char* to_string(CloseReason reason) noexcept {
  switch (reason) {
    case CloseReason::IdleTimeout:
      return "idle_timeout";
    case CloseReason::Lifetime:
      return "lifetime";
    case CloseReason::ValidationFailed:
      return "validation_failed";
    case CloseReason::Broken:
      return "broken";
    case CloseReason::ResetFailed:
      return "reset_failed";
    case CloseReason::KeepaliveFailed:
      return "keepalive_failed";
    case CloseReason::Shutdown:
      return "shutdown";
    case CloseReason::Replaced:
      return "replaced";
    case CloseReason::HostDemand:
      return "host_demand";
  }
  return "unknown";
}

}  // namespace odbcpool::pool
