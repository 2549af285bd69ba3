// Internal to the pool: the bookkeeping around one physical connection, one
// reserved slot and one queued borrower. Only the pool's own .cpp files
// include this.
#pragma once

#include <cassert>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "pool_clock.h"
#include "pool_resource.h"

namespace odbcpool::pool {
class Pool;
}

namespace odbcpool::pool::detail {

enum class EntryState : std::uint8_t {
  Idle,  // on the idle stack
  Lent,  // held by a Lease, or handed to a waiter that has not woken yet
  Busy,  // outside the lock with a borrower or maintain(): being checked or closed
};

struct Entry {
  std::unique_ptr<Resource> resource;
  Kind kind = 0;
  TimePoint created_at{};
  TimePoint expires_at = TimePoint::max();  // created_at + lifetime - jitter
  TimePoint idle_since{};                   // last return (or open); orders the idle stack
  TimePoint last_good{};                    // last return, open or successful check
  TimePoint borrowed_at{};
  std::uint64_t checked_generation = 0;  // the pool's failure generation at last_good
  std::uint64_t epoch = 0;               // the pool's fork epoch when it was opened
  std::string borrower;                  // free text for leak reports (only when enabled)
  EntryState state = EntryState::Busy;
  bool leak_reported = false;
  bool host_slot = false;  // holds one of the host's slots (Pool::host_slots_)
  // The pool's intrusive list of every open connection it owns.
  Entry* prev = nullptr;
  Entry* next = nullptr;
};

// One place under max_size, reserved for a connection about to be opened
// (counted in Pool::opening_). It has exactly one owner at a time: the
// borrower or refill that reserved it, the waiter it was granted to, or the
// borrower that closed a connection to open another in its place. The owner
// gives it up through the pool, either by opening a connection in it or by
// freeing it for the next waiter; moving it hands it over. A slot of an
// earlier fork epoch is void: giving it up does nothing. Under a host
// limit a slot may also carry one of the host's slots, which goes wherever
// it goes.
class Slot {
 public:
  Slot() noexcept = default;
  Slot(Slot&& other) noexcept
      : epoch_(other.epoch_),
        held_(std::exchange(other.held_, false)),
        host_(std::exchange(other.host_, false)) {}
  Slot& operator=(Slot&& other) noexcept {
    assert(!held_);
    epoch_ = other.epoch_;
    held_ = std::exchange(other.held_, false);
    host_ = std::exchange(other.host_, false);
    return *this;
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() { assert(!held_ && "a reserved slot was dropped instead of given up"); }

  explicit operator bool() const noexcept { return held_; }

 private:
  friend class ::odbcpool::pool::Pool;
  explicit Slot(std::uint64_t epoch) noexcept : epoch_(epoch), held_(true) {}
  std::uint64_t epoch_ = 0;
  bool held_ = false;
  bool host_ = false;  // carries a host slot
};

// A borrower queued because the pool is full; lives on the borrower's stack.
// Whoever dequeues it grants it exactly one thing, under the pool lock: a
// connection (of any kind: a borrower of another kind closes it and opens
// its own in its slot) or a slot to open one in.
struct Waiter {
  std::condition_variable cv;
  Entry* entry = nullptr;
  Slot slot;
  bool queued = false;
  std::uint64_t epoch = 0;  // the pool's fork epoch when queued
  Waiter* prev = nullptr;
  Waiter* next = nullptr;

  bool granted() const noexcept { return entry != nullptr || static_cast<bool>(slot); }
};

}  // namespace odbcpool::pool::detail
