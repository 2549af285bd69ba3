// The host-wide slots of PoolHostMaxSize with real processes: a System V
// semaphore and a lock file in a private directory per test.
#include "host_slots.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "pool.h"
#include "pool_test_support.h"

namespace odbcpool::pool {
namespace {

using namespace std::chrono_literals;

class HostSlotsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/odbcpool-host-slots-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    identity_ = "test pool " + std::to_string(getpid()) + " " + std::to_string(++counter_);
  }
  void TearDown() override {
    HostSlots::remove_for_test(dir_, identity_);
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }

  std::shared_ptr<HostSlots> join(std::size_t limit) {
    return HostSlots::join(dir_, identity_, limit, "test pool").slots;
  }

  // Waits until `n` threads of any process are blocked on the slots.
  static void wait_for_waiters(const HostSlots& slots, std::size_t n) {
    for (int i = 0; i < 5000 && slots.waiting_on_host() < n; ++i) std::this_thread::sleep_for(1ms);
    ASSERT_EQ(slots.waiting_on_host(), n);
  }

  std::string dir_;
  std::string identity_;
  static inline unsigned counter_ = 0;
};

// A child that runs `body` and exits with its result; the parent gets its pid.
template <typename Body>
pid_t spawn(Body body) {
  const pid_t pid = fork();
  if (pid == 0) _exit(body());
  return pid;
}

int exit_status(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(HostSlotsTest, TakesUpToTheLimitAndGivesBack) {
  auto slots = join(2);
  EXPECT_EQ(slots->limit(), 2u);
  EXPECT_TRUE(slots->try_take());
  EXPECT_TRUE(slots->try_take());
  EXPECT_FALSE(slots->try_take());
  EXPECT_EQ(slots->taken_on_host(), 2u);
  EXPECT_EQ(slots->taken_here(), 2u);
  slots->give_back();
  EXPECT_EQ(slots->taken_on_host(), 1u);
  EXPECT_TRUE(slots->try_take());
  slots->give_back();
  slots->give_back();
  EXPECT_EQ(slots->taken_on_host(), 0u);
}

TEST_F(HostSlotsTest, JoiningAgainInOneProcessGivesTheSameSlots) {
  auto first = join(3);
  auto second = join(3);
  EXPECT_EQ(first.get(), second.get());
}

TEST_F(HostSlotsTest, TakingTimesOutWhenNoneIsFree) {
  auto slots = join(1);
  ASSERT_TRUE(slots->try_take());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(slots->take(50ms));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);  // it did wait, not fail at once
  EXPECT_EQ(slots->taken_on_host(), 1u);
  slots->give_back();
}

TEST_F(HostSlotsTest, AKilledHoldersSlotsComeBackAndItsPidIsListed) {
  auto slots = join(3);
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = spawn([&] {
    if (!slots->try_take() || !slots->try_take()) return 1;
    const char c = 'x';
    if (write(ready[1], &c, 1) != 1) return 2;
    pause();
    return 0;
  });
  ASSERT_GT(child, 0);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  EXPECT_EQ(slots->taken_on_host(), 2u);
  EXPECT_EQ(slots->taken_here(), 0u);
  auto usage = read_host_slot_usage(dir_);
  ASSERT_EQ(usage.size(), 1u);
  EXPECT_EQ(usage[0].error, "");
  EXPECT_EQ(usage[0].description, "test pool");
  EXPECT_EQ(usage[0].limit, 3u);
  EXPECT_EQ(usage[0].taken, 2u);
  EXPECT_EQ(usage[0].holders, (std::vector<pid_t>{child, child}));

  kill(child, SIGKILL);
  EXPECT_EQ(exit_status(child), 128 + SIGKILL);
  EXPECT_EQ(slots->taken_on_host(), 0u);
  EXPECT_TRUE(read_host_slot_usage(dir_)[0].holders.empty());
  close(ready[0]);
  close(ready[1]);
}

TEST_F(HostSlotsTest, WaitersAreServedInTheOrderTheyCame) {
  auto slots = join(1);
  ASSERT_TRUE(slots->try_take());
  int order[2];
  ASSERT_EQ(pipe(order), 0);
  std::vector<pid_t> children;
  for (char who = '1'; who <= '3'; ++who) {
    children.push_back(spawn([&, who] {
      if (!slots->take(20s)) return 1;
      if (write(order[1], &who, 1) != 1) return 2;
      std::this_thread::sleep_for(10ms);
      slots->give_back();
      return 0;
    }));
    wait_for_waiters(*slots, children.size());
  }
  slots->give_back();
  std::string served;
  for (int i = 0; i < 3; ++i) {
    char c = 0;
    ASSERT_EQ(read(order[0], &c, 1), 1);
    served += c;
  }
  EXPECT_EQ(served, "123");
  for (pid_t child : children) EXPECT_EQ(exit_status(child), 0);
  EXPECT_EQ(slots->taken_on_host(), 0u);
  close(order[0]);
  close(order[1]);
}

TEST_F(HostSlotsTest, AChildAfterForkHoldsNoneOfItsParentsSlots) {
  auto slots = join(2);
  ASSERT_TRUE(slots->try_take());
  const pid_t child = spawn([&] {
    if (slots->taken_here() != 0) return 1;
    slots->give_back();  // not the child's to give: nothing happens
    if (slots->taken_on_host() != 1) return 2;
    return slots->try_take() ? 0 : 3;  // and exiting gives its own back
  });
  EXPECT_EQ(exit_status(child), 0);
  EXPECT_EQ(slots->taken_on_host(), 1u);
  EXPECT_EQ(slots->taken_here(), 1u);
  slots->give_back();
  EXPECT_EQ(slots->taken_on_host(), 0u);
}

