#include "pool.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "pool_entry.h"
#include "pool_internal.h"
#include "pool_maintainer.h"

namespace odbcpool::pool {

using detail::Entry;
using detail::EntryState;
using detail::Waiter;

namespace {

// A connection's lifetime is shortened by up to 1/40 (2.5%).
constexpr Duration::rep kLifetimeJitterDivisor = 40;
// How long a borrower waits in the host's queue before looking again whether
// one of this process's own connections came back meanwhile.
constexpr Duration kHostWaitSlice = std::chrono::milliseconds(10);

std::uint64_t random_seed() noexcept {
  try {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  } catch (...) {
    return static_cast<std::uint64_t>(
        std::chrono::high_resolution_clock::now().time_since_epoch().count());
  }
}

}  // namespace

Pool::Pool(std::string name, Settings settings, std::shared_ptr<ResourceFactory> factory,
           std::shared_ptr<Clock> clock, std::shared_ptr<PoolEvents> events,
           std::shared_ptr<HostSlots> host_slots)
    : name_(std::move(name)),
      settings_(settings),
      factory_(std::move(factory)),
      clock_(clock ? std::move(clock) : system_clock()),
      events_(events ? std::move(events) : no_pool_events()),
      host_slots_(std::move(host_slots)),
      random_(random_seed()) {
  check_settings(settings_);
  if (!factory_) throw std::invalid_argument("pool '" + name_ + "' has no connection factory");
  // Never more idle than open connections: pushing on the idle stack then
  // never allocates.
  idle_.reserve(settings_.max_size);
}

Pool::~Pool() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!idle_.empty())
    free_slot_locked(retire(lock, take_oldest_idle_locked(), CloseReason::Shutdown));
}

// ---- Borrowing

Lease Pool::borrow(std::string_view borrower, Kind kind, Duration timeout) {
  if (registered_.load(std::memory_order_relaxed)) Maintainer::instance().ensure_running();
  const TimePoint start = clock_->now();
  timeout = std::min(timeout, settings_.acquire_timeout);
  const TimePoint deadline = detail::add_saturating(start, timeout);
  // What a connect may take: what is left until the deadline, at least a
  // moment (zero would mean unbounded); unbounded only with no timeout.
  const auto budget = [&] {
    if (timeout == Duration::zero()) return Duration::zero();
    return std::max(deadline - clock_->now(), Duration(1));
  };
  std::unique_lock<std::mutex> lock(mutex_);
  last_kind_ = kind;
  Slot slot;  // a place of our own to open a connection in, once we have one
  for (;;) {
    // 1. A candidate: the idle connection of our kind returned last; else a
    //    new one in a free slot, or in the slot of an idle connection of
    //    another kind; else whatever is granted to us when our turn comes.
    //    While anyone waits there is neither an idle connection nor a free
    //    slot (see the invariants in pool.h), so nothing here overtakes a
    //    waiter.
    Entry* entry = take_idle_locked(kind);
    if (entry != nullptr) {
      free_slot_locked(std::move(slot));  // a slot we kept from a bad candidate
    } else if (!slot) {
      if (has_room_locked()) {
        slot = reserve_slot_locked();
      } else if (!idle_.empty()) {
        slot = retire(lock, take_oldest_idle_locked(), CloseReason::Replaced);
      } else {
        Waiter waiter;
        wait_for_grant(lock, waiter, deadline, timeout);
        entry = waiter.entry;
        slot = std::move(waiter.slot);
      }
    }
    if (entry != nullptr && entry->kind != kind) {
      slot = retire(lock, entry, CloseReason::Replaced);  // given to us on our turn
      entry = nullptr;
    }
    if (entry == nullptr && host_slots_ && slot && !slot.host_) {
      entry = wait_for_host_slot(lock, slot, kind, deadline, timeout);
    }
    if (entry == nullptr) {
      entry = open(lock, std::move(slot), kind, budget());
      if (entry == nullptr) continue;  // the pool was abandoned after fork meanwhile
      return hand_out(lock, entry, borrower, start, clock_->now());
    }

    // 2. Check it. One past its lifetime or failing its check is closed, and
    //    its slot stays ours to try the next one or to open a new one in.
    TimePoint now = clock_->now();
    if (now >= entry->expires_at) {
      slot = retire(lock, entry, CloseReason::Lifetime);
      continue;
    }
    const Check check = check_needed_locked(*entry, now);
    if (check != Check::None) {
      entry->state = EntryState::Busy;
      const std::uint64_t generation = failure_generation_;
      lock.unlock();
      const bool ok = run_check(*entry->resource, check);
      lock.lock();
      if (drop_if_orphaned_locked(entry)) continue;
      ++counters_.validations_total;
      if (!ok) {
        ++counters_.validation_failures_total;
        slot = retire(lock, entry, CloseReason::ValidationFailed);
        continue;
      }
      now = clock_->now();
      entry->last_good = now;
      entry->checked_generation = generation;
    }
    return hand_out(lock, entry, borrower, start, now);
  }
}

