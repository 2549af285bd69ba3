// A pool's policy, already parsed and checked by the caller. Durations of
// zero mean "never" or "off" where noted.
#pragma once

#include <chrono>
#include <cstddef>

#include "pool_clock.h"

namespace odbcpool::pool {

// How a borrowed connection that sat idle past the bypass window is checked.
enum class Validation {
  Auto,      // Resource::is_dead_quick(), then Resource::ping()
  Query,     // Resource::ping() only
  DeadAttr,  // Resource::is_dead_quick() only (cheap, but may miss a dropped server)
  None,      // never checked, not even after a connection failure was noted
};

struct Settings {
  std::size_t max_size = 10;  // physical connections open at once (in use, idle, opening); >= 1
  std::size_t min_idle = 0;   // idle connections kept ready by maintain(); <= max_size
  Duration acquire_timeout = std::chrono::seconds(30);  // 0: fail at once when full
  Duration idle_timeout = std::chrono::minutes(10);     // 0: never
  Duration max_lifetime = std::chrono::minutes(30);  // 0: never; up to 2.5% earlier per connection
  Validation validation = Validation::Auto;
  Duration validation_bypass = std::chrono::milliseconds(500);  // 0: check every borrow
  Duration validation_timeout = std::chrono::seconds(5);        // passed to Resource::ping()
  Duration keepalive = Duration::zero();                        // 0: off
  Duration leak_threshold = Duration::zero();                   // 0: off
};

// Throws std::invalid_argument naming the field when a value is out of range.
void check_settings(const Settings& settings);

}  // namespace odbcpool::pool
