#include "pool_settings.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace odbcpool::pool {

namespace {

// Far above any database's connection limit; keeps the idle stack's
// up-front reservation reasonable.
constexpr std::size_t kLargestMaxSize = 100000;

}  // namespace

void check_settings(const Settings& s) {
  if (s.max_size < 1 || s.max_size > kLargestMaxSize) {
    throw std::invalid_argument("pool max_size " + std::to_string(s.max_size) +
                                " is out of range: 1 to " + std::to_string(kLargestMaxSize));
  }
  if (s.min_idle > s.max_size) {
    throw std::invalid_argument("pool min_idle " + std::to_string(s.min_idle) +
                                " is larger than max_size " + std::to_string(s.max_size));
  }
  const std::pair<const char*, Duration> durations[] = {
      {"acquire_timeout", s.acquire_timeout},
      {"idle_timeout", s.idle_timeout},
      {"max_lifetime", s.max_lifetime},
      {"validation_bypass", s.validation_bypass},
      {"validation_timeout", s.validation_timeout},
      {"keepalive", s.keepalive},
      {"leak_threshold", s.leak_threshold},
  };
  for (const auto& [name, value] : durations) {
    if (value < Duration::zero()) {
      throw std::invalid_argument(std::string("pool ") + name + " must not be negative");
    }
  }
}

}  // namespace odbcpool::pool
