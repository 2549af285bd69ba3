// A duration as a log argument: formatted with pool::describe() only when
// the line is actually written, so lines on hot paths cost nothing when
// their level is off.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "pool_clock.h"

namespace odbcpool {

struct Took {
  pool::Duration duration;
};

}  // namespace odbcpool

template <>
struct fmt::formatter<odbcpool::Took> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(const odbcpool::Took& took, Context& context) const {
    const std::string text = odbcpool::pool::describe(took.duration);
    return fmt::formatter<std::string_view>::format(text, context);
  }
};
