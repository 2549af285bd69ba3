// The process's one background thread: calls maintain() on every registered
// pool about every 200 ms, or sooner when a pool asks, then the round hook. It is started lazily
// by the registry, blocks every signal, is stopped and joined from an atexit
// handler (waiting at most a couple of seconds for a maintain() in progress),
// which then closes the idle connections of every pool (within
// kExitCloseBudget), and does not exist in a child after fork until a pool is used there again.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "pool_clock.h"

namespace odbcpool::pool {

// How long a normal exit may spend closing idle connections.
inline constexpr Duration kExitCloseBudget = std::chrono::seconds(1);

class Maintainer {
 public:
  static Maintainer& instance();

  // Cheap when already running. Never throws: without the thread the pools
  // still work, only nothing happens in the background.
  void ensure_running() noexcept;
  // Asks for a round soon.
  void wake() noexcept;
  // Stops and joins the thread; ensure_running() may start it again.
  void stop() noexcept;
  bool running() const noexcept { return running_.load(std::memory_order_acquire); }
  // Rounds completed by the current thread: lets tests wait for one.
  std::uint64_t rounds() const noexcept { return rounds_.load(std::memory_order_acquire); }

  // Work of the process's that belongs to no pool (writing the metrics
  // files), run by the same thread after every round. It returns how soon it
  // wants to run again and must not throw. One hook; a second replaces it.
  using RoundHook = Duration (*)() noexcept;
  void set_round_hook(RoundHook hook) noexcept { round_hook_.store(hook); }

  // Told when the thread cannot be started (`error` empty when what was
  // thrown was no std::exception). Process-wide, not a pool's event: the
  // thread serves every pool, and metrics start it too.
  using StartFailureHook = void (*)(std::string_view error) noexcept;
  void set_start_failure_hook(StartFailureHook hook) noexcept { start_failure_hook_.store(hook); }

  // For the fork handler, in the child: the thread is not there.
  void forget_after_fork() noexcept;

  Maintainer(const Maintainer&) = delete;
  Maintainer& operator=(const Maintainer&) = delete;

 private:
  struct State;
  struct Run;
  Maintainer();
  void run(State& state, Run& run) noexcept;
  void rounds_until_stopped(State& state, Run& run) noexcept;
  static void stop_at_exit() noexcept;

  State* state_;  // replaced (and the old one leaked) in a child after fork
  std::atomic<bool> running_{false};
  std::atomic<bool> exiting_{false};
  std::atomic<std::uint64_t> rounds_{0};
  std::atomic<RoundHook> round_hook_{nullptr};
  std::atomic<StartFailureHook> start_failure_hook_{nullptr};
};

}  // namespace odbcpool::pool
