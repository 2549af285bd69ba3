#include "pool_fork.h"

#include "pool.h"
#include "pool_maintainer.h"
#include "pool_registry.h"

namespace odbcpool::pool {

void fork_prepare() noexcept {
  detail::ForkHandlers::prepare();
}

void fork_parent() noexcept {
  detail::ForkHandlers::parent();
}

void fork_child() noexcept {
  detail::ForkHandlers::child();
}

namespace detail {

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

}  // namespace detail

}  // namespace odbcpool::pool
