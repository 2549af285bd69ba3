// The background half of the pool: what Maintainer runs on every pool about
// every 200 ms. Closing idle and expired connections, keepalives, leak
// warnings and refilling min_idle; never a lent connection, never I/O under
// the lock.
#include <algorithm>
#include <utility>

#include "pool.h"
#include "pool_entry.h"
#include "pool_internal.h"

namespace odbcpool::pool {

using detail::Entry;
using detail::EntryState;

namespace {

constexpr Duration kMaintainInterval = std::chrono::milliseconds(200);
constexpr Duration kFirstRefillBackoff = std::chrono::milliseconds(10);
constexpr Duration kLongestRefillBackoff = std::chrono::seconds(5);

}  // namespace

Duration Pool::maintain() {
  struct Retirement {
    Entry* entry;
    CloseReason reason;
  };
  struct Leak {
    std::string borrower;
    Duration held;
  };
  std::vector<Retirement> to_close;
  std::vector<Entry*> to_ping;
  std::vector<Leak> leaks;
  const TimePoint now = clock_->now();
  std::unique_lock<std::mutex> lock(mutex_);
  // Allocate first: once entries start leaving the idle stack nothing may throw.
  to_close.reserve(idle_.size());
  to_ping.reserve(idle_.size());
  if (settings_.leak_threshold > Duration::zero()) {
    leaks.reserve(open_);
    for (Entry* e = open_list_; e != nullptr; e = e->next) {
      if (e->state != EntryState::Lent || e->leak_reported) continue;
      if (now - e->borrowed_at < settings_.leak_threshold) continue;
      e->leak_reported = true;
      ++counters_.leaks_total;
      leaks.push_back({e->borrower, now - e->borrowed_at});
    }
  }
  const std::uint64_t generation = failure_generation_;
  // Other processes blocked waiting for a host slot get one from each idle
  // connection of ours above min_idle, within one round.
  std::size_t give_up = idle_.size() > settings_.min_idle ? host_demand_locked() : 0;
  // Oldest first, so that idle_timeout closes the connections idle longest
  // and keeps min_idle of the most recently used ones.
  std::size_t idle_left = idle_.size();
  auto kept = idle_.begin();
  for (Entry* e : idle_) {
    if (now >= e->expires_at) {
      to_close.push_back({e, CloseReason::Lifetime});
      --idle_left;
    } else if (settings_.idle_timeout > Duration::zero() &&
               now - e->idle_since >= settings_.idle_timeout && idle_left > settings_.min_idle) {
      to_close.push_back({e, CloseReason::IdleTimeout});
      --idle_left;
    } else if (give_up > 0 && idle_left > settings_.min_idle && host_turn_over(*e, now)) {
      to_close.push_back({e, CloseReason::HostDemand});
      --idle_left;
      --give_up;
    } else if (settings_.keepalive > Duration::zero() &&
               now - e->last_good >= settings_.keepalive) {
      to_ping.push_back(e);
    } else {
      *kept++ = e;
      continue;
    }
    e->state = EntryState::Busy;
  }
  idle_.erase(kept, idle_.end());

  for (const Retirement& r : to_close) free_slot_locked(retire(lock, r.entry, r.reason));
  lock.unlock();
  for (Entry* e : to_ping) keepalive(e, generation);
  for (const Leak& leak : leaks)
    events_->leaked(leak.borrower, leak.held, settings_.leak_threshold);
  refill();

  const TimePoint after = clock_->now();
  lock.lock();
  report_summary_if_due(lock, after);
  return next_maintenance_locked(after);
}

void Pool::keepalive(Entry* entry, std::uint64_t generation) noexcept {
  bool ok = false;
  try {
    ok = entry->resource->ping(settings_.validation_timeout);
  } catch (...) {
  }
  const TimePoint now = clock_->now();
  std::unique_lock<std::mutex> lock(mutex_);
  if (drop_if_orphaned_locked(entry)) return;
  ++counters_.validations_total;
  if (ok) {
    entry->last_good = now;
    entry->checked_generation = generation;
    release_locked(entry, true);  // back where it was: a keepalive is not a use
    return;
  }
  ++counters_.validation_failures_total;
  free_slot_locked(retire(lock, entry, CloseReason::KeepaliveFailed));
}

// Opens connections one at a time until min_idle are idle (or being opened
// for that), never above max_size, of the kind borrowed last. After a
// failure it waits, doubling the wait from 10 ms up to 5 s, before trying
// again.
void Pool::refill() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (idle_.size() + refilling_ >= settings_.min_idle || !has_room_locked() ||
        clock_->now() < next_refill_) {
      return;
    }
    // Never wait for a host slot here: refilling is worth less than a
    // borrower's need, ours or another process's.
    if (host_slots_ && !host_slots_->try_take()) return;
    const std::uint64_t epoch = epoch_;
    ++refilling_;
    Entry* entry = nullptr;
    std::string error;
    try {
      Slot slot = reserve_slot_locked();
      slot.host_ = static_cast<bool>(host_slots_);
      entry = open(lock, std::move(slot), last_kind_, settings_.acquire_timeout);
    } catch (...) {
      error = detail::current_exception_text();
    }
    if (epoch != epoch_) return;
    --refilling_;
    const TimePoint ended = clock_->now();
    if (entry == nullptr) {
      const bool first_failure = refill_backoff_ == Duration::zero();
      refill_backoff_ = first_failure ? kFirstRefillBackoff
                                      : std::min(refill_backoff_ * 2, kLongestRefillBackoff);
      next_refill_ = detail::add_saturating(ended, refill_backoff_);
      const Duration backoff = refill_backoff_;
      lock.unlock();
      events_->refill_failed(settings_.min_idle, backoff, error, first_failure);
      return;
    }
    refill_backoff_ = Duration::zero();
    next_refill_ = TimePoint{};
    release_locked(entry, false);
  }
}

// The first call (and the first after fork, or after the clock went back)
// only takes note; then one summary about every kSummaryInterval.
void Pool::report_summary_if_due(std::unique_lock<std::mutex>& lock, TimePoint now) noexcept {
  try {
    if (summary_at_ == TimePoint{} || now < summary_at_) {
      summary_baseline_ = stats_locked();
      summary_at_ = now;
      return;
    }
    if (now - summary_at_ < kSummaryInterval) return;
    const Stats current = stats_locked();
    const Stats before = std::exchange(summary_baseline_, current);
    const Duration over = now - summary_at_;
    summary_at_ = now;
    lock.unlock();
    events_->summary(before, current, over);
  } catch (...) {
  }
  if (!lock.owns_lock()) lock.lock();
}

Duration Pool::next_maintenance_locked(TimePoint now) const noexcept {
  if (idle_.size() + refilling_ < settings_.min_idle && has_room_locked()) {
    return std::max(next_refill_ - now, Duration::zero());
  }
  return kMaintainInterval;
}

std::size_t Pool::close_idle(Duration budget) noexcept {
  const TimePoint deadline = detail::add_saturating(clock_->now(), budget);
  std::size_t closed = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!idle_.empty() && clock_->now() < deadline) {
    free_slot_locked(retire(lock, take_oldest_idle_locked(), CloseReason::Shutdown));
    ++closed;
  }
  return closed;
}

}  // namespace odbcpool::pool
