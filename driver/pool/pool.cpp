#include "pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "pool_entry.h"
#include "pool_maintainer.h"

namespace odbcpool::pool {

using detail::Entry;
using detail::EntryState;
using detail::Waiter;

namespace {

constexpr Duration kMaintainInterval = std::chrono::milliseconds(200);
constexpr Duration kFirstRefillBackoff = std::chrono::milliseconds(10);
constexpr Duration kLongestRefillBackoff = std::chrono::seconds(5);
constexpr Duration kTimeoutLogInterval = std::chrono::seconds(1);
// A connection's lifetime is shortened by up to 1/40 (2.5%).
constexpr Duration::rep kLifetimeJitterDivisor = 40;

TimePoint add_saturating(TimePoint t, Duration d) noexcept {
  if (d >= TimePoint::max() - t) return TimePoint::max();
  return t + d;
}

std::uint64_t random_seed() noexcept {
  try {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  } catch (...) {
    return static_cast<std::uint64_t>(
        std::chrono::high_resolution_clock::now().time_since_epoch().count());
  }
}

// what() of the exception being handled.
std::string current_exception_text() noexcept {
  try {
    try {
      throw;
    } catch (const std::exception& e) {
      return e.what();
    } catch (...) {
      return "unknown error";
    }
  } catch (...) {
    return {};
  }
}

}  // namespace

Pool::Pool(std::string name, Settings settings, std::shared_ptr<ResourceFactory> factory,
           std::shared_ptr<Clock> clock)
    : name_(std::move(name)),
      settings_(settings),
      factory_(std::move(factory)),
      clock_(clock ? std::move(clock) : system_clock()),
      random_(random_seed()) {
  check_settings(settings_);
  if (!factory_) throw std::invalid_argument("pool '" + name_ + "' has no connection factory");
  // Never more idle than open connections: pushing on the idle stack then
  // never allocates.
  idle_.reserve(settings_.max_size);
}

Pool::~Pool() {
  std::vector<Entry*> idle;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    idle.swap(idle_);
    for (Entry* entry : idle) unlink_locked(entry);
    open_ -= idle.size();
  }
  for (Entry* entry : idle) {
    entry->resource->close();
    delete entry;
  }
}

// ---- Borrowing

Lease Pool::borrow(std::string_view borrower) {
  if (registered_.load(std::memory_order_relaxed)) Maintainer::instance().ensure_running();
  const TimePoint start = clock_->now();
  const TimePoint deadline = add_saturating(start, settings_.acquire_timeout);
  TimePoint now = start;
  std::unique_lock<std::mutex> lock(mutex_);
  for (bool retry = false;; retry = true) {
    if (shut_down_) throw PoolShutDown("pool '" + name_ + "' is shut down");
    if (retry) now = clock_->now();  // after closing a bad candidate

    // 1. A candidate: the idle connection returned last; else a new one in a
    //    free slot; else whatever is granted to us when our turn comes. While
    //    anyone waits there is neither an idle connection nor a free slot (see
    //    the invariants in pool.h), so the first two never overtake a waiter.
    Entry* entry = nullptr;
    bool fresh = false;
    if (!idle_.empty()) {
      entry = pop_idle_locked();
    } else {
      if (has_room_locked()) {
        ++opening_;
      } else {
        Waiter waiter;
        wait_for_grant(lock, waiter, deadline);
        entry = waiter.entry;  // else a slot was freed and reserved for us
      }
      if (entry == nullptr) {
        entry = open_reserved(lock);
        if (entry == nullptr) continue;  // the pool was abandoned after fork meanwhile
        fresh = true;
      }
      now = clock_->now();
    }

    // 2. Check it. One past its lifetime or failing its check is closed, and
    //    its slot stays ours to try the next one or to open a new one in.
    if (!fresh) {
      if (now >= entry->expires_at) {
        discard_keeping_slot(lock, entry, CloseReason::Lifetime);
        continue;
      }
      const Check check = check_needed_locked(*entry, now);
      if (check != Check::None) {
        entry->state = EntryState::Busy;
        const std::uint64_t generation = failure_generation_;
        lock.unlock();
        const bool ok = run_check(*entry->resource, check);
        lock.lock();
        if (orphaned_locked(entry)) {
          entry->resource->abandon();
          delete entry;
          continue;
        }
        ++counters_.validations_total;
        if (!ok) {
          ++counters_.validation_failures_total;
          discard_keeping_slot(lock, entry, CloseReason::ValidationFailed);
          continue;
        }
        now = clock_->now();
        entry->last_good = now;
        entry->checked_generation = generation;
      }
    }
    return hand_out_locked(entry, borrower, start, now);
  }
}