Entry* Pool::take_idle_locked(Kind kind) noexcept {
  for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
    if ((*it)->kind != kind) continue;
    Entry* entry = *it;
    idle_.erase(std::next(it).base());
    return entry;
  }
  return nullptr;
}

Entry* Pool::take_oldest_idle_locked() noexcept {
  Entry* entry = idle_.front();
  idle_.erase(idle_.begin());
  return entry;
}

// Queues behind every earlier waiter. Whoever frees a connection or a slot
// grants it, under the lock, to the first waiter and takes it off the queue
// (release_locked, free_slot_locked), so turns are strictly first come,
// first served and nobody who arrives later can take what was freed.
void Pool::wait_for_grant(std::unique_lock<std::mutex>& lock, Waiter& waiter, TimePoint deadline,
                          Duration timeout) {
  enqueue_locked(waiter);
  try {
    while (!waiter.granted()) {
      if (clock_->now() >= deadline) {
        dequeue_locked(waiter);
        time_out(lock, timeout);
      }
      clock_->wait_until(waiter.cv, lock, deadline);
    }
  } catch (const AcquireTimeout&) {
    throw;
  } catch (...) {
    // Neither stay queued nor lose what was granted.
    dequeue_locked(waiter);
    if (waiter.entry != nullptr) release_locked(waiter.entry, false);
    free_slot_locked(std::move(waiter.slot));
    throw;
  }
}

// With a reserved slot but no host slot for it: takes one in the host's
// queue (the kernel's, first come first served) until the deadline. Until
// then a connection of this process may come back: one of our kind is
// taken instead (returned; the slot is freed), one of another kind is
// closed for its host slot. Throws AcquireTimeout with the slot freed.
Pool::Entry* Pool::wait_for_host_slot(std::unique_lock<std::mutex>& lock, Slot& slot, Kind kind,
                                      TimePoint deadline, Duration timeout) {
  if (host_slots_->try_take()) {
    slot.host_ = true;
    return nullptr;
  }
  ++host_waiting_;
  for (;;) {
    if (Entry* entry = take_idle_locked(kind)) {
      --host_waiting_;
      free_slot_locked(std::move(slot));
      return entry;
    }
    if (!idle_.empty()) {
      --host_waiting_;
      Slot freed = retire(lock, take_oldest_idle_locked(), CloseReason::Replaced);
      free_slot_locked(std::move(slot));
      slot = std::move(freed);
      return nullptr;
    }
    const TimePoint now = clock_->now();
    if (now >= deadline) {
      --host_waiting_;
      free_slot_locked(std::move(slot));
      time_out(lock, timeout, true);
    }
    // Only a connection of ours could come back sooner than the host's
    // grant: one lent out, or opened by another borrower. Without any (a
    // single-threaded worker) the whole wait is one place in the queue.
    const bool ours_could_return = open_ > idle_.size() || opening_ > host_waiting_;
    const Duration left = deadline - now;
    lock.unlock();
    const bool taken = host_slots_->take(ours_could_return ? std::min(left, kHostWaitSlice) : left);
    lock.lock();
    if (taken) {
      --host_waiting_;
      slot.host_ = true;
      return nullptr;
    }
  }
}

bool Pool::host_turn_over(const Entry& entry, TimePoint now) noexcept {
  return now - entry.created_at >= kHostShareQuantum || now - entry.idle_since >= kHostShareQuantum;
}

std::size_t Pool::host_demand_locked() const noexcept {
  if (!host_slots_ || first_waiter_ != nullptr) return 0;
  const std::size_t blocked = host_slots_->waiting_on_host();
  return blocked > host_waiting_ ? blocked - host_waiting_ : 0;
}

