// The pool core over connections that cost nothing, so what is measured is
// the pool: its lock, its hand-offs to waiters, its bookkeeping. Times are
// per borrow+return pair; items/s is pairs per second over all threads.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "pool.h"

namespace {

using namespace odbcpool::pool;
using namespace std::chrono_literals;

class NullResource final : public Resource {
 public:
  bool is_dead_quick() override { return false; }
  bool ping(Duration) override { return true; }
  void close() noexcept override {}
  void abandon() noexcept override {}
};

class NullFactory final : public ResourceFactory {
 public:
  std::unique_ptr<Resource> open(Kind, Duration) override {
    return std::make_unique<NullResource>();
  }
};

Settings bench_settings(std::size_t max_size) {
  Settings s;
  s.max_size = max_size;
  s.acquire_timeout = 60s;
  s.leak_threshold = 1h;  // the borrower text is kept, as the driver would have it
  return s;
}

// One pool per benchmark, shared by its threads, created before any of them
// runs and never destroyed (as in the driver).
Pool& shared_pool(const std::string& name, std::size_t max_size) {
  return *PoolRegistry::instance().get_or_create(name, [&] {
    return std::make_shared<Pool>(name, bench_settings(max_size), std::make_shared<NullFactory>());
  });
}

// Holds the connection across a blocking wait of about `us` microseconds,
// standing in for a query's round trip to the server.
void hold_for(std::int64_t us) {
  if (us > 0) std::this_thread::sleep_for(std::chrono::microseconds(us));
}

void BM_BorrowReturnUncontended(benchmark::State& state) {
  Pool& pool = shared_pool("bench uncontended", 8);
  for (auto _ : state) {
    Lease lease = pool.borrow("bench");
    benchmark::DoNotOptimize(&lease.resource());
    pool.give_back(std::move(lease), ReturnState::Healthy);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BorrowReturnUncontended);

// state.range(0): pool size; state.range(1): microseconds the connection is
// held (0: given back at once, which measures the pool alone).
void BM_BorrowReturnThreads(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  Pool& pool =
      shared_pool("bench threads " + std::to_string(size) + " " + std::to_string(state.range(1)) +
                      " " + std::to_string(state.threads()),
                  size);
  for (auto _ : state) {
    Lease lease = pool.borrow("bench");
    hold_for(state.range(1));
    pool.give_back(std::move(lease), ReturnState::Healthy);
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    const Stats s = pool.stats();
    // Mean time in borrow() (cumulative over the runs of this benchmark),
    // and acquire timeouts, which must stay 0.
    state.counters["wait_us"] =
        1e6 * s.borrow_wait_seconds.sum /
        static_cast<double>(std::max<std::uint64_t>(s.borrow_wait_seconds.count, 1));
    state.counters["timeouts"] = static_cast<double>(s.acquire_timeouts_total);
  }
}
// The pool alone: 8, 16 and 64 threads over 8 connections given back at once.
BENCHMARK(BM_BorrowReturnThreads)->Args({8, 0})->Threads(8)->UseRealTime();
BENCHMARK(BM_BorrowReturnThreads)->Args({8, 0})->Threads(16)->UseRealTime();
BENCHMARK(BM_BorrowReturnThreads)->Args({8, 0})->Threads(64)->UseRealTime();
// As a driver sees it: each connection held across a 100 us round trip.
// 64 threads over 8 connections should match 8 threads over 8.
BENCHMARK(BM_BorrowReturnThreads)->Args({8, 100})->Threads(8)->UseRealTime();
BENCHMARK(BM_BorrowReturnThreads)->Args({8, 100})->Threads(16)->UseRealTime();
BENCHMARK(BM_BorrowReturnThreads)->Args({8, 100})->Threads(64)->UseRealTime();

// What a connect pays to find its pool.
void BM_RegistryLookup(benchmark::State& state) {
  shared_pool("bench lookup", 1);
  PoolRegistry& registry = PoolRegistry::instance();
  const std::string key = "bench lookup";
  for (auto _ : state) {
    auto pool = registry.get_or_create(key, [] { return std::shared_ptr<Pool>(); });
    benchmark::DoNotOptimize(pool.get());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegistryLookup)->Threads(1)->Threads(16)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
