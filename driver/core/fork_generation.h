// Counts the fork()s this process descends from, so that a connection made
// before a fork is recognised in the child: the child must never use or
// close it, since its socket is shared with the parent.
#pragma once

#include <atomic>
#include <cstdint>

namespace odbcpool {

namespace detail {
// Counted by process_lifecycle.cpp's fork handler; read on every call.
extern std::atomic<std::uint64_t> fork_generation_counter;
}  // namespace detail

inline std::uint64_t fork_generation() noexcept {
  return detail::fork_generation_counter.load(std::memory_order_relaxed);
}

}  // namespace odbcpool
