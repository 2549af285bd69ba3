// The pool core's part in fork(), called by the one pthread_atfork handler
// of the core (driver/core/process_lifecycle.h), which owns the lock order:
// the pool core registers no handler of its own and knows nothing of ODBC.
// Before fork every registered pool's lock is taken (none is ever held
// across I/O, so this is brief), so the child inherits consistent pools and
// no lock held by a thread it does not have. The child then empties every
// pool (abandoning, never closing, what it inherited) and forgets the
// maintainer thread, which restarts on the next pool lookup.
#pragma once

namespace odbcpool::pool {

// The registry's write lock, then each pool's lock in creation order.
// Nothing else ever holds two of these at once.
void fork_prepare() noexcept;
// Releases them.
void fork_parent() noexcept;
// Releases them, abandons every pool and forgets the maintainer.
void fork_child() noexcept;

namespace detail {
// Befriended by PoolRegistry and Pool, whose locks it takes.
struct ForkHandlers {
  static void prepare() noexcept;
  static void parent() noexcept;
  static void child() noexcept;
};
}  // namespace detail

}  // namespace odbcpool::pool
