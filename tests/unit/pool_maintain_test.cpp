// maintain(): idle timeout, lifetime retirement, min_idle refill with
// backoff, keepalive and leak warnings. Called by hand with a manual clock.
#include "pool_test_support.h"

namespace odbcpool::pool::testing {
namespace {

using MaintainTest = PoolFixture;

// Borrows n connections at once and returns them, oldest return first:
// connection i (1-based) is returned at i seconds after the start.
void fill_idle(Pool& pool, ManualClock& clock, int n) {
  std::vector<Lease> leases;
  for (int i = 0; i < n; ++i) leases.push_back(pool.borrow());
  for (auto& lease : leases) {
    clock.advance(1s);
    pool.give_back(std::move(lease), ReturnState::Healthy);
  }
}

TEST_F(MaintainTest, IdleTimeoutClosesTheLongestIdleAndKeepsMinIdle) {
  Settings settings = test_settings();
  settings.idle_timeout = 10min;
  settings.min_idle = 1;
  auto pool = make_pool(settings);
  fill_idle(*pool, *clock, 3);

  clock->advance(10min - 2s);  // 1 has been idle 10 min, 2 and 3 less
  pool->maintain();
  EXPECT_TRUE(factory->state(1)->closed);
  EXPECT_FALSE(factory->state(2)->closed);

  clock->advance(1h);  // all past it: the most recently used one stays
  pool->maintain();
  EXPECT_TRUE(factory->state(2)->closed);
  EXPECT_FALSE(factory->state(3)->closed);
  const Stats s = pool->stats();
  EXPECT_EQ(s.closes(CloseReason::IdleTimeout), 2u);
  EXPECT_EQ(s.idle, 1u);
  EXPECT_EQ(factory->opened(), 3);  // nothing reopened: min_idle was kept
}

// At exit: every idle connection is closed, a lent one is left to its
// borrower, and a spent budget closes nothing.
TEST_F(MaintainTest, CloseIdleAtExitClosesOnlyIdleConnectionsWithinTheBudget) {
  Settings settings = test_settings();
  settings.min_idle = 2;
  auto pool = make_pool(settings);
  fill_idle(*pool, *clock, 3);
  Lease lent = pool->borrow();

  EXPECT_EQ(pool->close_idle(Duration::zero()), 0u);
  EXPECT_EQ(pool->stats().idle, 2u);
  EXPECT_EQ(pool->close_idle(1s), 2u);
  const Stats s = pool->stats();
  EXPECT_EQ(s.idle, 0u);
  EXPECT_EQ(s.in_use, 1u);
  EXPECT_EQ(s.closes(CloseReason::Shutdown), 2u);
  int closed = 0;
  for (int i = 1; i <= 3; ++i) closed += factory->state(i)->closed ? 1 : 0;
  EXPECT_EQ(closed, 2);
  pool->give_back(std::move(lent), ReturnState::Healthy);
}

TEST_F(MaintainTest, ZeroIdleTimeoutNeverClosesIdleConnections) {
  auto pool = make_pool(test_settings());
  fill_idle(*pool, *clock, 2);
  clock->advance(24h);
  pool->maintain();
  EXPECT_EQ(pool->stats().idle, 2u);
}

TEST_F(MaintainTest, RetiresIdleConnectionsPastTheirLifetimeEvenBelowMinIdleThenRefills) {
  Settings settings = test_settings();
  settings.max_lifetime = 30min;
  settings.min_idle = 2;
  auto pool = make_pool(settings);
  pool->maintain();
  EXPECT_EQ(pool->stats().idle, 2u);
  clock->advance(30min);
  pool->maintain();
  EXPECT_TRUE(factory->state(1)->closed);
  EXPECT_TRUE(factory->state(2)->closed);
  const Stats s = pool->stats();
  EXPECT_EQ(s.closes(CloseReason::Lifetime), 2u);
  EXPECT_EQ(s.idle, 2u);  // replaced by 3 and 4
  EXPECT_EQ(factory->opened(), 4);
}

TEST_F(MaintainTest, RefillsMinIdleAndNeverGoesAboveMaxSize) {
  Settings settings = test_settings(3);
  settings.min_idle = 2;
  auto pool = make_pool(settings);
  EXPECT_EQ(pool->maintain(), std::chrono::milliseconds(200));
  EXPECT_EQ(pool->stats().idle, 2u);
  EXPECT_EQ(pool->stats().connects_total, 2u);

  Lease a = pool->borrow();
  Lease b = pool->borrow();
  pool->maintain();  // only one more fits under max_size 3
  Stats s = pool->stats();
  EXPECT_EQ(s.open, 3u);
  EXPECT_EQ(s.idle, 1u);
  Lease c = pool->borrow();
  pool->maintain();
  EXPECT_EQ(pool->stats().open, 3u);
  EXPECT_EQ(factory->max_live.load(), 3);
}

TEST_F(MaintainTest, RefillBacksOffExponentiallyFrom10msTo5s) {
  Settings settings = test_settings();
  settings.min_idle = 1;
  auto pool = make_pool(settings);
  factory->fail = true;

  std::vector<Duration> waits;
  for (int i = 0; i < 12; ++i) {
    const int before = factory->attempts.load();
    const Duration next = pool->maintain();
    EXPECT_EQ(factory->attempts.load(), before + 1);
    // Not again before the backoff is over.
    clock->advance(next - 1ms);
    pool->maintain();
    EXPECT_EQ(factory->attempts.load(), before + 1);
    clock->advance(1ms);
    waits.push_back(next);
  }
  const std::vector<Duration> expected = {10ms,  20ms,   40ms,   80ms, 160ms, 320ms,
                                          640ms, 1280ms, 2560ms, 5s,   5s,    5s};
  EXPECT_EQ(waits, expected);
  // The first failure of a run, then the rest of it.
  const auto first = events->named("refill_failed");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].duration, 10ms);
  EXPECT_EQ(first[0].text, "could not connect to fake server (attempt 1)");
  EXPECT_EQ(events->named("refill_failed_again").size(), 11u);
  EXPECT_EQ(pool->stats().connect_errors_total, 12u);
  EXPECT_FALSE(pool->stats().last_connect_error.empty());

