#include "fork_generation.h"

#include <pthread.h>

#include <atomic>

namespace odbcpool {

namespace {

std::atomic<std::uint64_t> generation{0};

void in_child() {
  generation.fetch_add(1, std::memory_order_relaxed);
}

// Registered when the library is loaded, before any connection exists.
const int registered = pthread_atfork(nullptr, nullptr, in_child);

}  // namespace

std::uint64_t fork_generation() noexcept {
  (void)registered;
  return generation.load(std::memory_order_relaxed);
}

}  // namespace odbcpool
