// Drill 8, clean exit: a program that connects through the pool and returns
// from main without freeing its handles (or without even disconnecting)
// must exit with its own status, promptly: the pool's background thread and
// its connections must not keep the process alive or crash it at exit.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>

#include "drill_support.h"

namespace drills {
namespace {

void run_helper(const std::string& mode) {
  const std::string app = app_name("drill_exit_" + mode);
  const ChildResult result =
      run_program({POOL_DRILL_EXIT_HELPER, mode, app}, std::chrono::seconds(30));
  EXPECT_TRUE(result.exited) << "the helper " << result.describe();
  EXPECT_EQ(result.status, 0) << "the helper " << result.describe();
  std::cout << "[ drill    ] " << mode << ": the helper " << result.describe() << std::endl;

  // Its backends end with it (the sockets close when the process does).
  Admin admin;
  EXPECT_TRUE(admin.wait_gone(app, std::chrono::seconds(10)))
      << "backends of the exited helper are still on the server";
}

TEST(CleanExitDrill, DisconnectedButHandlesNotFreed) {
  run_helper("disconnect");
}

TEST(CleanExitDrill, NeverDisconnected) {
  run_helper("keep-open");
}

TEST(CleanExitDrill, BackgroundThreadBusyAtExit) {
  run_helper("background");
}

TEST(CleanExitDrill, ExitFromAnotherThreadDuringAQuery) {
  run_helper("exit-thread");
}

// Idle pooled connections are closed properly when the process exits, not
// left for the server to find the socket gone: PostgreSQL counts a session
// whose client went away without saying goodbye in sessions_abandoned.
TEST(CleanExitDrill, IdleConnectionsAreClosedProperlyAtExit) {
  Admin admin;
  Connection& sql = admin.connection();
  if (sql.query_column("SELECT 1 FROM pg_database WHERE datname = 'odbcpool_exit_drill'").empty()) {
    sql.execute("CREATE DATABASE odbcpool_exit_drill");
  }
  const auto counters = [&] {
    sql.execute("SELECT pg_stat_clear_snapshot()");
    const auto row = sql.query_column(
        "SELECT sessions || ' ' || sessions_abandoned FROM pg_stat_database "
        "WHERE datname = 'odbcpool_exit_drill'");
    long long sessions = -1, abandoned = -1;
    if (!row.empty()) std::sscanf(row.front().c_str(), "%lld %lld", &sessions, &abandoned);
    return std::make_pair(sessions, abandoned);
  };
  const auto before = counters();
  ASSERT_GE(before.first, 0) << "no statistics for the drill's database";

  const std::string app = app_name("drill_exit_idle");
  const ChildResult result =
      run_program({POOL_DRILL_EXIT_HELPER, "idle-at-exit", app}, std::chrono::seconds(30));
  ASSERT_TRUE(result.exited && result.status == 0) << "the helper " << result.describe();
  ASSERT_TRUE(admin.wait_gone(app, std::chrono::seconds(10)));

  // The statistics of an ended session arrive shortly after it ends.
  auto after = counters();
  for (int i = 0; i < 50 && after.first < before.first + 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    after = counters();
  }
  EXPECT_GE(after.first, before.first + 3) << "the helper's three sessions were not counted";
  EXPECT_EQ(after.second, before.second)
      << after.second - before.second << " of the helper's sessions were abandoned at exit";
}

}  // namespace
}  // namespace drills
