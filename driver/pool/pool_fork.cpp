#include "pool_fork.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include "pool.h"
#include "pool_maintainer.h"

namespace odbcpool::pool::detail {

void ForkHandlers::install() noexcept {
  if (pthread_atfork(&ForkHandlers::prepare, &ForkHandlers::parent, &ForkHandlers::child) != 0) {
    logger()->error("pthread_atfork failed: pools will not be reset in forked children");
  }
}

// Lock order: the registry's write lock, then each pool's lock in creation
// order. Nothing else ever holds two of these at once.
void ForkHandlers::prepare() noexcept {
  PoolRegistry& registry = PoolRegistry::instance();
  registry.write_mutex_.lock();
  for (const auto& pool : registry.current().in_order) pool->mutex_.lock();
}

void ForkHandlers::parent() noexcept {
  PoolRegistry& registry = PoolRegistry::instance();
  const auto& pools = registry.current().in_order;
  for (auto it = pools.rbegin(); it != pools.rend(); ++it) (*it)->mutex_.unlock();
  registry.write_mutex_.unlock();
}

void ForkHandlers::child() noexcept {
  Maintainer::instance().forget_after_fork();
  PoolRegistry& registry = PoolRegistry::instance();
  const auto& pools = registry.current().in_order;
  // This thread took the locks in prepare() and is the only thread here, so
  // releasing them is safe (std::mutex does not record an owner to check).
  for (auto it = pools.rbegin(); it != pools.rend(); ++it) (*it)->mutex_.unlock();
  registry.write_mutex_.unlock();
  for (const auto& pool : pools) pool->abandon_after_fork();
}

}  // namespace odbcpool::pool::detail
