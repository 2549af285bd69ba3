#include "pool_registry.h"

#include <stdexcept>

#include "pool.h"
#include "pool_maintainer.h"

namespace odbcpool::pool {

PoolRegistry& PoolRegistry::instance() {
  static PoolRegistry* registry = new PoolRegistry();
  return *registry;
}

PoolRegistry::PoolRegistry() {
  snapshots_.push_back(std::make_unique<const Snapshot>());
  current_.store(snapshots_.back().get(), std::memory_order_release);
}

std::shared_ptr<Pool> PoolRegistry::find(const std::string& key) const {
  const Snapshot& s = current();
  auto it = s.by_key.find(key);
  return it == s.by_key.end() ? nullptr : it->second;
}

std::shared_ptr<Pool> PoolRegistry::get_or_create(
    const std::string& key, const std::function<std::shared_ptr<Pool>()>& make, bool* created) {
  if (created != nullptr) *created = false;
  std::shared_ptr<Pool> pool = find(key);
  if (!pool) {
    std::shared_ptr<Pool> made = make();
    if (!made) throw std::logic_error("PoolRegistry: make() returned no pool for a new key");
    std::lock_guard<std::mutex> lock(write_mutex_);
    const Snapshot& s = current();
    auto it = s.by_key.find(key);
    if (it != s.by_key.end()) {
      pool = it->second;  // another thread won the race; `made` has no connections yet
    } else {
      made->registered_.store(true, std::memory_order_relaxed);
      auto next = std::make_unique<Snapshot>(s);
      next->by_key.emplace(key, made);
      next->in_order.push_back(made);
      snapshots_.push_back(std::move(next));
      current_.store(snapshots_.back().get(), std::memory_order_release);
      pool = std::move(made);
      if (created != nullptr) *created = true;
    }
  }
  Maintainer::instance().ensure_running();
  return pool;
}

std::vector<std::shared_ptr<Pool>> PoolRegistry::all() const {
  return current().in_order;
}

}  // namespace odbcpool::pool
