// The pool core: plain C++ that knows nothing of ODBC. One Pool per target
// connection string and credentials; see DESIGN.md section 4 for the
// contract. Including this header gives the whole public interface.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "host_slots.h"
#include "pool_clock.h"
#include "pool_events.h"
#include "pool_lease.h"
#include "pool_registry.h"
#include "pool_resource.h"
#include "pool_settings.h"
#include "pool_stats.h"

namespace odbcpool::pool {

namespace detail {
struct Entry;
struct Waiter;
class Slot;
struct ForkHandlers;
}  // namespace detail

// Under a host limit, a connection is given up for a borrower of another
// process only once it has been open this long (or idle this long): each
// holder serves many borrows per login, and a waiter's turn comes within
// about one quantum per limit's worth of processes ahead of it.
inline constexpr Duration kHostShareQuantum = std::chrono::milliseconds(200);

// No connection became free within Settings::acquire_timeout (HYT01).
class AcquireTimeout : public std::runtime_error {
 public:
  AcquireTimeout(const std::string& message, std::string pool_name, std::size_t max_size,
                 std::size_t in_use, std::size_t idle, std::size_t waiting, Duration timeout)
      : std::runtime_error(message),
        pool_name_(std::move(pool_name)),
        max_size_(max_size),
        in_use_(in_use),
        idle_(idle),
        waiting_(waiting),
        timeout_(timeout) {}

  const std::string& pool_name() const noexcept { return pool_name_; }
  std::size_t max_size() const noexcept { return max_size_; }
  std::size_t in_use() const noexcept { return in_use_; }
  std::size_t idle() const noexcept { return idle_; }
  std::size_t waiting() const noexcept { return waiting_; }  // other borrowers still queued
  Duration timeout() const noexcept { return timeout_; }

 private:
  std::string pool_name_;
  std::size_t max_size_;
  std::size_t in_use_;
  std::size_t idle_;
  std::size_t waiting_;
  Duration timeout_;
};

class Pool {
 public:
  // Throws std::invalid_argument for settings out of range (check_settings()).
  // `events` hears what happens (pool_events.h); by default nobody does.
  // With `host_slots` every physical connection also holds one of the
  // host's slots (host_slots.h), and waiting for one counts toward the
  // acquire timeout; the clock must then follow real time.
  Pool(std::string name, Settings settings, std::shared_ptr<ResourceFactory> factory,
       std::shared_ptr<Clock> clock = system_clock(),
       std::shared_ptr<PoolEvents> events = no_pool_events(),
       std::shared_ptr<HostSlots> host_slots = nullptr);
  // Closes the idle connections. Every lease must have been given back first;
  // pools in the registry are never destroyed.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Lends a connection of `kind`: the most recently returned idle one of
  // that kind (checked if it sat idle past the bypass window); else a new
  // one while there is room; else, with only idle connections of other
  // kinds, a new one in the slot of the one idle longest, which is closed;
  // else whatever is given back first to this borrower in arrival order.
  // Every kind counts toward the one max_size. Under a host limit a new
  // connection first needs a host slot, waited for in the host's queue.
  // Waiting and opening end
  // within `timeout` or the acquire timeout, whichever is shorter.
  // `borrower` describes the caller in leak reports. Throws
  // AcquireTimeout, or whatever ResourceFactory::open() threw.
  Lease borrow(std::string_view borrower = {}, Kind kind = 0, Duration timeout = Duration::max());

  // Takes a connection back (the lease is left empty). Safe on an empty
  // lease, and on one borrowed before the pool was abandoned after fork.
  void give_back(Lease lease, ReturnState state) noexcept;

  // A connection-class error was seen: every connection idle now is checked
  // with ping() before it is lent again (unless Validation::None).
  void note_connection_failure() noexcept;

  // One background step (pool_maintenance.cpp), never touching a lent
  // connection and never holding the lock across I/O: closes idle
  // connections past idle_timeout (keeping min_idle) or past their lifetime,
  // pings those due a keepalive, reports once each lease held past
  // leak_threshold, and refills min_idle (with backoff after a failed
  // connect). Returns how soon it wants to run again.
  Duration maintain();

  // At a normal exit: closes the idle connections one by one (reason
  // shutdown) while `budget` lasts, so that servers see a proper goodbye
  // rather than a client gone. Returns how many were closed.
  std::size_t close_idle(Duration budget) noexcept;

  Stats stats() const;

  // For a child process after fork(), when no other thread is inside this
  // pool: forgets every connection (Resource::abandon() on the idle ones;
  // lent ones are abandoned when given back), empties the pool and resets
  // its counters. Called for every registered pool by the fork handler.
  void abandon_after_fork() noexcept;

  const std::string& name() const noexcept { return name_; }
  const Settings& settings() const noexcept { return settings_; }
  ResourceFactory& factory() const noexcept { return *factory_; }
  PoolEvents& events() const noexcept { return *events_; }

 private:
  friend class Lease;
  friend class PoolRegistry;
  friend struct detail::ForkHandlers;
  enum class Check { None, DeadAttr, Ping, DeadAttrThenPing };
  using Slot = detail::Slot;
  using Entry = detail::Entry;

  void give_back_entry(Entry* entry, ReturnState state) noexcept;

