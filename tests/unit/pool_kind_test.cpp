// Connections of several kinds (the call forms and ODBC versions of the
// ODBC layer) in one pool: one max_size for all of them, a borrow gets only
// its own kind, and a full pool of idle connections of another kind makes
// room by closing one. Also the borrower's own timeout.
#include <future>

#include "pool_test_support.h"

namespace odbcpool::pool::testing {
namespace {

using KindTest = PoolFixture;

constexpr Kind kAnsi = 6;  // any two values: the pool does not look inside
constexpr Kind kWide = 7;

Kind kind_of(const Lease& lease) {
  return fake(lease).state().kind;
}

std::future<Lease> queued_borrow(Pool& pool, Kind kind, std::size_t waiting_before) {
  auto result = std::async(std::launch::async, [&pool, kind] { return pool.borrow({}, kind); });
  EXPECT_TRUE(eventually([&] { return pool.stats().waiting == waiting_before + 1; }));
  return result;
}

TEST_F(KindTest, ABorrowGetsTheMostRecentIdleConnectionOfItsOwnKind) {
  auto pool = make_pool(test_settings(4));
  Lease ansi1 = pool->borrow({}, kAnsi);
  Lease wide = pool->borrow({}, kWide);
  Lease ansi2 = pool->borrow({}, kAnsi);
  EXPECT_EQ(kind_of(ansi1), kAnsi);
  EXPECT_EQ(kind_of(wide), kWide);
  pool->give_back(std::move(ansi1), ReturnState::Healthy);
  pool->give_back(std::move(ansi2), ReturnState::Healthy);
  pool->give_back(std::move(wide), ReturnState::Healthy);

  Lease again = pool->borrow({}, kAnsi);
  EXPECT_EQ(id_of(again), 3);  // returned last of the ANSI ones, though the wide one came after
  Lease wide_again = pool->borrow({}, kWide);
  EXPECT_EQ(id_of(wide_again), 2);
  EXPECT_EQ(factory->opened(), 3);
  pool->give_back(std::move(again), ReturnState::Healthy);
  pool->give_back(std::move(wide_again), ReturnState::Healthy);
}

TEST_F(KindTest, EveryKindCountsTowardTheOneLimit) {
  Settings settings = test_settings(2);
  settings.acquire_timeout = 1s;
  auto pool = make_pool(settings);
  Lease wide = pool->borrow({}, kWide);
  Lease ansi = pool->borrow({}, kAnsi);
  auto third = queued_borrow(*pool, kAnsi, 0);
  clock->advance(1s);
  EXPECT_THROW(third.get(), AcquireTimeout);
  EXPECT_EQ(factory->max_live.load(), 2);
  EXPECT_EQ(pool->stats().acquire_timeouts_total, 1u);
  pool->give_back(std::move(wide), ReturnState::Healthy);
  pool->give_back(std::move(ansi), ReturnState::Healthy);
}

TEST_F(KindTest, AtTheLimitTheConnectionIdleLongestOfAnotherKindMakesRoom) {
  auto pool = make_pool(test_settings(2));
  {
    Lease a = pool->borrow({}, kAnsi);
    Lease b = pool->borrow({}, kAnsi);
    pool->give_back(std::move(a), ReturnState::Healthy);  // idle longest
    clock->advance(1ms);
    pool->give_back(std::move(b), ReturnState::Healthy);
  }
  Lease wide = pool->borrow({}, kWide);
  EXPECT_EQ(kind_of(wide), kWide);
  EXPECT_EQ(id_of(wide), 3);
  EXPECT_TRUE(factory->state(1)->closed);
  EXPECT_FALSE(factory->state(2)->closed);
  const Stats s = pool->stats();
  EXPECT_EQ(s.closes(CloseReason::Replaced), 1u);
  const auto closed = events->named("closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].text, "replaced");
  EXPECT_EQ(closed[0].duration, 1ms);  // opened at the start, closed after 1ms
  EXPECT_EQ(s.open, 2u);
  EXPECT_EQ(s.opening, 0u);
  EXPECT_EQ(factory->max_live.load(), 2);
  pool->give_back(std::move(wide), ReturnState::Healthy);
}

TEST_F(KindTest, AFailedConnectInAReplacedSlotFreesTheSlot) {
  auto pool = make_pool(test_settings(1));
  pool->give_back(pool->borrow({}, kAnsi), ReturnState::Healthy);
  factory->fail = true;
  EXPECT_THROW(pool->borrow({}, kWide), FakeConnectError);
  factory->fail = false;
  const Stats s = pool->stats();
  EXPECT_EQ(s.open + s.opening, 0u);
  Lease ansi = pool->borrow({}, kAnsi);  // the slot is free again
  EXPECT_EQ(kind_of(ansi), kAnsi);
  pool->give_back(std::move(ansi), ReturnState::Healthy);
}

TEST_F(KindTest, AWaiterGivenAConnectionOfAnotherKindOpensItsOwnInItsSlot) {
  auto pool = make_pool(test_settings(1));
  Lease ansi = pool->borrow({}, kAnsi);
  auto waiter = queued_borrow(*pool, kWide, 0);
  pool->give_back(std::move(ansi), ReturnState::Healthy);
  Lease wide = waiter.get();
  EXPECT_EQ(kind_of(wide), kWide);
  EXPECT_TRUE(factory->state(1)->closed);
  EXPECT_EQ(pool->stats().closes(CloseReason::Replaced), 1u);
  EXPECT_EQ(factory->max_live.load(), 1);
  pool->give_back(std::move(wide), ReturnState::Healthy);
}

TEST_F(KindTest, WaitersOfEveryKindAreServedInArrivalOrder) {
  auto pool = make_pool(test_settings(1));
  Lease held = pool->borrow({}, kAnsi);
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Lease lease = pool->borrow({}, i % 2 == 0 ? kWide : kAnsi);
      {
        std::lock_guard<std::mutex> lock(order_mutex);
        order.push_back(i);
      }
      pool->give_back(std::move(lease), ReturnState::Healthy);
    });
    ASSERT_TRUE(
        eventually([&] { return pool->stats().waiting == static_cast<std::size_t>(i + 1); }));
  }
  pool->give_back(std::move(held), ReturnState::Healthy);
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(factory->max_live.load(), 1);
}