// Throws AcquireTimeout for a borrower just taken off the queue.
void Pool::time_out(std::unique_lock<std::mutex>& lock, Duration timeout, bool host_full) {
  ++counters_.acquire_timeouts_total;
  const std::size_t idle = idle_.size();
  std::string message = "no connection free in pool '" + name_ + "' within " + describe(timeout);
  if (host_full) {
    message += ": the host limit PoolHostMaxSize=" + std::to_string(host_slots_->limit()) +
               " is reached (" + std::to_string(host_slots_->taken_on_host()) +
               " taken on this host, " + std::to_string(host_slots_->taken_here()) +
               " by this process)";
  }
  message += " (max size " + std::to_string(settings_.max_size) + ", in use " +
             std::to_string(open_ - idle) + ", idle " + std::to_string(idle) + ", other waiters " +
             std::to_string(waiting_) + ")";
  if (!counters_.last_connect_error.empty()) {
    message += "; last connect error: " + counters_.last_connect_error;
  }
  AcquireTimeout error(message, name_, settings_.max_size, open_ - idle, idle, waiting_, timeout);
  lock.unlock();
  events_->timed_out(error, clock_->now());
  lock.lock();
  throw error;
}

Pool::Check Pool::check_needed_locked(const Entry& entry, TimePoint now) const noexcept {
  if (settings_.validation == Validation::None) return Check::None;
  const bool after_failure = entry.checked_generation != failure_generation_;
  const bool past_bypass = now - entry.last_good >= settings_.validation_bypass;
  if (!after_failure && !past_bypass) return Check::None;
  switch (settings_.validation) {
    case Validation::Auto:
      return Check::DeadAttrThenPing;
    case Validation::Query:
      return Check::Ping;
    case Validation::DeadAttr:
      // The attribute alone cannot be trusted after a connection failure.
      return after_failure ? Check::DeadAttrThenPing : Check::DeadAttr;
    case Validation::None:
      break;
  }
  return Check::None;
}

bool Pool::run_check(Resource& resource, Check check) noexcept {
  try {
    switch (check) {
      case Check::None:
        return true;
      case Check::DeadAttr:
        return !resource.is_dead_quick();
      case Check::Ping:
        return resource.ping(settings_.validation_timeout);
      case Check::DeadAttrThenPing:
        return !resource.is_dead_quick() && resource.ping(settings_.validation_timeout);
    }
  } catch (...) {
  }
  return false;
}

Lease Pool::hand_out(std::unique_lock<std::mutex>& lock, Entry* entry, std::string_view borrower,
                     TimePoint start, TimePoint now) noexcept {
  entry->state = EntryState::Lent;
  entry->borrowed_at = now;
  entry->leak_reported = false;
  if (settings_.leak_threshold > Duration::zero()) {
    try {
      entry->borrower.assign(borrower);  // reuses the entry's capacity
    } catch (...) {
      entry->borrower.clear();
    }
  }
  ++counters_.borrows_total;
  const Duration waited = std::max(now - start, Duration::zero());
  counters_.borrow_wait_seconds.observe(waited);
  lock.unlock();
  events_->lent(borrower, waited);
  if (waited >= kSlowBorrowThreshold) events_->slow_borrow(waited, now);
  return Lease(this, entry);
}

// ---- Giving back

void Pool::give_back(Lease lease, ReturnState state) noexcept {
  Pool* owner = lease.pool_;
  Entry* entry = lease.entry_;
  lease.pool_ = nullptr;
  lease.entry_ = nullptr;
  if (entry != nullptr) owner->give_back_entry(entry, state);
}

void Pool::give_back_entry(Entry* entry, ReturnState state) noexcept {
  const TimePoint now = clock_->now();
  std::unique_lock<std::mutex> lock(mutex_);
  if (drop_if_orphaned_locked(entry)) return;
  CloseReason reason;
  if (state == ReturnState::Broken) {
    reason = CloseReason::Broken;
    ++failure_generation_;  // a database restart kills every idle connection at once
  } else if (state == ReturnState::ResetFailed) {
    reason = CloseReason::ResetFailed;
  } else if (now >= entry->expires_at) {
    reason = CloseReason::Lifetime;
  } else if (host_slots_ && idle_.size() >= settings_.min_idle &&
             now - entry->created_at >= kHostShareQuantum && host_demand_locked() > 0) {
    reason = CloseReason::HostDemand;  // another process needs the slot more
  } else {
    entry->idle_since = now;
    entry->last_good = now;
    entry->checked_generation = failure_generation_;
    release_locked(entry, false);
    lock.unlock();
    events_->given_back();
    return;
  }
  free_slot_locked(retire(lock, entry, reason));
  lock.unlock();
  if (settings_.min_idle > 0) Maintainer::instance().wake();
}

