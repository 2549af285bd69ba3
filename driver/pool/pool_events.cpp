#include "pool_events.h"

namespace odbcpool::pool {

PoolEvents::~PoolEvents() = default;

std::shared_ptr<PoolEvents> no_pool_events() {
  // Leaked on purpose, like system_clock(): pools that hold it live until
  // the process ends.
  static auto* none = new std::shared_ptr<PoolEvents>(std::make_shared<PoolEvents>());
  return *none;
}

}  // namespace odbcpool::pool
