// Drill: one pool, one limit, whatever the call form and ODBC version. A C
// client holding one wide and one ANSI connection, in ODBC 3 and ODBC 2
// environments, must not open a third backend past PoolMaxSize=2; a third
// connect in either form gets HYT01 at the timeout, and the client's
// immediate ANSI retry of a wide connect (pyodbc's fallback) fails at once
// instead of waiting a second timeout or opening a backend.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "drill_support.h"

namespace drills {
namespace {

using Seconds = std::chrono::duration<double>;

struct Attempt {
  SQLRETURN rc;
  std::string sqlstate;
  double seconds;
};

template <class Connect>
Attempt timed(Connection& c, Connect&& connect) {
  const auto started = Clock::now();
  const SQLRETURN rc = connect();
  const double seconds = Seconds(Clock::now() - started).count();
  return {rc, c.last_diagnostics().empty() ? "" : c.last_diagnostics().front().sqlstate, seconds};
}

TEST(OneLimitDrill, WideAnsiOdbc2AndOdbc3ShareOneLimit) {
  const std::string app = app_name("drill_one_limit");
  const std::string cs = pooled_string(app, "PoolMaxSize=2;PoolAcquireTimeout=1s");
  Env odbc3;
  Env odbc2(SQL_OV_ODBC2);
  Connection wide(odbc3.get()), ansi(odbc2.get());
  ASSERT_TRUE(SQL_SUCCEEDED(wide.try_connect_wide(cs))) << describe(wide.last_diagnostics());
  ASSERT_TRUE(SQL_SUCCEEDED(ansi.try_connect(cs))) << describe(ansi.last_diagnostics());
  Admin admin;
  ASSERT_EQ(admin.backends(app).size(), 2u);

  for (Env* env : {&odbc3, &odbc2}) {
    // pyodbc's way: SQLDriverConnectW, then at once SQLDriverConnect on the
    // same handle.
    Connection third(env->get());
    const Attempt first = timed(third, [&] { return third.try_connect_wide(cs); });
    EXPECT_EQ(first.rc, SQL_ERROR);
    EXPECT_EQ(first.sqlstate, "HYT01") << describe(third.last_diagnostics());
    EXPECT_GE(first.seconds, 0.9) << "gave up before PoolAcquireTimeout";
    EXPECT_LE(first.seconds, 2.5) << "waited far past PoolAcquireTimeout";
    const Attempt retry = timed(third, [&] { return third.try_connect(cs); });
    EXPECT_EQ(retry.rc, SQL_ERROR);
    EXPECT_EQ(retry.sqlstate, "HYT01") << describe(third.last_diagnostics());
    EXPECT_LE(retry.seconds, 0.5) << "the retry waited a second timeout";
    std::cout << "[ drill    ] HYT01 after " << first.seconds << " s, the retry after "
              << retry.seconds << " s" << std::endl;
    EXPECT_EQ(admin.backends(app).size(), 2u) << "a connect opened a backend past the limit";
  }

  // An ANSI connect that fails and a wide one after it are two connects:
  // each waits its own timeout, and neither opens a backend.
  Connection fourth(odbc2.get());
  const Attempt first = timed(fourth, [&] { return fourth.try_connect(cs); });
  EXPECT_EQ(first.sqlstate, "HYT01") << describe(fourth.last_diagnostics());
  EXPECT_GE(first.seconds, 0.9);
  const Attempt second = timed(fourth, [&] { return fourth.try_connect_wide(cs); });
  EXPECT_EQ(second.sqlstate, "HYT01") << describe(fourth.last_diagnostics());
  EXPECT_GE(second.seconds, 0.9) << "a wide connect after an ANSI one is not pyodbc's retry";
  EXPECT_EQ(admin.backends(app).size(), 2u);
}

// A retry that comes later than at once is a connect of its own, with the
// whole timeout, and gets a connection returned meanwhile.
TEST(OneLimitDrill, ALaterRetryOnTheSameHandleIsAFreshConnect) {
  const std::string app = app_name("drill_one_limit_later");
  const std::string cs = pooled_string(app, "PoolMaxSize=1;PoolAcquireTimeout=1s");
  Env env;
  Connection held(env.get()), other(env.get());
  held.connect(cs);
  ASSERT_EQ(other.try_connect_wide(cs), SQL_ERROR);
  held.disconnect();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_TRUE(SQL_SUCCEEDED(other.try_connect(cs))) << describe(other.last_diagnostics());
}

// At the limit with only an ANSI connection idle, a wide borrower gets a
// fresh wide connection in its slot: psqlODBC switches a connection to
// Unicode for good, so the ANSI one is closed rather than handed out.
TEST(OneLimitDrill, AWideBorrowerReplacesAnIdleAnsiConnection) {
  const std::string app = app_name("drill_one_limit_switch");
  const std::string cs = pooled_string(app, "PoolMaxSize=1;PoolAcquireTimeout=5s");
  Env env;
  Connection c(env.get());
  ASSERT_TRUE(SQL_SUCCEEDED(c.try_connect(cs))) << describe(c.last_diagnostics());
  const long long ansi_pid = c.query_int("SELECT pg_backend_pid()");
  c.disconnect();
  Connection again(env.get());
  ASSERT_TRUE(SQL_SUCCEEDED(again.try_connect(cs)));
  EXPECT_EQ(again.query_int("SELECT pg_backend_pid()"), ansi_pid) << "ANSI reuses ANSI";
  again.disconnect();

  Connection wide(env.get());
  const Attempt attempt = timed(wide, [&] { return wide.try_connect_wide(cs); });
  ASSERT_TRUE(SQL_SUCCEEDED(attempt.rc)) << describe(wide.last_diagnostics());
  EXPECT_LE(attempt.seconds, 4.0) << "waited for a slot instead of taking the idle one's";
  const long long wide_pid = wide.query_int("SELECT pg_backend_pid()");
  EXPECT_NE(wide_pid, ansi_pid);
  Admin admin;
  std::vector<long long> backends;
  for (int i = 0; i < 100; ++i) {  // the closed backend leaves pg_stat_activity soon after
    backends = admin.backends(app);
    if (backends == std::vector<long long>{wide_pid}) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(backends, std::vector<long long>{wide_pid});
  wide.disconnect();
  Connection wide_again(env.get());
  ASSERT_TRUE(SQL_SUCCEEDED(wide_again.try_connect_wide(cs)));
  EXPECT_EQ(wide_again.query_int("SELECT pg_backend_pid()"), wide_pid) << "wide reuses wide";
}

}  // namespace
}  // namespace drills