  // The one way to open and the one way to close. Both are called with the
  // lock held, release it around the I/O and hold it again when they return.
  //
  // Opens a connection of `kind` in `slot` within `budget` (zero:
  // unbounded): returns it counted as open and
  // Busy, or nullptr when the pool was abandoned after fork meanwhile. On
  // failure the slot goes to the next waiter and the factory's exception
  // propagates.
  Entry* open(std::unique_lock<std::mutex>& lock, Slot slot, Kind kind, Duration budget);
  // Closes a connection nobody else can reach (off the idle stack, not
  // lent) and counts why. Its slot stays reserved and goes to the caller,
  // who opens another connection in it or frees it (free_slot_locked).
  [[nodiscard]] Slot retire(std::unique_lock<std::mutex>& lock, Entry* entry,
                            CloseReason reason) noexcept;

  // Slots, under the lock. A freed slot goes to the first waiter, if any.
  [[nodiscard]] Slot reserve_slot_locked() noexcept;
  void free_slot_locked(Slot slot) noexcept;
  bool has_room_locked() const noexcept { return open_ + opening_ < settings_.max_size; }

  // Steps of borrow(), under the lock.
  Entry* take_idle_locked(Kind kind) noexcept;
  Entry* take_oldest_idle_locked() noexcept;
  void wait_for_grant(std::unique_lock<std::mutex>& lock, detail::Waiter& waiter,
                      TimePoint deadline, Duration timeout);
  Entry* wait_for_host_slot(std::unique_lock<std::mutex>& lock, Slot& slot, Kind kind,
                            TimePoint deadline, Duration timeout);
  // How many borrowers of other processes wait for a host slot that an idle
  // connection of ours, above min_idle, could give them.
  std::size_t host_demand_locked() const noexcept;
  // Whether a connection has had its turn: open for at least
  // kHostShareQuantum, or idle that long (a quiet process). One that has
  // not is kept even while others wait, so that a busy process does not
  // log in again for every borrow.
  static bool host_turn_over(const Entry& entry, TimePoint now) noexcept;
  [[noreturn]] void time_out(std::unique_lock<std::mutex>& lock, Duration timeout,
                             bool host_full = false);
  Check check_needed_locked(const Entry& entry, TimePoint now) const noexcept;
  bool run_check(Resource& resource, Check check) noexcept;
  // Lends `entry` and releases the lock.
  Lease hand_out(std::unique_lock<std::mutex>& lock, Entry* entry, std::string_view borrower,
                 TimePoint start, TimePoint now) noexcept;

  // Steps of maintain() (pool_maintenance.cpp).
  void keepalive(Entry* entry, std::uint64_t generation) noexcept;
  void refill();
  void report_summary_if_due(std::unique_lock<std::mutex>& lock, TimePoint now) noexcept;
  Duration next_maintenance_locked(TimePoint now) const noexcept;

  // Bookkeeping, all under mutex_.
  void release_locked(Entry* entry, bool keep_idle_order) noexcept;
  void enqueue_locked(detail::Waiter& waiter) noexcept;
  void dequeue_locked(detail::Waiter& waiter) noexcept;
  detail::Waiter* pop_waiter_locked() noexcept;
  void link_locked(Entry* entry) noexcept;
  void unlink_locked(Entry* entry) noexcept;
  // True (and the connection abandoned and forgotten) for one opened before
  // this process was forked: the parent owns its socket. The one place that
  // deals with a connection that comes back from a thread of the parent.
  bool drop_if_orphaned_locked(Entry* entry) noexcept;
  void stamp_new_locked(Entry* entry, TimePoint opened) noexcept;
  void record_connect_error_locked(const std::string& what, Duration took) noexcept;
  Stats stats_locked() const;

  const std::string name_;
  const Settings settings_;
  const std::shared_ptr<ResourceFactory> factory_;
  const std::shared_ptr<Clock> clock_;
  const std::shared_ptr<PoolEvents> events_;
  const std::shared_ptr<HostSlots> host_slots_;  // null: no host limit
  // Set by the registry: borrowing then (re)starts the maintainer thread,
  // which matters in a child after fork.
  std::atomic<bool> registered_{false};

  mutable std::mutex mutex_;
  // Everything below is guarded by mutex_.
  //
  // Invariants, which make borrowing FIFO without any ordering ticket:
  //  - while a borrower waits, the idle stack is empty (a connection that
  //    becomes idle goes to the first waiter instead);
  //  - while a borrower waits, open_ + opening_ == max_size (a slot that
  //    frees goes to the first waiter as a Slot to open in; only a slot
  //    whose connection a borrower closed itself stays with that borrower,
  //    who came before every waiter).
  // Under a host limit, every open connection holds a host slot, and so does
  // every reserved Slot except those of borrowers waiting for one
  // (host_waiting_). Those are not queued: they wait in the host's queue.
  std::vector<Entry*> idle_;  // front: idle longest; back: returned last
  Entry* open_list_ = nullptr;
  std::size_t open_ = 0;          // entries in open_list_
  std::size_t opening_ = 0;       // reserved slots (Slot objects held)
  std::size_t refilling_ = 0;     // of which maintain()'s
  std::size_t host_waiting_ = 0;  // of which borrowers' waiting for a host slot
  Kind last_kind_ = 0;            // what refill opens: the kind borrowed last
  detail::Waiter* first_waiter_ = nullptr;
  detail::Waiter* last_waiter_ = nullptr;
  std::size_t waiting_ = 0;
  std::uint64_t failure_generation_ = 0;
  std::uint64_t epoch_ = 0;  // bumped by abandon_after_fork()
  Duration refill_backoff_ = Duration::zero();
  TimePoint next_refill_{};
  // What the last summary was taken against (none yet: summary_at_ zero).
  TimePoint summary_at_{};
  Stats summary_baseline_;
  std::mt19937_64 random_;
  Stats counters_;  // the counter and histogram fields; gauges are filled by stats()
};

}  // namespace odbcpool::pool
