// Drill 8, clean exit: a program that connects through the pool and returns
// from main without freeing its handles (or without even disconnecting)
// must exit with its own status, promptly: the pool's background thread and
// its connections must not keep the process alive or crash it at exit.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "drill_support.h"

namespace drills {
namespace {

void run_helper(const std::string& mode) {
  const std::string app = app_name("drill_exit_" + mode);
  const ChildResult result =
      run_program({POOL_DRILL_EXIT_HELPER, mode, app}, std::chrono::seconds(30));
  EXPECT_TRUE(result.exited) << "the helper " << result.describe();
  EXPECT_EQ(result.status, 0) << "the helper " << result.describe();
  EXPECT_LT(result.elapsed.count(), 10.0) << "the helper " << result.describe();
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

}  // namespace
}  // namespace drills
