// fork(): a child must never use or close the parent's connections. Simulated
// with abandon_after_fork(), and once for real through the core's
// pthread_atfork handler (process_lifecycle.h).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "pool_maintainer.h"
#include "pool_test_support.h"
#include "process_lifecycle.h"

namespace odbcpool::pool::testing {
namespace {

using ForkTest = PoolFixture;

TEST_F(ForkTest, AbandonAfterForkForgetsEveryConnectionWithoutClosingAny) {
  Settings settings = test_settings();
  settings.min_idle = 1;
  auto pool = make_pool(settings);
  Lease lent = pool->borrow();
  Lease broken = pool->borrow();
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  pool->maintain();  // min_idle is met by connection 3
  ASSERT_EQ(pool->stats().open, 3u);

  pool->abandon_after_fork();
  EXPECT_TRUE(factory->state(3)->abandoned);
  EXPECT_FALSE(factory->state(3)->closed);
  Stats s = pool->stats();
  EXPECT_EQ(s.open, 0u);
  EXPECT_EQ(s.idle, 0u);
  EXPECT_EQ(s.in_use, 0u);
  EXPECT_EQ(s.borrows_total, 0u);
  EXPECT_EQ(s.connects_total, 0u);

  // Leases from before the fork are abandoned when they come back, whatever
  // their state, and leave no trace in the counters.
  pool->give_back(std::move(lent), ReturnState::Healthy);
  pool->give_back(std::move(broken), ReturnState::Broken);
  EXPECT_TRUE(factory->state(1)->abandoned);
  EXPECT_TRUE(factory->state(2)->abandoned);
  EXPECT_EQ(factory->count_closed(), 0);
  s = pool->stats();
  EXPECT_EQ(s.open, 0u);
  EXPECT_EQ(s.closes(CloseReason::Broken), 0u);

  // The pool works as new.
  Lease fresh = pool->borrow();
  EXPECT_EQ(id_of(fresh), 4);
  EXPECT_EQ(pool->stats().connects_total, 1u);
  EXPECT_EQ(factory->live.load(), 1);
}

TEST_F(ForkTest, ALeaseDestroyedAfterAbandonIsAbandonedToo) {
  auto pool = make_pool(test_settings());
  {
    Lease lent = pool->borrow();
    pool->abandon_after_fork();
  }
  EXPECT_TRUE(factory->state(1)->abandoned);
  EXPECT_EQ(pool->stats().idle, 0u);
}

#if defined(__SANITIZE_THREAD__)
// The child starts the maintainer thread again, after a fork taken while
// the parent's ran; TSan would otherwise end such a child at once.
extern "C" const char* __tsan_default_options() {
  return "die_after_fork=0";
}
#endif

TEST(RealForkTest, AChildStartsWithEmptyPoolsAndNeverClosesTheParentsConnections) {
  install_process_lifecycle();  // the core's one fork handler drives the pool core's
  auto factory = std::make_shared<FakeFactory>();
  auto make = [&] { return std::make_shared<Pool>("fork", test_settings(), factory); };
  auto pool = PoolRegistry::instance().get_or_create("real fork test", make);
  Lease lent = pool->borrow();
  pool->give_back(pool->borrow(), ReturnState::Healthy);
  ASSERT_TRUE(Maintainer::instance().running());
  std::fflush(nullptr);

  const pid_t pid = fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    // The child reports through its exit status: one bit per broken promise.
    int failures = 0;
    const Stats s = pool->stats();
    if (s.open != 0 || s.idle != 0 || s.in_use != 0 || s.borrows_total != 0) failures |= 1;
    if (!factory->state(2)->abandoned || factory->state(2)->closed) failures |= 2;
    if (Maintainer::instance().running()) failures |= 4;
    pool->give_back(std::move(lent), ReturnState::Healthy);
    if (!factory->state(1)->abandoned || factory->state(1)->closed) failures |= 8;
    {
      Lease fresh = pool->borrow();  // works, and restarts the maintainer
      if (id_of(fresh) != 3) failures |= 16;
    }
    if (!Maintainer::instance().running()) failures |= 32;
    Maintainer::instance().stop();
    _exit(failures);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);

  // The parent's pool is untouched.
  EXPECT_FALSE(factory->state(1)->abandoned);
  EXPECT_FALSE(factory->state(2)->abandoned);
  const Stats s = pool->stats();
  EXPECT_EQ(s.open, 2u);
  EXPECT_EQ(s.idle, 1u);
  EXPECT_EQ(s.borrows_total, 2u);
  EXPECT_TRUE(Maintainer::instance().running());
  pool->give_back(std::move(lent), ReturnState::Healthy);
  EXPECT_EQ(pool->stats().idle, 2u);
}

}  // namespace
}  // namespace odbcpool::pool::testing