void Pool::note_connection_failure() noexcept {
  events_->connection_failure_noted();
  std::lock_guard<std::mutex> lock(mutex_);
  ++failure_generation_;
}

// ---- Opening and closing

Entry* Pool::open(std::unique_lock<std::mutex>& lock, Slot slot, Kind kind, Duration budget) {
  lock.unlock();
  const TimePoint started = clock_->now();
  std::unique_ptr<Entry> entry;
  try {
    entry = std::make_unique<Entry>();
    entry->resource = factory_->open(kind, budget);
    if (!entry->resource) throw std::runtime_error("the connection factory returned nothing");
  } catch (...) {
    const TimePoint ended = clock_->now();
    const std::string error = detail::current_exception_text();
    events_->connect_failed(ended - started, error, ended);
    lock.lock();
    if (slot.epoch_ == epoch_) {
      record_connect_error_locked(error, ended - started);
      // A server that refuses a connect may have dropped the idle ones too
      // (MariaDB says so with HY000, not 08xxx): check them before use.
      ++failure_generation_;
    }
    free_slot_locked(std::move(slot));
    throw;
  }
  const TimePoint opened = clock_->now();
  events_->opened(opened - started);
  lock.lock();
  slot.held_ = false;
  if (slot.epoch_ != epoch_) {
    entry->resource->abandon();
    return nullptr;
  }
  entry->host_slot = std::exchange(slot.host_, false);
  --opening_;
  ++counters_.connects_total;
  counters_.connect_seconds.observe(opened - started);
  Entry* e = entry.release();
  e->kind = kind;
  stamp_new_locked(e, opened);
  return e;
}

Pool::Slot Pool::retire(std::unique_lock<std::mutex>& lock, Entry* entry,
                        CloseReason reason) noexcept {
  entry->state = EntryState::Busy;
  lock.unlock();
  entry->resource->close();
  entry->resource.reset();
  events_->closed(reason, clock_->now() - entry->created_at);
  lock.lock();
  Slot slot;
  if (entry->epoch == epoch_) {
    unlink_locked(entry);
    --open_;
    ++counters_.closes_total[static_cast<std::size_t>(reason)];
    slot = reserve_slot_locked();
    slot.host_ = entry->host_slot;
  }
  delete entry;
  return slot;
}

// ---- Slots

Pool::Slot Pool::reserve_slot_locked() noexcept {
  ++opening_;
  return Slot(epoch_);
}

void Pool::free_slot_locked(Slot slot) noexcept {
  if (!slot) return;
  if (slot.epoch_ == epoch_) {
    if (Waiter* w = pop_waiter_locked()) {
      w->slot = std::move(slot);
      w->cv.notify_one();
      return;
    }
    --opening_;
    if (slot.host_) host_slots_->give_back();
  }
  slot.held_ = false;
  slot.host_ = false;
}

// ---- Statistics and fork

Stats Pool::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_locked();
}

Stats Pool::stats_locked() const {
  Stats s = counters_;
  s.open = open_;
  s.idle = idle_.size();
  s.in_use = open_ - idle_.size();
  s.opening = opening_;
  s.waiting = waiting_;
  s.max_size = settings_.max_size;
  s.min_idle = settings_.min_idle;
  if (host_slots_) {
    s.host_max_size = host_slots_->limit();
    s.host_connections = host_slots_->taken_on_host();
    s.host_waiting = host_slots_->waiting_on_host();
  }
  return s;
}