Entry* Pool::pop_idle_locked() noexcept {
  Entry* entry = idle_.back();
  idle_.pop_back();
  return entry;
}

// Called with a slot already counted in opening_ for this borrower. Returns
// with the lock held: the new connection, or nullptr if the pool was
// abandoned after fork meanwhile. On failure the slot goes to the first
// waiter (so that it can try) and the factory's exception propagates as is.
Entry* Pool::open_reserved(std::unique_lock<std::mutex>& lock) {
  const std::uint64_t epoch = epoch_;
  lock.unlock();
  const TimePoint started = clock_->now();
  std::unique_ptr<Entry> entry;
  try {
    entry = std::make_unique<Entry>();
    entry->resource = factory_->open();
    if (!entry->resource) throw std::runtime_error("the connection factory returned nothing");
  } catch (...) {
    const TimePoint ended = clock_->now();
    const std::string error = current_exception_text();
    log_connect_failure(name_, ended - started, error, ended);
    lock.lock();
    if (epoch == epoch_) {
      --opening_;
      record_connect_error_locked(error, ended - started);
      free_slot_locked();
    }
    throw;
  }
  const TimePoint opened = clock_->now();
  logger()->info("pool '{}': opened a connection in {}", name_, Took{opened - started});
  lock.lock();
  if (epoch != epoch_) {
    entry->resource->abandon();
    return nullptr;
  }
  --opening_;
  ++counters_.connects_total;
  counters_.connect_seconds.observe(opened - started);
  Entry* e = entry.release();
  stamp_new_locked(e, opened);
  return e;
}

// Queues behind every earlier waiter. Whoever frees a connection or a slot
// grants it, under the lock, to the first waiter and takes it off the queue
// (release_locked, free_slot_locked), so turns are strictly first come,
// first served and nobody who arrives later can take what was freed.
void Pool::wait_for_grant(std::unique_lock<std::mutex>& lock, Waiter& waiter, TimePoint deadline) {
  enqueue_locked(waiter);
  bool timed_out = false;
  try {
    while (!waiter.granted()) {
      if (clock_->now() >= deadline) {
        dequeue_locked(waiter);
        timed_out = true;
        break;
      }
      clock_->wait_until(waiter.cv, lock, deadline);
    }
  } catch (...) {
    // Neither stay queued nor lose what was granted.
    dequeue_locked(waiter);
    if (waiter.entry != nullptr) release_locked(waiter.entry, false);
    if (waiter.may_open) {
      --opening_;
      free_slot_locked();
    }
    throw;
  }
  if (timed_out) {
    ++counters_.acquire_timeouts_total;
    const std::size_t idle = idle_.size();
    std::string message = "no connection free in pool '" + name_ + "' within " +
                          describe(settings_.acquire_timeout) + " (max size " +
                          std::to_string(settings_.max_size) + ", in use " +
                          std::to_string(open_ - idle) + ", idle " + std::to_string(idle) +
                          ", other waiters " + std::to_string(waiting_) + ")";
    if (!counters_.last_connect_error.empty()) {
      message += "; last connect error: " + counters_.last_connect_error;
    }
    AcquireTimeout error(message, name_, settings_.max_size, open_ - idle, idle, waiting_,
                         settings_.acquire_timeout);
    // An exhausted pool times out many borrowers at once: one line a second.
    const TimePoint now = clock_->now();
    const bool log_now = now >= next_timeout_log_;
    const std::uint64_t unlogged = timeouts_unlogged_;
    if (log_now) {
      next_timeout_log_ = add_saturating(now, kTimeoutLogInterval);
      timeouts_unlogged_ = 0;
    } else {
      ++timeouts_unlogged_;
    }
    lock.unlock();
    if (log_now && unlogged == 0) logger()->warn("{}", loggable(message));
    if (log_now && unlogged != 0)
      logger()->warn("{} (and {} more timeouts)", loggable(message), unlogged);
    throw error;
  }
  if (waiter.shut_down) throw PoolShutDown("pool '" + name_ + "' is shut down");
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

// Closes a connection the borrower took but cannot use. Its slot is not
// offered to the waiters: the borrower, who came before all of them, goes on
// with the next idle connection or opens a new one in that slot.
void Pool::discard_keeping_slot(std::unique_lock<std::mutex>& lock, Entry* entry,
                                CloseReason reason) noexcept {
  entry->state = EntryState::Busy;
  lock.unlock();
  entry->resource->close();
  entry->resource.reset();
  logger()->info("pool '{}': closed a connection ({}) after {} open", name_, to_string(reason),
                 Took{clock_->now() - entry->created_at});
  lock.lock();
  if (!orphaned_locked(entry)) {
    unlink_locked(entry);
    --open_;
    ++counters_.closes_total[static_cast<std::size_t>(reason)];
  }
  delete entry;
}

Lease Pool::hand_out_locked(Entry* entry, std::string_view borrower, TimePoint start,
                            TimePoint now) noexcept {
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
  counters_.borrow_wait_seconds.observe(std::max(now - start, Duration::zero()));
  logger()->debug("pool '{}': lent a connection ({}) after {}", name_, borrower, Took{now - start});
  note_borrow_wait(name_, now - start, now);
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
  CloseReason reason = CloseReason::Broken;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (orphaned_locked(entry)) {
      // Borrowed before this process was forked: the parent owns the socket.
      entry->resource->abandon();
      delete entry;
      return;
    }
    if (state == ReturnState::Broken) {
      reason = CloseReason::Broken;
      ++failure_generation_;  // a database restart kills every idle connection at once
    } else if (state == ReturnState::ResetFailed) {
      reason = CloseReason::ResetFailed;
    } else if (shut_down_) {
      reason = CloseReason::Shutdown;
    } else if (now >= entry->expires_at) {
      reason = CloseReason::Lifetime;
    } else {
      entry->idle_since = now;
      entry->last_good = now;
      entry->checked_generation = failure_generation_;
      logger()->debug("pool '{}': a connection was given back", name_);
      release_locked(entry, false);
      return;
    }
    entry->state = EntryState::Busy;
  }
  close_and_free(entry, reason);
}