  factory->fail = false;
  pool->maintain();
  EXPECT_EQ(pool->stats().idle, 1u);
  // A success resets the backoff.
  Lease lease = pool->borrow();
  factory->fail = true;
  EXPECT_EQ(pool->maintain(), 10ms);
}

TEST_F(MaintainTest, KeepalivePingsConnectionsIdleTooLongAndKeepsTheirPlace) {
  Settings settings = test_settings();
  settings.keepalive = 1min;
  auto pool = make_pool(settings);
  fill_idle(*pool, *clock, 3);  // 1, 2, 3 returned at 1 s, 2 s, 3 s
  clock->advance(1min - 1s);    // 1 and 2 are due, 3 is not
  pool->maintain();
  EXPECT_EQ(factory->state(1)->pings.load(), 1);
  EXPECT_EQ(factory->state(2)->pings.load(), 1);
  EXPECT_EQ(factory->state(3)->pings.load(), 0);
  pool->maintain();  // just pinged: not due again
  EXPECT_EQ(factory->state(1)->pings.load(), 1);
  EXPECT_EQ(pool->stats().validations_total, 2u);

  // A keepalive is not a use: LIFO order is unchanged.
  Lease first = pool->borrow();
  Lease second = pool->borrow();
  Lease third = pool->borrow();
  EXPECT_EQ(id_of(first), 3);
  EXPECT_EQ(id_of(second), 2);
  EXPECT_EQ(id_of(third), 1);
}

