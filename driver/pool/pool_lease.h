// A borrowed connection. Giving it back is Pool::give_back(); a Lease that
// is destroyed while still holding its connection gives it back Healthy.
#pragma once

#include "pool_clock.h"
#include "pool_resource.h"

namespace odbcpool::pool {

class Pool;
namespace detail {
struct Entry;
}

class Lease {
 public:
  Lease() noexcept = default;
  Lease(Lease&& other) noexcept : pool_(other.pool_), entry_(other.entry_) {
    other.pool_ = nullptr;
    other.entry_ = nullptr;
  }
  Lease& operator=(Lease&& other) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  // False for a default-constructed or moved-from lease.
  explicit operator bool() const noexcept { return entry_ != nullptr; }

  // Preconditions for the accessors: the lease holds a connection.
  Resource& resource() const noexcept;
  TimePoint created_at() const noexcept;   // when the physical connection was opened
  TimePoint borrowed_at() const noexcept;  // when this borrow handed it out

 private:
  friend class Pool;
  Lease(Pool* pool, detail::Entry* entry) noexcept : pool_(pool), entry_(entry) {}
  void give_back_healthy() noexcept;

  Pool* pool_ = nullptr;
  detail::Entry* entry_ = nullptr;
};

}  // namespace odbcpool::pool
