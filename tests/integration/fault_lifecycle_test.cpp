// Connection lifecycle through the unixODBC Driver Manager against the fault
// driver (a test double): lifetime, idle timeout, minimum idle, keepalive,
// refill back-off and fork() (DESIGN.md sections 3 and 4). These wait for the
// background thread, so their bounds are generous and timings are reported.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <thread>

#include "fault_harness.h"

namespace {

using fault::Client;
using fault::Control;
using fault::describe;
using fault::seconds_since;
using Clock = std::chrono::steady_clock;

class FaultLifecycle : public ::testing::Test {
 protected:
  void SetUp() override { fault::Harness::instance(); }
  void observe(const std::string& what, double seconds) {
    std::printf("[ observe  ] %s: %.3f s\n", what.c_str(), seconds);
    RecordProperty(what, std::to_string(seconds));
  }
  // Seconds until done() held, or -1 after `limit` seconds.
  static double wait_for(const std::function<bool()>& done, double limit) {
    const auto start = Clock::now();
    while (seconds_since(start) < limit) {
      if (done()) return seconds_since(start);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done() ? seconds_since(start) : -1;
  }
};

TEST_F(FaultLifecycle, MaxLifetimeRetiresAConnection) {
  Control control("lifetime");
  const std::string text = control.pooled("PoolMaxSize=1;PoolMaxLifetime=1s");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long first = client.connection_id();
  ASSERT_TRUE(client.disconnect().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));  // past 1 s + 2.5% jitter
  ASSERT_TRUE(client.connect(text).ok());
  EXPECT_NE(client.connection_id(), first) << "a connection past PoolMaxLifetime was reused";
  EXPECT_EQ(control.count("connects"), 2);
}

// "never while in use": a connection past its lifetime stays with its
// borrower and is closed when it comes back.
TEST_F(FaultLifecycle, MaxLifetimeNeverWhileInUse) {
  Control control("lifetime-in-use");
  const std::string text = control.pooled("PoolMaxSize=1;PoolMaxLifetime=1s");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long first = client.connection_id();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(client.connection_id(), first);
  EXPECT_EQ(control.count("disconnects"), 0) << "closed while in use";
  ASSERT_TRUE(client.disconnect().ok());
  EXPECT_GE(wait_for([&] { return control.count("disconnects") == 1; }, 5), 0)
      << "an expired connection was not closed on return";
}

// Idle connections are closed by the background thread, with no connect to
// trigger it.
TEST_F(FaultLifecycle, IdleTimeoutClosesInTheBackground) {
  Control control("idle-timeout");
  const std::string text = control.pooled("PoolMaxSize=2;PoolIdleTimeout=1s");
  Client a, b;
  ASSERT_TRUE(a.connect(text).ok());
  ASSERT_TRUE(b.connect(text).ok());
  ASSERT_TRUE(a.disconnect().ok());
  ASSERT_TRUE(b.disconnect().ok());
  EXPECT_EQ(control.count("live"), 2);
  const double took = wait_for([&] { return control.count("live") == 0; }, 15);
  observe("idle connections (PoolIdleTimeout=1s) closed after", took);
  EXPECT_GE(took, 0) << "idle connections still open after 15 s: " << control.count("live");
}

TEST_F(FaultLifecycle, MinIdleIsRefilledInTheBackground) {
  Control control("min-idle");
  const std::string text = control.pooled("PoolMaxSize=4;PoolMinIdle=2");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  // One lent, two idle kept ready.
  const double took = wait_for([&] { return control.count("live") >= 3; }, 15);
  observe("PoolMinIdle=2 refilled (3 open with 1 in use) after", took);
  EXPECT_GE(took, 0) << "open connections: " << control.count("live");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_LE(control.count("live"), 3) << "refilled past PoolMinIdle";
}

// While the database refuses connections, refilling PoolMinIdle backs off
// rather than hammering it.
TEST_F(FaultLifecycle, RefillBacksOffWhileTheDatabaseIsDown) {
  Control control("refill-backoff", "connect=fail");
  Client client;
  EXPECT_EQ(client.connect(control.pooled("PoolMaxSize=4;PoolMinIdle=2")).rc, SQL_ERROR);
  const long before = control.count("connect_attempts");
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const long attempts = control.count("connect_attempts") - before;
  std::printf("[ observe  ] failed refill attempts in 3 s: %ld\n", attempts);
  RecordProperty("refill attempts in 3 s", std::to_string(attempts));
  EXPECT_LT(attempts, 30) << "no back-off";
}

TEST_F(FaultLifecycle, KeepaliveValidatesIdleConnections) {
  Control control("keepalive");
  const std::string text = control.pooled("PoolMaxSize=1;PoolKeepalive=1s");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  ASSERT_TRUE(client.disconnect().ok());
  const long before = control.count("exec:SELECT 1");
  const double took = wait_for([&] { return control.count("exec:SELECT 1") > before; }, 15);
  observe("first keepalive (PoolKeepalive=1s) after", took);
  EXPECT_GE(took, 0) << "no keepalive query in 15 s";

  // A keepalive that fails closes the idle connection.
  control.set("validate=fail");
  const double closed = wait_for([&] { return control.count("live") == 0; }, 15);
  observe("idle connection failing its keepalive closed after", closed);
  EXPECT_GE(closed, 0);
}

// A forked child never uses or closes the parent's physical connections; it
// starts with empty pools. The parent's idle connection survives.
TEST_F(FaultLifecycle, ForkedChildStartsWithEmptyPools) {
  Control control("fork");
  const std::string text = control.pooled("PoolMaxSize=2");
  Client held;  // one lent at fork time
  ASSERT_TRUE(held.connect(text).ok());
  Client parent;
  ASSERT_TRUE(parent.connect(text).ok());
  const long parent_id = parent.connection_id();
  ASSERT_TRUE(parent.disconnect().ok());  // and one idle in the pool

  std::fflush(nullptr);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The child: exit codes say what went wrong (no gtest in here).
    const long disconnects = control.count("disconnects");
    const long executes = control.count("executes");
    int code = 0;
    {
      Client child;
      if (!child.connect(text).ok()) {
        code = 10;
      } else {
        const long id = child.connection_id();
        if (id == parent_id) code = 11;  // got the parent's idle connection
        if (!child.disconnect().ok()) code = 12;
      }
    }
    if (code == 0 && control.count("executes") != executes + 1) code = 13;    // ran something else
    if (code == 0 && control.count("disconnects") != disconnects) code = 14;  // closed one
    std::exit(code);  // atexit handlers and static destructors run, as in real programs
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "child died with signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "10: connect failed, 11: got the parent's connection, 12: disconnect failed, "
         "13: ran statements on inherited connections, 14: closed inherited connections";

  Client again;
  ASSERT_TRUE(again.connect(text).ok());
  EXPECT_EQ(again.connection_id(), parent_id) << "the parent's idle connection was lost";
  long value = 0;
  EXPECT_TRUE(held.execute("SELECT 3", &value).ok());
  EXPECT_EQ(value, 3);
}

}  // namespace