TEST_F(MaintainTest, AFailedKeepaliveClosesTheConnection) {
  Settings settings = test_settings();
  settings.keepalive = 1min;
  auto pool = make_pool(settings);
  fill_idle(*pool, *clock, 2);
  factory->state(1)->ping_ok = false;
  clock->advance(2min);
  pool->maintain();
  EXPECT_TRUE(factory->state(1)->closed);
  EXPECT_FALSE(factory->state(2)->closed);
  const Stats s = pool->stats();
  EXPECT_EQ(s.closes(CloseReason::KeepaliveFailed), 1u);
  EXPECT_EQ(s.validation_failures_total, 1u);
  EXPECT_EQ(s.idle, 1u);
}

TEST_F(MaintainTest, NeverTouchesALentConnection) {
  Settings settings = test_settings();
  settings.keepalive = 1min;
  settings.idle_timeout = 1min;
  settings.max_lifetime = 1min;
  auto pool = make_pool(settings);
  Lease lease = pool->borrow();
  clock->advance(1h);
  pool->maintain();
  EXPECT_EQ(fake(lease).state().pings.load(), 0);
  EXPECT_EQ(fake(lease).state().dead_checks.load(), 0);
  EXPECT_FALSE(fake(lease).state().closed);
  EXPECT_EQ(pool->stats().in_use, 1u);
}

TEST_F(MaintainTest, ReportsASummaryAboutEveryMinuteFromTheFirstRound) {
  auto pool = make_pool(test_settings());
  pool->maintain();  // takes note
  Lease a = pool->borrow();
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  clock->advance(30s);
  pool->maintain();
  EXPECT_TRUE(events->summaries().empty());
  clock->advance(31s);
  pool->maintain();
  pool->maintain();
  const auto summaries = events->summaries();
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].over, 61s);
  EXPECT_EQ(summaries[0].before.borrows_total, 0u);
  EXPECT_EQ(summaries[0].now.borrows_total, 2u);
  EXPECT_EQ(summaries[0].now.in_use, 1u);
  EXPECT_EQ(summaries[0].now.idle, 1u);
  clock->advance(1min);
  pool->maintain();
  ASSERT_EQ(events->summaries().size(), 2u);
  EXPECT_EQ(events->summaries()[1].before.borrows_total, 2u);  // from the last summary on
  pool->give_back(std::move(a), ReturnState::Healthy);
}

using LeakTest = PoolFixture;

TEST_F(LeakTest, WarnsOncePerLeaseHeldPastTheThresholdWithTheBorrower) {
  Settings settings = test_settings();
  settings.leak_threshold = 1min;
  auto pool = make_pool(settings, "orders");
  Lease leaked = pool->borrow("pid 42 report.php");
  Lease quick = pool->borrow("short job");
  clock->advance(59s);
  pool->maintain();
  EXPECT_TRUE(events->named("leaked").empty());
  pool->give_back(std::move(quick), ReturnState::Healthy);
  clock->advance(1s);
  pool->maintain();
  pool->maintain();
  const auto leaks = events->named("leaked");
  ASSERT_EQ(leaks.size(), 1u);  // once, and not the short job
  EXPECT_EQ(leaks[0].text, "pid 42 report.php");
  EXPECT_EQ(leaks[0].duration, 1min);
  EXPECT_EQ(pool->stats().leaks_total, 1u);

  // Borrowed again, it is a new lease and may be reported again.
  pool->give_back(std::move(leaked), ReturnState::Healthy);
  Lease again = pool->borrow("second borrower");
  clock->advance(2min);
  pool->maintain();
  EXPECT_EQ(pool->stats().leaks_total, 2u);
  ASSERT_EQ(events->named("leaked").size(), 2u);
  EXPECT_EQ(events->named("leaked")[1].text, "second borrower");
}

TEST_F(LeakTest, NoLeakCheckWhenTheThresholdIsZero) {
  auto pool = make_pool(test_settings());
  Lease lease = pool->borrow("anything");
  clock->advance(24h);
  pool->maintain();
  EXPECT_EQ(pool->stats().leaks_total, 0u);
  EXPECT_TRUE(events->named("leaked").empty());
}

}  // namespace
}  // namespace odbcpool::pool::testing