void Pool::note_connection_failure() noexcept {
  logger()->info(
      "pool '{}': a connection failed (connection-class error): the idle ones are checked before "
      "reuse",
      name_);
  std::lock_guard<std::mutex> lock(mutex_);
  ++failure_generation_;
}

// ---- Background maintenance

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
  std::uint64_t generation = 0;
  const TimePoint now = clock_->now();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_) return kMaintainInterval;
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
    generation = failure_generation_;
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
  }

  for (const Retirement& r : to_close) close_and_free(r.entry, r.reason);
  for (Entry* e : to_ping) keepalive(e, generation);
  for (const Leak& leak : leaks) {
    logger()->warn(
        "pool '{}': a connection borrowed by {} has been in use for {} (leak threshold {})", name_,
        leak.borrower.empty() ? "an unnamed borrower" : leak.borrower, describe(leak.held),
        describe(settings_.leak_threshold));
  }
  refill();

  const TimePoint after = clock_->now();
  log_summary_if_due(*this, after);
  std::lock_guard<std::mutex> lock(mutex_);
  return next_maintenance_locked(after);
}

void Pool::keepalive(Entry* entry, std::uint64_t generation) noexcept {
  bool ok = false;
  try {
    ok = entry->resource->ping(settings_.validation_timeout);
  } catch (...) {
  }
  const TimePoint now = clock_->now();
  CloseReason reason = CloseReason::KeepaliveFailed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (orphaned_locked(entry)) {
      entry->resource->abandon();
      delete entry;
      return;
    }
    ++counters_.validations_total;
    if (!ok) {
      ++counters_.validation_failures_total;
    } else if (shut_down_) {
      reason = CloseReason::Shutdown;
    } else {
      entry->last_good = now;
      entry->checked_generation = generation;
      release_locked(entry, true);  // back where it was: a keepalive is not a use
      return;
    }
  }
  close_and_free(entry, reason);
}