TEST_F(HostSlotsTest, AnotherLimitAppliesOnlyWhileNobodyHoldsASlot) {
  auto slots = join(2);
  ASSERT_TRUE(slots->try_take());
  HostSlots::Joined busy = HostSlots::join(dir_, identity_, 4, "test pool");
  EXPECT_EQ(busy.other_limit, 2u);
  EXPECT_EQ(busy.changed_from, 0u);
  EXPECT_EQ(slots->limit(), 2u);
  slots->give_back();
  HostSlots::Joined idle = HostSlots::join(dir_, identity_, 4, "test pool");
  EXPECT_EQ(idle.other_limit, 0u);
  EXPECT_EQ(idle.changed_from, 2u);
  EXPECT_EQ(slots->limit(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(slots->try_take());
  EXPECT_FALSE(slots->try_take());
  for (int i = 0; i < 4; ++i) slots->give_back();
}

TEST_F(HostSlotsTest, AMissingDirectoryIsAClearError) {
  try {
    HostSlots::join(dir_ + "/missing", identity_, 2, "test pool");
    FAIL() << "joined slots in a missing directory";
  } catch (const HostSlotsError& e) {
    EXPECT_NE(std::string(e.what()).find(dir_ + "/missing"), std::string::npos) << e.what();
  }
}

// ---- The pool under a host limit

using testing::FakeFactory;

TEST_F(HostSlotsTest, APoolTimesOutNamingTheHostLimit) {
  auto slots = join(1);
  auto factory = std::make_shared<FakeFactory>();
  Settings settings;
  settings.max_size = 5;
  settings.acquire_timeout = 50ms;
  Pool pool("p", settings, factory, system_clock(), no_pool_events(), slots);
  Lease held = pool.borrow();
  EXPECT_EQ(slots->taken_on_host(), 1u);
  try {
    Lease second = pool.borrow();
    FAIL() << "borrowed past the host limit";
  } catch (const AcquireTimeout& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("PoolHostMaxSize=1 is reached (1 taken on this host, 1 by this process)"),
              std::string::npos)
        << what;
  }
  pool.give_back(std::move(held), ReturnState::Healthy);
  Lease again = pool.borrow();  // the idle one, no second slot needed
  EXPECT_EQ(factory->opened(), 1);
  EXPECT_EQ(pool.stats().host_connections, 1u);
  EXPECT_EQ(pool.stats().host_max_size, 1u);
  pool.give_back(std::move(again), ReturnState::Broken);
  EXPECT_EQ(slots->taken_on_host(), 0u);  // closing gave the slot back
}

TEST_F(HostSlotsTest, ABorrowerWaitingForTheHostTakesAConnectionOfOursThatCameBack) {
  auto slots = join(1);
  auto factory = std::make_shared<FakeFactory>();
  Settings settings;
  settings.max_size = 5;
  settings.acquire_timeout = 10s;
  Pool pool("p", settings, factory, system_clock(), no_pool_events(), slots);
  Lease held = pool.borrow();
  std::thread second([&] {
    Lease lease = pool.borrow();
    pool.give_back(std::move(lease), ReturnState::Healthy);
  });
  for (int i = 0; i < 5000 && pool.stats().opening == 0; ++i) std::this_thread::sleep_for(1ms);
  pool.give_back(std::move(held), ReturnState::Healthy);
  second.join();
  EXPECT_EQ(factory->opened(), 1);
  EXPECT_EQ(slots->taken_on_host(), 1u);
}

TEST_F(HostSlotsTest, AnIdleConnectionIsGivenUpForAnotherProcessThatWaits) {
  auto slots = join(1);
  auto factory = std::make_shared<FakeFactory>();
  auto clock = std::make_shared<testing::ManualClock>();
  Settings settings;
  settings.max_size = 5;
  Pool pool("p", settings, factory, clock, no_pool_events(), slots);
  pool.give_back(pool.borrow(), ReturnState::Healthy);
  ASSERT_EQ(pool.stats().idle, 1u);
  const pid_t waiter = spawn([&] { return slots->take(20s) ? 0 : 1; });
  wait_for_waiters(*slots, 1);
  pool.maintain();  // it has not had its turn yet
  EXPECT_EQ(pool.stats().idle, 1u);
  clock->advance(kHostShareQuantum);
  pool.maintain();
  EXPECT_EQ(exit_status(waiter), 0);
  const Stats s = pool.stats();
  EXPECT_EQ(s.idle, 0u);
  EXPECT_EQ(s.closes(CloseReason::HostDemand), 1u);
}

TEST_F(HostSlotsTest, AConnectionGivenBackAfterItsTurnIsClosedForAnotherProcessThatWaits) {
  auto slots = join(1);
  auto factory = std::make_shared<FakeFactory>();
  auto clock = std::make_shared<testing::ManualClock>();
  Settings settings;
  settings.max_size = 5;
  Pool pool("p", settings, factory, clock, no_pool_events(), slots);
  Lease held = pool.borrow();
  const pid_t waiter = spawn([&] { return slots->take(20s) ? 0 : 1; });
  wait_for_waiters(*slots, 1);
  // Young: kept, and lent again without a login.
  pool.give_back(std::move(held), ReturnState::Healthy);
  EXPECT_EQ(pool.stats().idle, 1u);
  held = pool.borrow();
  EXPECT_EQ(factory->opened(), 1);
  clock->advance(kHostShareQuantum);
  pool.give_back(std::move(held), ReturnState::Healthy);
  EXPECT_EQ(exit_status(waiter), 0);
  EXPECT_EQ(pool.stats().closes(CloseReason::HostDemand), 1u);
  EXPECT_EQ(pool.stats().idle, 0u);
}

}  // namespace
}  // namespace odbcpool::pool
