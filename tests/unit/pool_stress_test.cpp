// Many threads over a small pool, with failures and maintenance mixed in:
// the limits hold and every connection comes back.
#include <random>

#include "pool_test_support.h"

namespace odbcpool::pool::testing {
namespace {

struct Holders {
  std::atomic<int> now{0};
  std::atomic<int> most{0};
  void enter() {
    const int n = now.fetch_add(1) + 1;
    int seen = most.load();
    while (n > seen && !most.compare_exchange_weak(seen, n)) {
    }
  }
  void leave() { now.fetch_sub(1); }
};

TEST(StressTest, SixteenThreadsOverFourConnections) {
  constexpr int kThreads = 16;
  constexpr int kBorrowsEach = 1000;
  auto factory = std::make_shared<FakeFactory>();
  Settings settings = test_settings(4);
  settings.validation_bypass = 50us;
  settings.keepalive = 1ms;
  settings.idle_timeout = 5ms;
  settings.max_lifetime = 20ms;
  settings.min_idle = 1;
  settings.leak_threshold = 1h;
  Pool pool("stress", settings, factory);  // the real clock

  std::atomic<bool> done{false};
  std::thread maintainer([&] {
    while (!done) {
      pool.maintain();
      std::this_thread::sleep_for(200us);
    }
  });

  Holders holders;
  std::atomic<int> failures_noted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::minstd_rand random(static_cast<unsigned>(t) + 1);
      for (int i = 0; i < kBorrowsEach; ++i) {
        Lease lease = pool.borrow("stress worker " + std::to_string(t));
        holders.enter();
        const unsigned dice = random() % 100;
        if (dice < 2) fake(lease).state().ping_ok = false;  // dies while idle
        if (dice % 10 == 3) std::this_thread::yield();
        holders.leave();
        if (dice >= 98) {
          pool.give_back(std::move(lease), ReturnState::Broken);
        } else if (dice == 97) {
          pool.give_back(std::move(lease), ReturnState::ResetFailed);
        } else if (dice == 96) {
          ++failures_noted;
          pool.note_connection_failure();
        }  // else the lease's destructor gives it back Healthy
      }
    });
  }
  for (auto& t : threads) t.join();
  done = true;
  maintainer.join();

  const Stats s = pool.stats();
  EXPECT_LE(holders.most.load(), 4);
  EXPECT_LE(factory->max_live.load(), 4);
  EXPECT_EQ(s.borrows_total, static_cast<std::uint64_t>(kThreads * kBorrowsEach));
  EXPECT_EQ(s.in_use, 0u);
  EXPECT_EQ(s.waiting, 0u);
  EXPECT_EQ(s.opening, 0u);
  EXPECT_EQ(s.open, s.idle);
  EXPECT_EQ(static_cast<std::size_t>(factory->live.load()), s.open);
  std::uint64_t closes = 0;
  for (auto n : s.closes_total) closes += n;
  EXPECT_EQ(s.connects_total, closes + s.open);
  EXPECT_GT(s.closes(CloseReason::Broken), 0u);
  EXPECT_GT(s.closes(CloseReason::ValidationFailed) + s.closes(CloseReason::KeepaliveFailed), 0u);
  EXPECT_EQ(factory->bad_ends.load(), 0);
}

TEST(StressTest, TimeoutsRacingWithHandOffsLoseNothing) {
  constexpr int kThreads = 8;
  constexpr int kBorrowsEach = 300;
  auto factory = std::make_shared<FakeFactory>();
  Settings settings = test_settings(2);
  settings.acquire_timeout = 200us;
  Pool pool("timeouts", settings, factory);

  std::atomic<int> got{0};
  std::atomic<int> timed_out{0};
  Holders holders;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kBorrowsEach; ++i) {
        try {
          Lease lease = pool.borrow();
          holders.enter();
          ++got;
          std::this_thread::sleep_for(20us);
          holders.leave();
        } catch (const AcquireTimeout&) {
          ++timed_out;
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  const Stats s = pool.stats();
  EXPECT_EQ(got + timed_out, kThreads * kBorrowsEach);
  EXPECT_EQ(s.borrows_total, static_cast<std::uint64_t>(got.load()));
  EXPECT_EQ(s.acquire_timeouts_total, static_cast<std::uint64_t>(timed_out.load()));
  EXPECT_LE(holders.most.load(), 2);
  EXPECT_EQ(s.in_use, 0u);
  EXPECT_EQ(s.waiting, 0u);
  EXPECT_LE(s.open, 2u);
  EXPECT_EQ(s.idle, s.open);
}

}  // namespace
}  // namespace odbcpool::pool::testing
