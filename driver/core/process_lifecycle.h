// fork() in one place. odbcpool registers a single pthread_atfork, here, and
// this module is the only one that knows which process-wide locks exist and
// in which order they are taken. Before fork every one of them is taken, so
// the child inherits no lock held by a thread it does not have and no state
// half-changed; after fork the parent releases them, and the child releases
// them and then resets what belonged to the parent's threads: its pools are
// abandoned (never closed: their sockets are the parent's), the pool
// maintainer and the statement watchdog are forgotten (they restart on first
// use), loggers and the metrics writer start afresh, and the fork
// generation goes up, so that every session made before is known to be
// inherited (fork_generation.h).
//
// Lock order (outer first; prepare takes them in this order, parent and
// child release them in reverse):
//   1. the target library table            (held across dlopen)
//   2. each target library's environment lock, in load order
//   3. the pool registry's write lock, then each pool's lock in creation
//      order (pool::fork_prepare)
//   4. the statement watchdog's lock
//   5. the metrics writer's lock
//   6. the handle registry's shards, in index order
// A thread holding one of these only ever takes ones further down the list
// (most are leaves), so prepare cannot deadlock with a running thread.
// Loggers are not locked: spdlog owns their sinks' locks, so the child gets
// fresh loggers instead. The pools' event logs hold no lock (their rate
// limits are atomics), so there is nothing of theirs to take or reset.
#pragma once

#include <cstdint>

namespace odbcpool {

// Registers the fork handlers; done once when the library is loaded (and
// idempotent, for the unit tests that link the core without a Session).
void install_process_lifecycle() noexcept;

namespace process_lifecycle {
// The three handlers, exposed for tests.
void prepare() noexcept;
void in_parent() noexcept;
void in_child() noexcept;
}  // namespace process_lifecycle

}  // namespace odbcpool