// Opens connections one at a time until min_idle are idle (or being opened
// for that), never above max_size. After a failure it waits, doubling the
// wait from 10 ms up to 5 s, before trying again.
void Pool::refill() {
  for (;;) {
    std::uint64_t epoch = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (shut_down_ || idle_.size() + refilling_ >= settings_.min_idle || !has_room_locked() ||
          clock_->now() < next_refill_) {
        return;
      }
      ++opening_;
      ++refilling_;
      epoch = epoch_;
    }
    const TimePoint started = clock_->now();
    std::unique_ptr<Entry> entry;
    std::string error;
    try {
      entry = std::make_unique<Entry>();
      entry->resource = factory_->open();
      if (!entry->resource) throw std::runtime_error("the connection factory returned nothing");
    } catch (...) {
      error = current_exception_text();
      if (error.empty()) error = "unknown error";
    }
    const TimePoint ended = clock_->now();
    const bool opened = error.empty();
    Duration backoff{};
    bool first_failure = false;
    Entry* to_close = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (epoch != epoch_) {
        if (opened) entry->resource->abandon();
        return;
      }
      --opening_;
      --refilling_;
      if (!opened) {
        record_connect_error_locked(error, ended - started);
        first_failure = refill_backoff_ == Duration::zero();
        refill_backoff_ = first_failure ? kFirstRefillBackoff
                                        : std::min(refill_backoff_ * 2, kLongestRefillBackoff);
        next_refill_ = add_saturating(ended, refill_backoff_);
        backoff = refill_backoff_;
        free_slot_locked();
      } else {
        refill_backoff_ = Duration::zero();
        next_refill_ = TimePoint{};
        ++counters_.connects_total;
        counters_.connect_seconds.observe(ended - started);
        Entry* e = entry.release();
        stamp_new_locked(e, ended);
        if (shut_down_) {
          to_close = e;
        } else {
          release_locked(e, false);
        }
      }
    }
    if (to_close != nullptr) {
      close_and_free(to_close, CloseReason::Shutdown);
      return;
    }
    if (!opened) {
      logger()->log(first_failure ? spdlog::level::warn : spdlog::level::debug,
                    "pool '{}': cannot open a connection to keep {} idle, retrying in {}: {}",
                    name_, settings_.min_idle, describe(backoff), loggable(error));
      return;
    }
    logger()->info("pool '{}': opened a connection in {} to keep {} idle", name_,
                   Took{ended - started}, settings_.min_idle);
  }
}

Duration Pool::next_maintenance_locked(TimePoint now) const noexcept {
  if (!shut_down_ && idle_.size() + refilling_ < settings_.min_idle && has_room_locked()) {
    return std::max(next_refill_ - now, Duration::zero());
  }
  return kMaintainInterval;
}

// ---- Shared steps

// For an entry nobody else can reach (state Busy, off the idle stack).
void Pool::close_and_free(Entry* entry, CloseReason reason) noexcept {
  entry->resource->close();
  entry->resource.reset();
  logger()->info("pool '{}': closed a connection ({}) after {} open", name_, to_string(reason),
                 Took{clock_->now() - entry->created_at});
  bool refill_wanted = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!orphaned_locked(entry)) {
      unlink_locked(entry);
      --open_;
      ++counters_.closes_total[static_cast<std::size_t>(reason)];
      free_slot_locked();
      refill_wanted = settings_.min_idle > 0 && !shut_down_;
    }
  }
  delete entry;
  if (refill_wanted) Maintainer::instance().wake();
}

Stats Pool::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  Stats s = counters_;
  s.open = open_;
  s.idle = idle_.size();
  s.in_use = open_ - idle_.size();
  s.opening = opening_;
  s.waiting = waiting_;
  s.max_size = settings_.max_size;
  s.min_idle = settings_.min_idle;
  s.shut_down = shut_down_;
  return s;
}

void Pool::shutdown() {
  std::vector<Entry*> idle;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_) return;
    shut_down_ = true;
    idle.swap(idle_);
    for (Entry* e : idle) e->state = EntryState::Busy;
    while (Waiter* w = pop_waiter_locked()) {
      w->shut_down = true;
      w->cv.notify_one();
    }
  }
  for (Entry* e : idle) close_and_free(e, CloseReason::Shutdown);
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
    first_waiter_ = nullptr;
    last_waiter_ = nullptr;
    waiting_ = 0;
    refill_backoff_ = Duration::zero();
    next_refill_ = TimePoint{};
    next_timeout_log_ = TimePoint{};
    timeouts_unlogged_ = 0;
    counters_ = Stats();
  }
  while (abandoned != nullptr) {
    Entry* next = abandoned->next;
    abandoned->resource->abandon();
    delete abandoned;
    abandoned = next;
  }
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

// A slot (open_ + opening_ < max_size) became free and whoever freed it does
// not use it: the first waiter gets it, reserved in opening_.
void Pool::free_slot_locked() noexcept {
  if (Waiter* w = pop_waiter_locked()) {
    ++opening_;
    w->may_open = true;
    w->cv.notify_one();
  }
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

bool Pool::orphaned_locked(const Entry* entry) const noexcept {
  return entry->epoch != epoch_;
}

void Pool::stamp_new_locked(Entry* entry, TimePoint opened) noexcept {
  entry->created_at = opened;
  entry->idle_since = opened;
  entry->last_good = opened;
  entry->checked_generation = failure_generation_;
  entry->epoch = epoch_;
  entry->expires_at = TimePoint::max();
  if (settings_.max_lifetime > Duration::zero()) {
    std::uniform_int_distribution<Duration::rep> jitter(
        0, settings_.max_lifetime.count() / kLifetimeJitterDivisor);
    entry->expires_at = add_saturating(opened, settings_.max_lifetime - Duration(jitter(random_)));
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