TEST_F(KindTest, RefillOpensTheKindBorrowedLast) {
  Settings settings = test_settings(4);
  settings.min_idle = 2;
  auto pool = make_pool(settings);
  pool->give_back(pool->borrow({}, kWide), ReturnState::Healthy);
  pool->maintain();
  EXPECT_EQ(pool->stats().idle, 2u);
  EXPECT_EQ(factory->state(2)->kind, kWide);
}

TEST_F(KindTest, ABorrowersOwnTimeoutIsUsedWhenShorter) {
  Settings settings = test_settings(1);
  settings.acquire_timeout = 30s;
  auto pool = make_pool(settings);
  Lease held = pool->borrow();
  try {
    pool->borrow({}, 0, Duration::zero());
    ADD_FAILURE() << "borrow should have timed out at once";
  } catch (const AcquireTimeout& e) {
    EXPECT_EQ(e.timeout(), Duration::zero());
    EXPECT_NE(std::string(e.what()).find("within 0"), std::string::npos) << e.what();
  }
  pool->give_back(std::move(held), ReturnState::Healthy);
}

TEST_F(KindTest, AConnectIsGivenWhatIsLeftOfTheTimeout) {
  Settings settings = test_settings(1);
  settings.acquire_timeout = 30s;
  auto pool = make_pool(settings);
  pool->give_back(pool->borrow({}, 0, 2s), ReturnState::Healthy);
  EXPECT_EQ(factory->last_budget.load(), Duration(2s).count());
  pool->give_back(pool->borrow({}, 1), ReturnState::Healthy);  // replaces the kind-0 one
  EXPECT_EQ(factory->last_budget.load(), Duration(30s).count());
}

}  // namespace
}  // namespace odbcpool::pool::testing
