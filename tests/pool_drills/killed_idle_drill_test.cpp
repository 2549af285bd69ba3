// Drill 2, killed while idle: every idle connection of a pool has its
// backend terminated on the server (pg_terminate_backend). The application
// must not notice: validation finds the dead connections on borrow and the
// pool replaces them. Connections returned less than PoolValidationBypass
// (500 ms by default) ago are lent unchecked, so the drill runs once with
// the bypass off and the kill seen at once, and once with the default bypass
// and a pause of 600 ms after the kill.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "drill_support.h"

namespace drills {
namespace {

constexpr int kConnections = 4;

void run_killed_while_idle(const std::string& app, const std::string& settings,
                           std::chrono::milliseconds pause_after_kill) {
  const std::string cs = pooled_string(app, "PoolMaxSize=4;" + settings);
  Env env;
  Admin admin;

  // Four connections open at once, so four backends; then all returned.
  std::set<long long> killed;
  {
    std::vector<std::unique_ptr<Connection>> held;
    for (int i = 0; i < kConnections; ++i) {
      held.push_back(std::make_unique<Connection>(env.get()));
      held.back()->connect(cs);
      killed.insert(held.back()->query_int("SELECT pg_backend_pid()"));
    }
    for (auto& c : held) c->disconnect();
  }
  ASSERT_EQ(killed.size(), static_cast<std::size_t>(kConnections));
  const auto before = admin.backends(app);
  ASSERT_EQ(std::set<long long>(before.begin(), before.end()), killed)
      << "the pool should hold exactly the four returned connections idle";

  ASSERT_EQ(admin.terminate(app), kConnections);
  if (pause_after_kill.count() > 0) std::this_thread::sleep_for(pause_after_kill);

  // One connection at a time, then four at once: no error may reach the
  // application and no terminated backend may be lent again.
  std::set<long long> fresh;
  auto use = [&](Connection& c, int round) {
    const SQLRETURN rc = c.try_connect(cs);
    ASSERT_TRUE(SQL_SUCCEEDED(rc)) << "round " << round << ": SQLDriverConnect returned " << rc
                                   << ": " << describe(c.last_diagnostics());
    for (int q = 0; q < 3; ++q) {
      long long pid = 0;
      try {
        pid = c.query_int("SELECT pg_backend_pid()");
      } catch (const DrillError& e) {
        FAIL() << "round " << round << ", query " << q << ": " << e.what();
      }
      ASSERT_EQ(killed.count(pid), 0u)
          << "round " << round << ": the pool lent the terminated backend " << pid;
      fresh.insert(pid);
    }
  };
  for (int round = 0; round < 20; ++round) {
    Connection c(env.get());
    use(c, round);
    if (::testing::Test::HasFatalFailure()) return;
    ASSERT_TRUE(SQL_SUCCEEDED(c.try_disconnect())) << describe(c.last_diagnostics());
  }
  for (int round = 20; round < 25; ++round) {
    std::vector<std::unique_ptr<Connection>> held;
    for (int i = 0; i < kConnections; ++i) {
      held.push_back(std::make_unique<Connection>(env.get()));
      use(*held.back(), round);
      if (::testing::Test::HasFatalFailure()) return;
    }
    for (auto& c : held) {
      ASSERT_TRUE(SQL_SUCCEEDED(c->try_disconnect())) << describe(c->last_diagnostics());
    }
  }
  EXPECT_LE(fresh.size(), static_cast<std::size_t>(kConnections))
      << "more new backends than PoolMaxSize: dead connections were not closed";
  const auto after = admin.backends(app);
  EXPECT_LE(after.size(), static_cast<std::size_t>(kConnections));
  for (long long pid : after) EXPECT_EQ(killed.count(pid), 0u);
}

TEST(KilledWhileIdleDrill, NoBypassNoticesAtOnce) {
  run_killed_while_idle(app_name("drill_killed_nobypass"), "PoolValidationBypass=0",
                        std::chrono::milliseconds(0));
}

TEST(KilledWhileIdleDrill, DefaultBypassAfter600ms) {
  run_killed_while_idle(app_name("drill_killed_default"), "", std::chrono::milliseconds(600));
}

// Inside the bypass window the first borrower may be lent a dead
// connection unchecked and see the error. That error (a connection failure)
// must make the pool re-validate the rest of its idle connections: a server
// restart or a mass termination kills them all at once, and no second
// borrower may see an error.
TEST(KilledWhileIdleDrill, InsideTheBypassWindowAtMostOneBorrowerSeesIt) {
  const std::string app = app_name("drill_killed_window");
  const std::string cs = pooled_string(app, "PoolMaxSize=4;PoolValidationBypass=5s");
  Env env;
  Admin admin;
  std::set<long long> killed;
  {
    std::vector<std::unique_ptr<Connection>> held;
    for (int i = 0; i < kConnections; ++i) {
      held.push_back(std::make_unique<Connection>(env.get()));
      held.back()->connect(cs);
      killed.insert(held.back()->query_int("SELECT pg_backend_pid()"));
    }
    for (auto& c : held) c->disconnect();
  }
  ASSERT_EQ(admin.terminate(app), kConnections);

  std::vector<std::string> errors;
  for (int round = 0; round < 20; ++round) {
    Connection c(env.get());
    const SQLRETURN rc = c.try_connect(cs);
    if (!SQL_SUCCEEDED(rc)) {
      errors.push_back("round " + std::to_string(round) +
                       " SQLDriverConnect: " + describe(c.last_diagnostics()));
      continue;
    }
    try {
      const long long pid = c.query_int("SELECT pg_backend_pid()");
      EXPECT_EQ(killed.count(pid), 0u) << "round " << round << ": lent terminated " << pid;
    } catch (const DrillError& e) {
      errors.push_back("round " + std::to_string(round) + " query: " + e.what());
    }
  }
  std::string text;
  for (const auto& e : errors) text += "\n  " + e;
  std::cout << "[ drill    ] errors seen inside the bypass window: " << errors.size() << text
            << std::endl;
  EXPECT_LE(errors.size(), 1u) << "more than one borrower was lent a dead connection:" << text;
  if (!errors.empty()) {
    EXPECT_NE(errors.front().rfind("round 0 ", 0), std::string::npos)
        << "the error did not come on the first borrow:" << text;
  }
}

}  // namespace
}  // namespace drills
