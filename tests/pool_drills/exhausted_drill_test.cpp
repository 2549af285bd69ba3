// Drill 5, exhausted: with PoolMaxSize connections held, one more connect
// waits PoolAcquireTimeout and fails with HYT01 and a message that names the
// pool's size and the timeout; it opens no extra backend.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <regex>
#include <string>
#include <thread>

#include "drill_support.h"

namespace drills {
namespace {

using Seconds = std::chrono::duration<double>;

TEST(ExhaustedDrill, ThirdConnectTimesOutWithHYT01) {
  const std::string app = app_name("drill_exhausted");
  const std::string cs = pooled_string(app, "PoolMaxSize=2;PoolAcquireTimeout=1s");
  Env env;
  Connection a(env.get()), b(env.get()), c(env.get());
  a.connect(cs);
  b.connect(cs);
  const long long pid_a = a.query_int("SELECT pg_backend_pid()");

  const auto started = Clock::now();
  const SQLRETURN rc = c.try_connect(cs);
  const Seconds elapsed = Clock::now() - started;

  ASSERT_EQ(rc, SQL_ERROR) << describe(c.last_diagnostics());
  ASSERT_FALSE(c.last_diagnostics().empty());
  const DiagRecord& record = c.last_diagnostics().front();
  EXPECT_EQ(record.sqlstate, "HYT01") << describe(c.last_diagnostics());
  EXPECT_TRUE(std::regex_search(
      record.message,
      std::regex(R"((max(imum)?[ _]?size|PoolMaxSize)\D{0,12}\b2\b)", std::regex::icase)))
      << "the message does not name the pool size 2: " << record.message;
  EXPECT_TRUE(
      std::regex_search(record.message, std::regex(R"(\b(1(\.0+)? ?s(ec(ond)?s?)?|1000 ?ms)\b)")))
      << "the message does not name the timeout 1s: " << record.message;
  EXPECT_GE(elapsed.count(), 0.5) << "gave up before PoolAcquireTimeout";
  EXPECT_LE(elapsed.count(), 10.0) << "waited far past PoolAcquireTimeout";
  std::cout << "[ drill    ] HYT01 after " << elapsed.count() << " s: " << record.message
            << std::endl;

  Admin admin;
  EXPECT_EQ(admin.backends(app).size(), 2u) << "the timed-out connect opened a backend";

  // A returned connection is lent again at once.
  a.disconnect();
  const auto again = Clock::now();
  c.connect(cs);
  EXPECT_LE(Seconds(Clock::now() - again).count(), 5.0);
  EXPECT_EQ(c.query_int("SELECT pg_backend_pid()"), pid_a);
}

TEST(ExhaustedDrill, ZeroTimeoutFailsAtOnce) {
  const std::string app = app_name("drill_exhausted_zero");
  const std::string cs = pooled_string(app, "PoolMaxSize=1;PoolAcquireTimeout=0");
  Env env;
  Connection a(env.get()), b(env.get());
  a.connect(cs);
  const auto started = Clock::now();
  const SQLRETURN rc = b.try_connect(cs);
  const Seconds elapsed = Clock::now() - started;
  ASSERT_EQ(rc, SQL_ERROR);
  ASSERT_FALSE(b.last_diagnostics().empty());
  EXPECT_EQ(b.last_diagnostics().front().sqlstate, "HYT01") << describe(b.last_diagnostics());
  EXPECT_LE(elapsed.count(), 5.0);
}

// A connect waiting on a full pool gets the connection returned meanwhile.
TEST(ExhaustedDrill, WaiterGetsTheReturnedConnection) {
  const std::string app = app_name("drill_exhausted_wait");
  const std::string cs = pooled_string(app, "PoolMaxSize=1;PoolAcquireTimeout=30s");
  Env env;
  Connection a(env.get());
  a.connect(cs);
  const long long pid_a = a.query_int("SELECT pg_backend_pid()");

  auto waiter = std::async(std::launch::async, [&] {
    Connection w(env.get());
    const auto started = Clock::now();
    w.connect(cs);
    const Seconds waited = Clock::now() - started;
    const long long pid = w.query_int("SELECT pg_backend_pid()");
    w.disconnect();
    return std::make_pair(pid, waited.count());
  });
  ASSERT_EQ(waiter.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "the second connect did not wait for the pool's only connection";
  a.disconnect();
  ASSERT_EQ(waiter.wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "the waiter was not handed the returned connection";
  const auto [pid, waited] = waiter.get();
  EXPECT_EQ(pid, pid_a);
  EXPECT_LT(waited, 10.0);
}

}  // namespace
}  // namespace drills
