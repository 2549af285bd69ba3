#include "duration_text.h"

#include <cstdio>

namespace odbcpool::cli {

std::string human_duration(double seconds) {
  char buffer[64];
  if (seconds < 0.001) {
    std::snprintf(buffer, sizeof buffer, "%.1f us", seconds * 1e6);
  } else if (seconds < 1.0) {
    std::snprintf(buffer, sizeof buffer, "%.3f ms", seconds * 1e3);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3f s", seconds);
  }
  return buffer;
}

}  // namespace odbcpool::cli