void Pool::abandon_after_fork() noexcept {
  Entry* abandoned = nullptr;  // chained through next
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++epoch_;
    // Lent and busy entries stay with whoever holds them, who sees the new
    // epoch and abandons them; waiters of the parent are simply forgotten.
    for (Entry* e = open_list_; e != nullptr;) {
      Entry* next = e->next;
      e->prev = nullptr;
      e->next = nullptr;
      if (e->state == EntryState::Idle) {
        e->next = abandoned;
        abandoned = e;
      }
      e = next;
    }
    open_list_ = nullptr;
    idle_.clear();
    open_ = 0;
    opening_ = 0;
    refilling_ = 0;
    host_waiting_ = 0;
    first_waiter_ = nullptr;
    last_waiter_ = nullptr;
    waiting_ = 0;
    refill_backoff_ = Duration::zero();
    next_refill_ = TimePoint{};
    summary_at_ = TimePoint{};
    counters_ = Stats();
  }
  while (abandoned != nullptr) {
    Entry* next = abandoned->next;
    abandoned->resource->abandon();
    delete abandoned;
    abandoned = next;
  }
}

bool Pool::drop_if_orphaned_locked(Entry* entry) noexcept {
  if (entry->epoch == epoch_) return false;
  entry->resource->abandon();
  delete entry;
  return true;
}

// ---- Bookkeeping under the lock

// A connection that became available goes to the first waiter if there is
// one, else on the idle stack: on top (it is the most recently used), or at
// its old place by idle_since after a keepalive.
void Pool::release_locked(Entry* entry, bool keep_idle_order) noexcept {
  if (Waiter* w = pop_waiter_locked()) {
    entry->state = EntryState::Lent;
    w->entry = entry;
    w->cv.notify_one();
    return;
  }
  entry->state = EntryState::Idle;
  if (!keep_idle_order) {
    idle_.push_back(entry);
    return;
  }
  auto at = std::upper_bound(idle_.begin(), idle_.end(), entry->idle_since,
                             [](TimePoint t, const Entry* e) { return t < e->idle_since; });
  idle_.insert(at, entry);
}

void Pool::enqueue_locked(Waiter& waiter) noexcept {
  waiter.prev = last_waiter_;
  waiter.next = nullptr;
  if (last_waiter_ != nullptr) {
    last_waiter_->next = &waiter;
  } else {
    first_waiter_ = &waiter;
  }
  last_waiter_ = &waiter;
  waiter.queued = true;
  waiter.epoch = epoch_;
  ++waiting_;
}

void Pool::dequeue_locked(Waiter& waiter) noexcept {
  // A waiter queued before abandon_after_fork() is no longer in the queue.
  if (!waiter.queued || waiter.epoch != epoch_) {
    waiter.queued = false;
    return;
  }
  (waiter.prev != nullptr ? waiter.prev->next : first_waiter_) = waiter.next;
  (waiter.next != nullptr ? waiter.next->prev : last_waiter_) = waiter.prev;
  waiter.prev = nullptr;
  waiter.next = nullptr;
  waiter.queued = false;
  --waiting_;
}

Waiter* Pool::pop_waiter_locked() noexcept {
  Waiter* first = first_waiter_;
  if (first != nullptr) dequeue_locked(*first);
  return first;
}

void Pool::link_locked(Entry* entry) noexcept {
  entry->prev = nullptr;
  entry->next = open_list_;
  if (open_list_ != nullptr) open_list_->prev = entry;
  open_list_ = entry;
}

void Pool::unlink_locked(Entry* entry) noexcept {
  (entry->prev != nullptr ? entry->prev->next : open_list_) = entry->next;
  if (entry->next != nullptr) entry->next->prev = entry->prev;
  entry->prev = nullptr;
  entry->next = nullptr;
}

void Pool::stamp_new_locked(Entry* entry, TimePoint opened) noexcept {
  entry->state = EntryState::Busy;
  entry->created_at = opened;
  entry->idle_since = opened;
  entry->last_good = opened;
  entry->checked_generation = failure_generation_;
  entry->epoch = epoch_;
  entry->expires_at = TimePoint::max();
  if (settings_.max_lifetime > Duration::zero()) {
    std::uniform_int_distribution<Duration::rep> jitter(
        0, settings_.max_lifetime.count() / kLifetimeJitterDivisor);
    entry->expires_at =
        detail::add_saturating(opened, settings_.max_lifetime - Duration(jitter(random_)));
  }
  link_locked(entry);
  ++open_;
}

void Pool::record_connect_error_locked(const std::string& what, Duration took) noexcept {
  ++counters_.connect_errors_total;
  counters_.connect_seconds.observe(took);
  try {
    counters_.last_connect_error = what;
  } catch (...) {
  }
}

}  // namespace odbcpool::pool
