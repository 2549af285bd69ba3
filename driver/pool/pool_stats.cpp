#include "pool_stats.h"

namespace odbcpool::pool {

namespace {

// The bucket bounds in the clock's own unit, so observing needs no floating
// point until the sum.
constexpr std::array<Duration::rep, Histogram::kBucketCount> bounds_in_ticks() {
  std::array<Duration::rep, Histogram::kBucketCount> ticks{};
  for (std::size_t i = 0; i < Histogram::kBucketCount; ++i) {
    ticks[i] = static_cast<Duration::rep>(
        Histogram::kUpperBounds[i] * Duration::period::den / Duration::period::num + 0.5);
  }
  return ticks;
}

constexpr auto kBoundTicks = bounds_in_ticks();

}  // namespace

void Histogram::observe(Duration d) noexcept {
  const Duration::rep ticks = d.count();
  std::size_t bucket = 0;
  while (bucket < kBucketCount && ticks > kBoundTicks[bucket]) ++bucket;
  ++counts[bucket];
  ++count;
  sum += std::chrono::duration<double>(d).count();
}

std::uint64_t Histogram::cumulative(std::size_t bucket) const noexcept {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bucket && i < counts.size(); ++i) total += counts[i];
  return total;
}

}  // namespace odbcpool::pool
