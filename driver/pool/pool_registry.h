// The process's pools by key. Pools are never removed: they live until the
// process ends (the registry is leaked on purpose, so no static destructor
// ever touches a pool). Looking a pool up takes no lock.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace odbcpool::pool {

class Pool;
namespace detail {
struct ForkHandlers;
}

class PoolRegistry {
 public:
  // (Its fork handling is pool_fork.h, driven by the core.)
  static PoolRegistry& instance();

  // The pool registered under `key`, created with `make` (called without any
  // lock held; if two threads race, one pool is kept and the other dropped
  // unused) when there is none. Either way it makes sure the background
  // maintainer runs; so does every borrow from a registered pool, which
  // restarts it in a child after fork.
  // `created`, when given, says whether this call's pool was the one kept.
  std::shared_ptr<Pool> get_or_create(const std::string& key,
                                      const std::function<std::shared_ptr<Pool>()>& make,
                                      bool* created = nullptr);
  std::shared_ptr<Pool> find(const std::string& key) const;
  // Every pool, in creation order.
  std::vector<std::shared_ptr<Pool>> all() const;

  PoolRegistry(const PoolRegistry&) = delete;
  PoolRegistry& operator=(const PoolRegistry&) = delete;

 private:
  friend struct detail::ForkHandlers;

  // Immutable once published; a new pool publishes a new copy. Old copies
  // stay allocated (readers may still hold them); there are few pools.
  struct Snapshot {
    std::unordered_map<std::string, std::shared_ptr<Pool>> by_key;
    std::vector<std::shared_ptr<Pool>> in_order;
  };

  PoolRegistry();
  const Snapshot& current() const noexcept { return *current_.load(std::memory_order_acquire); }

  std::mutex write_mutex_;  // serializes publishing
  std::vector<std::unique_ptr<const Snapshot>> snapshots_;
  std::atomic<const Snapshot*> current_{nullptr};
};

}  // namespace odbcpool::pool
