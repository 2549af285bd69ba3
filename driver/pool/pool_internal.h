// Internal to the pool: small helpers shared by its .cpp files.
#pragma once

#include <exception>
#include <string>

#include "pool_clock.h"

namespace odbcpool::pool::detail {

inline TimePoint add_saturating(TimePoint t, Duration d) noexcept {
  if (d >= TimePoint::max() - t) return TimePoint::max();
  return t + d;
}

// what() of the exception being handled; never empty.
inline std::string current_exception_text() noexcept {
  try {
    try {
      throw;
    } catch (const std::exception& e) {
      return e.what()[0] != '\0' ? e.what() : "unknown error";
    } catch (...) {
      return "unknown error";
    }
  } catch (...) {
    return {};
  }
}

}  // namespace odbcpool::pool::detail
