// Durations for people: microseconds, milliseconds or seconds, whichever
// reads best.
#pragma once

#include <string>

namespace odbcpool::cli {

std::string human_duration(double seconds);

}  // namespace odbcpool::cli
