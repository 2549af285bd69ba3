// Borrowing and giving back on one thread: order, validation, lifetimes,
// limits, failures and the counters they leave.
#include <set>

#include "pool_test_support.h"

namespace odbcpool::pool::testing {
namespace {

using BorrowTest = PoolFixture;

TEST_F(BorrowTest, ReportsEachBorrowReturnConnectAndClose) {
  auto pool = make_pool(test_settings());
  Lease lease = pool->borrow("handle 0x1");
  clock->advance(3s);
  pool->give_back(std::move(lease), ReturnState::Healthy);
  pool->give_back(pool->borrow(), ReturnState::Broken);
  EXPECT_EQ(events->lent_count.load(), 2);
  EXPECT_EQ(events->given_back_count.load(), 1);  // the broken one was closed instead
  ASSERT_EQ(events->named("opened").size(), 1u);
  const auto closed = events->named("closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].text, "broken");
  EXPECT_EQ(closed[0].duration, 3s);
  EXPECT_TRUE(events->named("slow_borrow").empty());
}

TEST_F(BorrowTest, OpensANewConnectionWhenNoneIsIdle) {
  auto pool = make_pool(test_settings());
  Lease lease = pool->borrow();
  ASSERT_TRUE(lease);
  EXPECT_EQ(id_of(lease), 1);
  EXPECT_EQ(lease.created_at(), clock->now());
  EXPECT_EQ(lease.borrowed_at(), clock->now());
  const Stats s = pool->stats();
  EXPECT_EQ(s.open, 1u);
  EXPECT_EQ(s.in_use, 1u);
  EXPECT_EQ(s.idle, 0u);
  EXPECT_EQ(s.connects_total, 1u);
  pool->give_back(std::move(lease), ReturnState::Healthy);
  EXPECT_FALSE(lease);  // NOLINT(bugprone-use-after-move): give_back empties it
}

TEST_F(BorrowTest, ReusesAReturnedConnection) {
  auto pool = make_pool(test_settings());
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  Lease again = pool->borrow();
  EXPECT_EQ(id_of(again), 1);
  EXPECT_EQ(factory->opened(), 1);
  EXPECT_EQ(pool->stats().borrows_total, 2u);
}

TEST_F(BorrowTest, LendsTheMostRecentlyReturnedConnectionFirst) {
  auto pool = make_pool(test_settings());
  Lease a = pool->borrow();
  Lease b = pool->borrow();
  Lease c = pool->borrow();
  pool->give_back(std::move(b), ReturnState::Healthy);
  pool->give_back(std::move(a), ReturnState::Healthy);
  pool->give_back(std::move(c), ReturnState::Healthy);
  Lease first = pool->borrow();
  Lease second = pool->borrow();
  Lease third = pool->borrow();
  EXPECT_EQ(id_of(first), 3);
  EXPECT_EQ(id_of(second), 1);
  EXPECT_EQ(id_of(third), 2);
}

TEST_F(BorrowTest, NoCheckInsideTheBypassWindow) {
  auto pool = make_pool(test_settings());
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  clock->advance(499ms);
  Lease lease = pool->borrow();
  EXPECT_EQ(fake(lease).state().dead_checks.load(), 0);
  EXPECT_EQ(fake(lease).state().pings.load(), 0);
  EXPECT_EQ(pool->stats().validations_total, 0u);
}

struct ModeCase {
  Validation mode;
  int dead_checks;
  int pings;
};

class ValidationModeTest : public PoolFixture, public ::testing::WithParamInterface<ModeCase> {};

TEST_P(ValidationModeTest, ChecksPastTheBypassWindowAsTheModeSays) {
  Settings settings = test_settings();
  settings.validation = GetParam().mode;
  auto pool = make_pool(settings);
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  clock->advance(500ms);
  Lease lease = pool->borrow();
  EXPECT_EQ(id_of(lease), 1);
  EXPECT_EQ(fake(lease).state().dead_checks.load(), GetParam().dead_checks);
  EXPECT_EQ(fake(lease).state().pings.load(), GetParam().pings);
  EXPECT_EQ(pool->stats().validations_total, GetParam().mode == Validation::None ? 0u : 1u);
}

INSTANTIATE_TEST_SUITE_P(Modes, ValidationModeTest,
                         ::testing::Values(ModeCase{Validation::Auto, 1, 1},
                                           ModeCase{Validation::Query, 0, 1},
                                           ModeCase{Validation::DeadAttr, 1, 0},
                                           ModeCase{Validation::None, 0, 0}));

TEST_F(BorrowTest, ZeroBypassChecksEveryBorrowButNotANewConnection) {
  Settings settings = test_settings();
  settings.validation_bypass = Duration::zero();
  auto pool = make_pool(settings);
  Lease lease = pool->borrow();
  EXPECT_EQ(fake(lease).state().pings.load(), 0);  // just opened
  pool->give_back(std::move(lease), ReturnState::Healthy);
  Lease again = pool->borrow();
  EXPECT_EQ(fake(again).state().pings.load(), 1);
}

TEST_F(BorrowTest, AFailedCheckClosesTheConnectionAndTriesTheNext) {
  auto pool = make_pool(test_settings());
  Lease a = pool->borrow();
  Lease b = pool->borrow();
  Lease c = pool->borrow();
  fake(c).state().ping_ok = false;
  fake(b).state().dead = true;
  pool->give_back(std::move(a), ReturnState::Healthy);
  pool->give_back(std::move(b), ReturnState::Healthy);
  pool->give_back(std::move(c), ReturnState::Healthy);
  clock->advance(1s);

  Lease lease = pool->borrow();
  EXPECT_EQ(id_of(lease), 1);
  EXPECT_TRUE(factory->state(3)->closed);
  EXPECT_TRUE(factory->state(2)->closed);
  EXPECT_EQ(factory->state(2)->pings.load(), 0);  // dead already: no query sent
  const Stats s = pool->stats();
  EXPECT_EQ(s.validations_total, 3u);
  EXPECT_EQ(s.validation_failures_total, 2u);
  EXPECT_EQ(s.closes(CloseReason::ValidationFailed), 2u);
  EXPECT_EQ(s.open, 1u);
  EXPECT_EQ(factory->live.load(), 1);
}

TEST_F(BorrowTest, WhenEveryIdleConnectionFailsItsCheckANewOneIsOpened) {
  auto pool = make_pool(test_settings(2));
  Lease a = pool->borrow();
  Lease b = pool->borrow();
  fake(a).state().ping_ok = false;
  fake(b).state().ping_throws = true;
  pool->give_back(std::move(a), ReturnState::Healthy);
  pool->give_back(std::move(b), ReturnState::Healthy);
  clock->advance(1s);
  Lease lease = pool->borrow();
  EXPECT_EQ(id_of(lease), 3);
  EXPECT_EQ(pool->stats().closes(CloseReason::ValidationFailed), 2u);
  EXPECT_EQ(pool->stats().open, 1u);
}

TEST_F(BorrowTest, AConnectionPastItsLifetimeIsClosedInsteadOfLent) {
  Settings settings = test_settings();
  settings.max_lifetime = 10min;
  auto pool = make_pool(settings);
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  clock->advance(10min);
  Lease lease = pool->borrow();
  EXPECT_EQ(id_of(lease), 2);
  EXPECT_TRUE(factory->state(1)->closed);
  EXPECT_EQ(pool->stats().closes(CloseReason::Lifetime), 1u);
}

TEST_F(BorrowTest, LifetimeIsNeverEnforcedOnALentConnectionButOnItsReturn) {
  Settings settings = test_settings();
  settings.max_lifetime = 10min;
  auto pool = make_pool(settings);
  Lease lease = pool->borrow();
  clock->advance(1h);
  pool->maintain();
  EXPECT_FALSE(factory->state(1)->closed);
  pool->give_back(std::move(lease), ReturnState::Healthy);
  EXPECT_TRUE(factory->state(1)->closed);
  EXPECT_EQ(pool->stats().closes(CloseReason::Lifetime), 1u);
  EXPECT_EQ(pool->stats().open, 0u);
}

TEST_F(BorrowTest, ZeroLifetimeMeansForever) {
  auto pool = make_pool(test_settings());  // max_lifetime 0
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  clock->advance(24h * 365);
  pool->maintain();
  EXPECT_EQ(id_of(pool->borrow()), 1);
}

TEST_F(BorrowTest, LifetimesAreShortenedByUpToTwoAndAHalfPercentEach) {
  constexpr int kConnections = 40;
  Settings settings = test_settings(kConnections);
  settings.max_lifetime = 1000s;
  auto pool = make_pool(settings);
  {
    std::vector<Lease> leases;
    for (int i = 0; i < kConnections; ++i) leases.push_back(pool->borrow());
  }  // all idle now, all opened at the same instant
  ASSERT_EQ(pool->stats().idle, static_cast<std::size_t>(kConnections));

  clock->advance(975s - 1ms);  // just before the earliest possible expiry
  pool->maintain();
  EXPECT_EQ(pool->stats().closes(CloseReason::Lifetime), 0u);

  std::set<std::uint64_t> distinct_steps;
  std::uint64_t closed = 0;
  for (int step = 0; step < 25 * 4 + 1; ++step) {
    clock->advance(step == 0 ? 1ms : 250ms);
    pool->maintain();
    const std::uint64_t now_closed = pool->stats().closes(CloseReason::Lifetime);
    if (now_closed != closed) distinct_steps.insert(static_cast<std::uint64_t>(step));
    closed = now_closed;
  }
  // At 1000 s every one has expired, each at its own time within [975 s, 1000 s].
  EXPECT_EQ(closed, static_cast<std::uint64_t>(kConnections));
  EXPECT_GT(distinct_steps.size(), 1u);
}

TEST_F(BorrowTest, AFullPoolWithZeroAcquireTimeoutFailsAtOnce) {
  Settings settings = test_settings(2);
  settings.acquire_timeout = Duration::zero();
  auto pool = make_pool(settings);
  Lease a = pool->borrow();
  Lease b = pool->borrow();
  EXPECT_THROW(pool->borrow(), AcquireTimeout);
  EXPECT_EQ(factory->attempts.load(), 2);
  const Stats s = pool->stats();
  EXPECT_EQ(s.acquire_timeouts_total, 1u);
  EXPECT_EQ(s.waiting, 0u);
  EXPECT_EQ(s.open, 2u);
}

TEST_F(BorrowTest, AFailedConnectPropagatesTheFactorysExceptionAndFreesItsSlot) {
  auto pool = make_pool(test_settings(1));
  factory->fail = true;
  try {
    pool->borrow();
    FAIL() << "borrow should have thrown";
  } catch (const FakeConnectError& e) {
    EXPECT_STREQ(e.what(), "could not connect to fake server (attempt 1)");
  }
  Stats s = pool->stats();
  EXPECT_EQ(s.connect_errors_total, 1u);
  EXPECT_EQ(s.connects_total, 0u);
  EXPECT_EQ(s.connect_seconds.count, 1u);
  EXPECT_EQ(s.last_connect_error, "could not connect to fake server (attempt 1)");
  EXPECT_EQ(s.open + s.opening, 0u);
  const auto failed = events->named("connect_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].text, "could not connect to fake server (attempt 1)");
  EXPECT_TRUE(events->named("opened").empty());

  factory->fail = false;
  Lease lease = pool->borrow();  // the only slot is free again
  EXPECT_TRUE(lease);
}

TEST_F(BorrowTest, BrokenAndResetFailedConnectionsAreClosed) {
  auto pool = make_pool(test_settings());
  Lease a = pool->borrow();
  Lease b = pool->borrow();
  pool->give_back(std::move(a), ReturnState::Broken);
  pool->give_back(std::move(b), ReturnState::ResetFailed);
  EXPECT_TRUE(factory->state(1)->closed);
  EXPECT_TRUE(factory->state(2)->closed);
  const Stats s = pool->stats();
  EXPECT_EQ(s.closes(CloseReason::Broken), 1u);
  EXPECT_EQ(s.closes(CloseReason::ResetFailed), 1u);
  EXPECT_EQ(s.open, 0u);
  EXPECT_EQ(factory->live.load(), 0);
}

TEST_F(BorrowTest, AfterAConnectionFailureIdleConnectionsArePingedEvenInsideTheBypass) {
  auto pool = make_pool(test_settings());
  Lease a = pool->borrow();
  Lease b = pool->borrow();
  pool->give_back(std::move(a), ReturnState::Healthy);
  pool->note_connection_failure();
  EXPECT_EQ(events->named("connection_failure_noted").size(), 1u);
  pool->give_back(std::move(b), ReturnState::Healthy);  // returned after the failure

  Lease first = pool->borrow();  // 2, returned after: not checked
  EXPECT_EQ(id_of(first), 2);
  EXPECT_EQ(fake(first).state().pings.load(), 0);
  Lease second = pool->borrow();  // 1, idle across the failure: pinged
  EXPECT_EQ(id_of(second), 1);
  EXPECT_EQ(fake(second).state().pings.load(), 1);
  pool->give_back(std::move(second), ReturnState::Healthy);
  Lease third = pool->borrow();  // checked once is enough
  EXPECT_EQ(fake(third).state().pings.load(), 1);
}

TEST_F(BorrowTest, ABrokenReturnMarksEveryIdleConnectionForACheck) {
  auto pool = make_pool(test_settings());
  Lease a = pool->borrow();
  Lease b = pool->borrow();
  fake(a).state().ping_ok = false;  // the server dropped it meanwhile
  pool->give_back(std::move(a), ReturnState::Healthy);
  pool->give_back(std::move(b), ReturnState::Broken);
  Lease lease = pool->borrow();
  EXPECT_EQ(id_of(lease), 3);
  EXPECT_EQ(pool->stats().closes(CloseReason::ValidationFailed), 1u);
}

TEST_F(BorrowTest, AfterAConnectionFailureDeadAttrModeStillPings) {
  Settings settings = test_settings();
  settings.validation = Validation::DeadAttr;
  auto pool = make_pool(settings);
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  pool->note_connection_failure();
  Lease lease = pool->borrow();
  EXPECT_EQ(fake(lease).state().dead_checks.load(), 1);
  EXPECT_EQ(fake(lease).state().pings.load(), 1);
}

// MariaDB refuses a connect to a server that is down with HY000, never
// 08xxx: the failed connect itself says that the idle ones may be dead.
TEST_F(BorrowTest, AFailedConnectMarksEveryIdleConnectionForACheck) {
  auto pool = make_pool(test_settings());
  pool->give_back(pool->borrow(), ReturnState::Healthy);  // idle, within the bypass window
  factory->fail = true;
  EXPECT_THROW(pool->borrow({}, /*kind=*/1), FakeConnectError);  // another kind: a new connect
  factory->fail = false;
  Lease lease = pool->borrow();
  EXPECT_EQ(id_of(lease), 1);
  EXPECT_EQ(fake(lease).state().pings.load(), 1);
}

TEST_F(BorrowTest, ValidationNoneIgnoresConnectionFailures) {
  Settings settings = test_settings();
  settings.validation = Validation::None;
  auto pool = make_pool(settings);
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  pool->note_connection_failure();
  Lease lease = pool->borrow();
  EXPECT_EQ(fake(lease).state().dead_checks.load(), 0);
  EXPECT_EQ(fake(lease).state().pings.load(), 0);
}

TEST_F(BorrowTest, ALeaseDestroyedWithoutGiveBackReturnsHealthy) {
  auto pool = make_pool(test_settings());
  { Lease lease = pool->borrow(); }
  EXPECT_EQ(pool->stats().idle, 1u);
  EXPECT_EQ(pool->stats().in_use, 0u);
  EXPECT_FALSE(factory->state(1)->closed);
}

TEST_F(BorrowTest, MovingLeasesKeepsExactlyOneOwner) {
  auto pool = make_pool(test_settings());
  Lease a = pool->borrow();
  Lease b = pool->borrow();
  Lease moved(std::move(a));
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(id_of(moved), 1);
  moved = std::move(b);  // gives back connection 1
  EXPECT_EQ(id_of(moved), 2);
  EXPECT_EQ(pool->stats().idle, 1u);
  pool->give_back(Lease(), ReturnState::Broken);  // an empty lease: nothing happens
  EXPECT_EQ(pool->stats().closes(CloseReason::Broken), 0u);
}

TEST_F(BorrowTest, StatsCountBorrowsConnectsAndWaits) {
  auto pool = make_pool(test_settings());
  factory->set_before_open([this] { clock->advance(3ms); });  // a 3 ms connect
  Lease a = pool->borrow();
  Lease b = pool->borrow();
  pool->give_back(std::move(a), ReturnState::Healthy);
  Lease c = pool->borrow();  // reused: no wait at all

  const Stats s = pool->stats();
  EXPECT_EQ(s.open, 2u);
  EXPECT_EQ(s.idle, 0u);
  EXPECT_EQ(s.in_use, 2u);
  EXPECT_EQ(s.opening, 0u);
  EXPECT_EQ(s.waiting, 0u);
  EXPECT_EQ(s.max_size, 4u);
  EXPECT_EQ(s.borrows_total, 3u);
  EXPECT_EQ(s.connects_total, 2u);
  EXPECT_EQ(s.connect_errors_total, 0u);
  EXPECT_EQ(s.acquire_timeouts_total, 0u);
  EXPECT_EQ(s.leaks_total, 0u);
  EXPECT_TRUE(s.last_connect_error.empty());

  // Two 3 ms connects, in the (2.5 ms, 5 ms] bucket.
  EXPECT_EQ(s.connect_seconds.count, 2u);
  EXPECT_NEAR(s.connect_seconds.sum, 0.006, 1e-9);
  EXPECT_EQ(s.connect_seconds.counts[5], 2u);
  EXPECT_EQ(Histogram::kUpperBounds[5], 0.005);
  // Borrow waits: two 3 ms (they connected) and one zero.
  EXPECT_EQ(s.borrow_wait_seconds.count, 3u);
  EXPECT_EQ(s.borrow_wait_seconds.counts[0], 1u);
  EXPECT_EQ(s.borrow_wait_seconds.counts[5], 2u);
  EXPECT_EQ(s.borrow_wait_seconds.cumulative(4), 1u);
  EXPECT_EQ(s.borrow_wait_seconds.cumulative(Histogram::kBucketCount), 3u);
}

TEST_F(BorrowTest, SettingsOutOfRangeAreRejected) {
  Settings settings = test_settings();
  settings.max_size = 0;
  EXPECT_THROW(make_pool(settings), std::invalid_argument);
  settings = test_settings(2);
  settings.min_idle = 3;
  EXPECT_THROW(make_pool(settings), std::invalid_argument);
  settings = test_settings();
  settings.idle_timeout = -1s;
  EXPECT_THROW(make_pool(settings), std::invalid_argument);
  EXPECT_THROW(Pool("x", test_settings(), nullptr, clock), std::invalid_argument);
}

TEST(CloseReasonTest, NamesAreSnakeCase) {
  EXPECT_STREQ(to_string(CloseReason::IdleTimeout), "idle_timeout");
  EXPECT_STREQ(to_string(CloseReason::Lifetime), "lifetime");
  EXPECT_STREQ(to_string(CloseReason::ValidationFailed), "validation_failed");
  EXPECT_STREQ(to_string(CloseReason::Broken), "broken");
  EXPECT_STREQ(to_string(CloseReason::ResetFailed), "reset_failed");
  EXPECT_STREQ(to_string(CloseReason::KeepaliveFailed), "keepalive_failed");
  EXPECT_STREQ(to_string(CloseReason::Shutdown), "shutdown");
  EXPECT_STREQ(to_string(CloseReason::Replaced), "replaced");
}

TEST(HistogramTest, BucketsAreInclusiveUpperBounds) {
  Histogram h;
  h.observe(Duration::zero());
  h.observe(100us);  // exactly the first bound
  h.observe(101us);  // second bucket
  h.observe(1min);   // +Inf
  EXPECT_EQ(h.counts[0], 2u);
  EXPECT_EQ(h.counts[1], 1u);
  EXPECT_EQ(h.counts[Histogram::kBucketCount], 1u);
  EXPECT_EQ(h.count, 4u);
  EXPECT_NEAR(h.sum, 60.000201, 1e-9);
  EXPECT_EQ(h.cumulative(Histogram::kBucketCount - 1), 3u);
}

TEST(DescribeTest, DurationsReadNaturally) {
  EXPECT_EQ(describe(250ms), "250ms");
  EXPECT_EQ(describe(5s), "5s");
  EXPECT_EQ(describe(1500ms), "1.5s");
  EXPECT_EQ(describe(2min), "2m");
  EXPECT_EQ(describe(1h), "1h");
  EXPECT_EQ(describe(Duration::zero()), "0ms");
  EXPECT_EQ(describe(20us), "20us");
}

}  // namespace
}  // namespace odbcpool::pool::testing
