// Borrowers waiting for a full pool: their order, their timeouts, and what
// they are handed while other borrowers are stuck in slow connects.
#include <future>

#include "pool_test_support.h"

namespace odbcpool::pool::testing {
namespace {

using WaitTest = PoolFixture;

// Starts a borrow on another thread and returns once it is queued.
std::future<Lease> queued_borrow(Pool& pool, std::size_t waiting_before) {
  auto result = std::async(std::launch::async, [&pool] { return pool.borrow(); });
  EXPECT_TRUE(eventually([&] { return pool.stats().waiting == waiting_before + 1; }));
  return result;
}

TEST_F(WaitTest, WaitersAreServedInArrivalOrder) {
  auto pool = make_pool(test_settings(1));
  Lease held = pool->borrow();

  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&, i] {
      Lease lease = pool->borrow();
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

  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(factory->opened(), 1);
  EXPECT_EQ(pool->stats().borrows_total, 6u);
}

TEST_F(WaitTest, ANewcomerDoesNotOvertakeAWaiter) {
  auto pool = make_pool(test_settings(1));
  Lease held = pool->borrow();
  auto waiter = queued_borrow(*pool, 0);
  // Handed straight to the waiter, never on the idle stack for the newcomer.
  pool->give_back(std::move(held), ReturnState::Healthy);
  EXPECT_EQ(pool->stats().idle, 0u);
  Lease got = waiter.get();
  EXPECT_EQ(id_of(got), 1);
}

TEST_F(WaitTest, AcquireTimeoutNamesThePoolItsStateAndTheLastConnectError) {
  Settings settings = test_settings(2);
  settings.acquire_timeout = 5s;
  auto pool = make_pool(settings, "orders (bob)");
  factory->fail = true;
  EXPECT_THROW(pool->borrow(), FakeConnectError);
  factory->fail = false;
  Lease a = pool->borrow();
  Lease b = pool->borrow();

  auto first = queued_borrow(*pool, 0);
  auto second = queued_borrow(*pool, 1);
  clock->advance(5s);
  for (auto* f : {&first, &second}) {
    try {
      f->get();
      ADD_FAILURE() << "borrow should have timed out";
    } catch (const AcquireTimeout& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("'orders (bob)'"), std::string::npos) << what;
      EXPECT_NE(what.find("within 5s"), std::string::npos) << what;
      EXPECT_NE(what.find("max size 2"), std::string::npos) << what;
      EXPECT_NE(what.find("in use 2"), std::string::npos) << what;
      EXPECT_NE(what.find("idle 0"), std::string::npos) << what;
      EXPECT_NE(what.find("other waiters "), std::string::npos) << what;
      EXPECT_NE(what.find("last connect error: could not connect to fake server (attempt 1)"),
                std::string::npos)
          << what;
      EXPECT_EQ(e.pool_name(), "orders (bob)");
      EXPECT_EQ(e.max_size(), 2u);
      EXPECT_EQ(e.in_use(), 2u);
      EXPECT_EQ(e.idle(), 0u);
      EXPECT_LE(e.waiting(), 1u);
      EXPECT_EQ(e.timeout(), 5s);
    }
  }
  const Stats s = pool->stats();
  EXPECT_EQ(s.acquire_timeouts_total, 2u);
  EXPECT_EQ(s.waiting, 0u);
  EXPECT_EQ(factory->attempts.load(), 3);
  // Each timeout is reported, with what its borrower was thrown: the rate
  // limit is the observer's.
  const auto timeouts = events->timeouts();
  ASSERT_EQ(timeouts.size(), 2u);
  for (const AcquireTimeout& e : timeouts) {
    EXPECT_EQ(e.pool_name(), "orders (bob)");
    EXPECT_EQ(e.in_use(), 2u);
    EXPECT_EQ(e.timeout(), 5s);
    EXPECT_NE(std::string(e.what()).find("last connect error: could not connect"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(WaitTest, ABorrowThatWaitedASecondIsReportedSlow) {
  auto pool = make_pool(test_settings(1));
  Lease held = pool->borrow();
  auto waiter = queued_borrow(*pool, 0);
  clock->advance(999ms);
  pool->give_back(std::move(held), ReturnState::Healthy);
  Lease got = waiter.get();
  EXPECT_TRUE(events->named("slow_borrow").empty());
  auto second = queued_borrow(*pool, 0);
  clock->advance(1500ms);
  pool->give_back(std::move(got), ReturnState::Healthy);
  Lease last = second.get();
  const auto slow = events->named("slow_borrow");
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_EQ(slow[0].duration, 1500ms);
}

TEST_F(WaitTest, AcquireTimeoutWithTheRealClock) {
  Settings settings = test_settings(1);
  settings.acquire_timeout = 20ms;
  Pool pool("real", settings, factory);
  Lease held = pool.borrow();
  try {
    pool.borrow();
    FAIL() << "borrow should have timed out";
  } catch (const AcquireTimeout& e) {
    EXPECT_NE(std::string(e.what()).find("within 20ms"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("last connect error"), std::string::npos) << e.what();
  }
}

TEST_F(WaitTest, AReturnedConnectionReachesAWaiterWhileAnotherBorrowerIsStuckConnecting) {
  auto pool = make_pool(test_settings(2));
  Lease held = pool->borrow();

  Gate connect_may_finish;
  std::atomic<bool> connecting{false};
  factory->set_before_open([&] {
    connecting = true;
    connect_may_finish.wait();
  });
  auto slow = std::async(std::launch::async, [&] { return pool->borrow(); });
  ASSERT_TRUE(eventually([&] { return connecting.load(); }));
  EXPECT_EQ(pool->stats().opening, 1u);

  auto waiter = queued_borrow(*pool, 0);  // the pool is full: one open, one opening
  pool->give_back(std::move(held), ReturnState::Healthy);
  Lease got = waiter.get();  // served while the connect is still blocked
  EXPECT_EQ(id_of(got), 1);
  EXPECT_FALSE(slow.wait_for(0s) == std::future_status::ready);

  connect_may_finish.open();
  Lease fresh = slow.get();
  EXPECT_EQ(id_of(fresh), 2);
}

TEST_F(WaitTest, AFailedConnectHandsItsSlotToAWaiterWhoTriesItself) {
  auto pool = make_pool(test_settings(1));
  Gate connect_may_finish;
  std::atomic<int> entered{0};
  factory->set_before_open([&] {
    if (++entered == 1) connect_may_finish.wait();
  });
  factory->fail = true;
  auto failing = std::async(std::launch::async, [&] { return pool->borrow(); });
  ASSERT_TRUE(eventually([&] { return entered.load() == 1; }));
  auto waiter = queued_borrow(*pool, 0);

  connect_may_finish.open();
  EXPECT_THROW(failing.get(), FakeConnectError);
  // The waiter was granted the freed slot and connected itself (and failed
  // too, promptly, with the target's own error rather than a timeout).
  EXPECT_THROW(waiter.get(), FakeConnectError);
  EXPECT_EQ(factory->attempts.load(), 2);

  factory->fail = false;
  auto next_waiter_holder = pool->borrow();
  EXPECT_TRUE(next_waiter_holder);
}

TEST_F(WaitTest, AFailedConnectLetsTheWaiterSucceed) {
  auto pool = make_pool(test_settings(1));
  Gate connect_may_finish;
  std::atomic<int> entered{0};
  factory->set_before_open([&] {
    if (++entered == 1) {
      connect_may_finish.wait();
      throw FakeConnectError("first connect fails");
    }
  });
  auto failing = std::async(std::launch::async, [&] { return pool->borrow(); });
  ASSERT_TRUE(eventually([&] { return entered.load() == 1; }));
  auto waiter = queued_borrow(*pool, 0);
  connect_may_finish.open();
  EXPECT_THROW(failing.get(), FakeConnectError);
  Lease got = waiter.get();
  EXPECT_EQ(id_of(got), 1);
  EXPECT_EQ(pool->stats().connect_errors_total, 1u);
}

TEST_F(WaitTest, ABrokenReturnGivesTheWaiterANewConnection) {
  auto pool = make_pool(test_settings(1));
  Lease held = pool->borrow();
  auto waiter = queued_borrow(*pool, 0);
  pool->give_back(std::move(held), ReturnState::Broken);
  Lease got = waiter.get();
  EXPECT_EQ(id_of(got), 2);
  EXPECT_TRUE(factory->state(1)->closed);
}

TEST_F(WaitTest, AWaiterHandedAConnectionThatFailsItsCheckOpensANewOne) {
  Settings settings = test_settings(1);
  settings.validation_bypass = Duration::zero();  // check everything
  auto pool = make_pool(settings);
  Lease held = pool->borrow();
  fake(held).state().ping_ok = false;
  auto waiter = queued_borrow(*pool, 0);
  pool->give_back(std::move(held), ReturnState::Healthy);
  Lease got = waiter.get();
  EXPECT_EQ(id_of(got), 2);
  EXPECT_EQ(pool->stats().closes(CloseReason::ValidationFailed), 1u);
}

TEST_F(WaitTest, ATimedOutWaiterLeavesTheOthersInOrder) {
  Settings settings = test_settings(1);
  settings.acquire_timeout = 10s;
  auto pool = make_pool(settings);
  Lease held = pool->borrow();
  auto first = queued_borrow(*pool, 0);
  clock->advance(6s);
  auto second = queued_borrow(*pool, 1);
  clock->advance(4s);  // the first one's deadline, not the second's
  EXPECT_THROW(first.get(), AcquireTimeout);
  EXPECT_EQ(pool->stats().waiting, 1u);
  pool->give_back(std::move(held), ReturnState::Healthy);
  Lease got = second.get();
  EXPECT_EQ(id_of(got), 1);
}

}  // namespace
}  // namespace odbcpool::pool::testing
