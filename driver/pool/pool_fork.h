// pthread_atfork handlers. Before fork every registered pool's lock is taken
// (none is ever held across I/O, so this is brief), so the child inherits
// consistent pools and no lock held by a thread it does not have. The child
// then empties every pool (abandoning, never closing, what it inherited) and
// forgets the maintainer thread, which restarts on the next pool lookup.
#pragma once

namespace odbcpool::pool::detail {

struct ForkHandlers {
  static void install() noexcept;  // once per process; done by PoolRegistry::instance()
  static void prepare() noexcept;
  static void parent() noexcept;
  static void child() noexcept;
};

}  // namespace odbcpool::pool::detail
