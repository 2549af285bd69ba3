// Drill 6, fork: a child process must never use or close its parent's
// physical connections (they share the parent's sockets). The child opens
// its own backend; the parent's idle and borrowed connections keep working
// whatever the child does with its copies.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

#include "drill_support.h"

namespace drills {
namespace {

constexpr auto kChildTimeout = std::chrono::seconds(60);

// Exit statuses of the child, one per step, so a failure says where.
enum ChildStatus {
  kChildOk = 0,
  kChildDisconnectCopyFailed = 10,
  kChildFreeCopyFailed = 11,
  kChildConnectFailed = 12,
  kChildQueryFailed = 13,
  kChildDisconnectFailed = 14,
  kChildWriteFailed = 15,
  kChildException = 16,
};

std::string child_status_text(int status) {
  switch (status) {
    case kChildOk:
      return "ok";
    case kChildDisconnectCopyFailed:
      return "SQLDisconnect on the inherited connection failed";
    case kChildFreeCopyFailed:
      return "SQLFreeHandle on the inherited connection failed";
    case kChildConnectFailed:
      return "connect failed";
    case kChildQueryFailed:
      return "query failed";
    case kChildDisconnectFailed:
      return "disconnect failed";
    case kChildWriteFailed:
      return "writing to the pipe failed";
    case kChildException:
      return "unexpected exception";
    default:
      return "unknown status";
  }
}

// In the child: connect through the pool on the inherited environment, send
// the backend pid to the parent, disconnect. Never returns into GoogleTest;
// leaves with exit(), so the driver's exit-time code runs in the child too.
[[noreturn]] void child_main(SQLHENV env, const std::string& cs, int fd,
                             const std::function<int()>& before) {
  alarm(std::chrono::duration_cast<std::chrono::seconds>(kChildTimeout).count());
  int status = kChildOk;
  try {
    if (before) status = before();
    if (status == kChildOk) {
      Connection c(env);
      if (!SQL_SUCCEEDED(c.try_connect(cs))) {
        std::fprintf(stderr, "child: connect: %s\n", describe(c.last_diagnostics()).c_str());
        status = kChildConnectFailed;
      } else {
        long long pid = 0;
        try {
          pid = c.query_int("SELECT pg_backend_pid()");
        } catch (const DrillError& e) {
          std::fprintf(stderr, "child: %s\n", e.what());
          status = kChildQueryFailed;
        }
        if (status == kChildOk && write(fd, &pid, sizeof pid) != sizeof pid) {
          status = kChildWriteFailed;
        }
        if (status == kChildOk && !SQL_SUCCEEDED(c.try_disconnect())) {
          std::fprintf(stderr, "child: disconnect: %s\n", describe(c.last_diagnostics()).c_str());
          status = kChildDisconnectFailed;
        }
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "child: %s\n", e.what());
    status = kChildException;
  }
  close(fd);
  std::fflush(nullptr);
  std::exit(status);
}

struct ForkOutcome {
  ChildResult result;
  long long child_pid = 0;  // the child's backend, 0 if it sent none
};

// Forks; the child runs child_main (with `before` first, if given). Waits
// for the child and collects the backend pid it reports.
ForkOutcome fork_child(SQLHENV env, const std::string& cs, std::function<int()> before = {}) {
  int fds[2];
  if (pipe(fds) != 0) throw DrillError(std::string("pipe: ") + std::strerror(errno), "");
  std::fflush(nullptr);
  const auto started = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) throw DrillError(std::string("fork: ") + std::strerror(errno), "");
  if (pid == 0) {
    close(fds[0]);
    child_main(env, cs, fds[1], before);
  }
  close(fds[1]);
  ForkOutcome outcome;
  outcome.result = wait_child(pid, started, kChildTimeout);
  long long backend = 0;
  if (read(fds[0], &backend, sizeof backend) == sizeof backend) outcome.child_pid = backend;
  close(fds[0]);
  return outcome;
}

void expect_child_ok(const ForkOutcome& outcome) {
  EXPECT_TRUE(outcome.result.exited && outcome.result.status == kChildOk)
      << "child " << outcome.result.describe()
      << (outcome.result.exited ? " (" + child_status_text(outcome.result.status) + ")" : "");
}

// Waits (up to 10 s) until the backend has left pg_stat_activity.
bool backend_gone(Admin& admin, long long pid) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!admin.backend_state(pid).empty()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// The parent's connection idles in the pool across the fork.
TEST(ForkDrill, ChildLeavesTheParentsIdleConnectionAlone) {
  const std::string app = app_name("drill_fork_idle");
  const std::string cs = pooled_string(app, "PoolMaxSize=2");
  Env env;
  Admin admin;
  long long parent_pid = 0;
  {
    Connection c(env.get());
    c.connect(cs);
    parent_pid = c.query_int("SELECT pg_backend_pid()");
    c.disconnect();
  }
  const ForkOutcome child = fork_child(env.get(), cs);
  expect_child_ok(child);
  ASSERT_NE(child.child_pid, 0) << "the child reported no backend";
  EXPECT_NE(child.child_pid, parent_pid) << "the child was lent the parent's pooled connection";
  EXPECT_TRUE(backend_gone(admin, child.child_pid))
      << "the child's backend " << child.child_pid << " outlived the child";

  EXPECT_EQ(admin.backend_state(parent_pid), "idle")
      << "the parent's pooled backend is gone or busy after the child exited";
  Connection c(env.get());
  c.connect(cs);
  EXPECT_EQ(c.query_int("SELECT pg_backend_pid()"), parent_pid)
      << "the parent's idle connection was not lent again";
  EXPECT_EQ(c.query_int("SELECT 41 + 1"), 42);
  c.disconnect();
}

// The parent holds a connection across the fork; the child disconnects and
// frees its copy, then connects anew.
TEST(ForkDrill, ChildDisconnectingItsCopyLeavesTheParentsConnectionWorking) {
  const std::string app = app_name("drill_fork_held");
  const std::string cs = pooled_string(app, "PoolMaxSize=2");
  Env env;
  Admin admin;
  Connection held(env.get());
  held.connect(cs);
  const long long parent_pid = held.query_int("SELECT pg_backend_pid()");
  SQLHDBC copy = held.get();

  const ForkOutcome child = fork_child(env.get(), cs, [copy] {
    const SQLRETURN rc = SQLDisconnect(copy);
    if (!SQL_SUCCEEDED(rc)) {
      std::fprintf(stderr, "child: SQLDisconnect on the inherited connection: %s\n",
                   describe(diagnostics(SQL_HANDLE_DBC, copy)).c_str());
      return static_cast<int>(kChildDisconnectCopyFailed);
    }
    if (SQLFreeHandle(SQL_HANDLE_DBC, copy) != SQL_SUCCESS) {
      return static_cast<int>(kChildFreeCopyFailed);
    }
    return static_cast<int>(kChildOk);
  });
  expect_child_ok(child);
  ASSERT_NE(child.child_pid, 0) << "the child reported no backend";
  EXPECT_NE(child.child_pid, parent_pid);

  // The parent's borrowed connection still works, on the same backend.
  long long pid_after = 0;
  try {
    pid_after = held.query_int("SELECT pg_backend_pid()");
  } catch (const DrillError& e) {
    FAIL() << "the parent's connection broke after the child disconnected its copy: " << e.what();
  }
  EXPECT_EQ(pid_after, parent_pid);
  EXPECT_EQ(held.query_int("SELECT 41 + 1"), 42);
  held.disconnect();

  // And it went back to the pool in good shape.
  Connection again(env.get());
  again.connect(cs);
  EXPECT_EQ(again.query_int("SELECT pg_backend_pid()"), parent_pid);
  again.disconnect();
}

// The child does not touch ODBC at all and leaves with exit(): whatever the
// driver does at exit in a child must spare the parent's connections, idle
// and borrowed.
TEST(ForkDrill, ChildExitingWithoutOdbcLeavesTheParentAlone) {
  const std::string app = app_name("drill_fork_exit");
  const std::string cs = pooled_string(app, "PoolMaxSize=2");
  Env env;
  Admin admin;
  Connection idle(env.get()), held(env.get());
  idle.connect(cs);
  held.connect(cs);
  const long long idle_pid = idle.query_int("SELECT pg_backend_pid()");
  const long long held_pid = held.query_int("SELECT pg_backend_pid()");
  idle.disconnect();

  std::fflush(nullptr);
  const auto started = Clock::now();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(60);
    std::exit(0);
  }
  const ChildResult result = wait_child(pid, started, kChildTimeout);
  EXPECT_TRUE(result.exited && result.status == 0) << "child " << result.describe();

  EXPECT_EQ(held.query_int("SELECT pg_backend_pid()"), held_pid);
  held.disconnect();
  EXPECT_EQ(admin.backend_state(idle_pid), "idle");
  Connection c(env.get());
  c.connect(cs);
  const long long pid_after = c.query_int("SELECT pg_backend_pid()");
  EXPECT_TRUE(pid_after == idle_pid || pid_after == held_pid)
      << "a new backend " << pid_after << " instead of one of the pooled " << idle_pid << ", "
      << held_pid;
  c.disconnect();
}

}  // namespace
}  // namespace drills
