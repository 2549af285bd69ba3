// Internal to the pool: the bookkeeping around one physical connection and
// one queued borrower. Only the pool's own .cpp files include this.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <string>

#include "pool_clock.h"
#include "pool_resource.h"

namespace odbcpool::pool::detail {

enum class EntryState : std::uint8_t {
  Idle,  // on the idle stack
  Lent,  // held by a Lease, or handed to a waiter that has not woken yet
  Busy,  // outside the lock with a borrower or maintain(): being checked or closed
};

struct Entry {
  std::unique_ptr<Resource> resource;
  TimePoint created_at{};
  TimePoint expires_at = TimePoint::max();  // created_at + lifetime - jitter
  TimePoint idle_since{};                   // last return (or open); orders the idle stack
  TimePoint last_good{};                    // last return, open or successful check
  TimePoint borrowed_at{};
  std::uint64_t checked_generation = 0;  // the pool's failure generation at last_good
  std::uint64_t epoch = 0;               // the pool's fork epoch when it was opened
  std::string borrower;                  // free text for leak warnings (only when enabled)
  EntryState state = EntryState::Busy;
  bool leak_reported = false;
  // The pool's intrusive list of every open connection it owns.
  Entry* prev = nullptr;
  Entry* next = nullptr;
};

// A borrower queued because the pool is full; lives on the borrower's stack.
// Whoever dequeues it grants it exactly one thing, under the pool lock.
struct Waiter {
  std::condition_variable cv;
  Entry* entry = nullptr;  // granted: this connection
  bool may_open = false;   // granted: a reserved slot to open a connection in
  bool shut_down = false;  // granted: nothing, the pool was shut down
  bool queued = false;
  std::uint64_t epoch = 0;  // the pool's fork epoch when queued
  Waiter* prev = nullptr;
  Waiter* next = nullptr;

  bool granted() const noexcept { return entry != nullptr || may_open || shut_down; }
};

}  // namespace odbcpool::pool::detail
