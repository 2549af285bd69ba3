#include "pool_lease.h"

#include "pool.h"
#include "pool_entry.h"

namespace odbcpool::pool {

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    give_back_healthy();
    pool_ = other.pool_;
    entry_ = other.entry_;
    other.pool_ = nullptr;
    other.entry_ = nullptr;
  }
  return *this;
}

Lease::~Lease() {
  give_back_healthy();
}

void Lease::give_back_healthy() noexcept {
  if (entry_ == nullptr) return;
  detail::Entry* entry = entry_;
  Pool* pool = pool_;
  entry_ = nullptr;
  pool_ = nullptr;
  pool->give_back_entry(entry, ReturnState::Healthy);
}

Resource& Lease::resource() const noexcept {
  return *entry_->resource;
}
TimePoint Lease::created_at() const noexcept {
  return entry_->created_at;
}
TimePoint Lease::borrowed_at() const noexcept {
  return entry_->borrowed_at;
}

}  // namespace odbcpool::pool
