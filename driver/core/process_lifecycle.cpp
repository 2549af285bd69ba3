#include "process_lifecycle.h"

#include <pthread.h>

#include <atomic>
#include <cstdio>

#include "fork_generation.h"
#include "handles.h"
#include "logging.h"
#include "metrics.h"
#include "pool_fork.h"
#include "statement_watchdog.h"
#include "target_library.h"

namespace odbcpool {

// The one generation counter: how many fork()s this process descends from.
std::atomic<std::uint64_t> detail::fork_generation_counter{0};

namespace process_lifecycle {

void prepare() noexcept {
  TargetLibrary::lock_all_for_fork();
  pool::fork_prepare();
  statement_watchdog_lock_for_fork();
  metrics_lock_for_fork();
  HandleRegistry::lock_all_for_fork();
}

void in_parent() noexcept {
  HandleRegistry::unlock_all_after_fork();
  metrics_unlock_after_fork();
  statement_watchdog_unlock_after_fork();
  pool::fork_parent();
  TargetLibrary::unlock_all_after_fork();
}

// Only the forking thread exists here, and it took every lock in prepare():
// releasing them is safe (std::mutex records no owner to check).
void in_child() noexcept {
  detail::fork_generation_counter.fetch_add(1, std::memory_order_relaxed);
  HandleRegistry::unlock_all_after_fork();
  metrics_reset_in_child();  // releases its lock itself
  statement_watchdog_reset_in_child();
  pool::fork_child();  // releases the pool locks, abandons the pools, forgets the maintainer
  TargetLibrary::unlock_all_after_fork();
  logging_reset_in_child();
}

}  // namespace process_lifecycle

void install_process_lifecycle() noexcept {
  static const bool installed = [] {
    if (pthread_atfork(&process_lifecycle::prepare, &process_lifecycle::in_parent,
                       &process_lifecycle::in_child) != 0) {
      std::fputs("odbcpool: pthread_atfork failed: forked children are not made safe\n", stderr);
      return false;
    }
    return true;
  }();
  (void)installed;
}

namespace {

// When the library is loaded, before any connection exists.
const bool installed_at_load = (install_process_lifecycle(), true);

}  // namespace

}  // namespace odbcpool
