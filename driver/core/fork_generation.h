// Counts the fork()s this process descends from, so that a connection made
// before a fork is recognised in the child: the child must never use or
// close it, since its socket is shared with the parent.
#pragma once

#include <cstdint>

namespace odbcpool {

std::uint64_t fork_generation() noexcept;

}  // namespace odbcpool
