// Drill 3, restart under load: eight threads connect, query and disconnect
// through one pool while the PostgreSQL server is stopped and started again.
// Errors are allowed while the server is down; once it is back every thread
// must reach full service (kRecovered consecutive successes) within a
// bounded time, in the same process. No call may hang.
//
// Restarts the shared test server: registered RUN_SERIAL with
// RESOURCE_LOCK postgres, and always leaves the server running.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "drill_support.h"

namespace drills {
namespace {

using Seconds = std::chrono::duration<double>;

constexpr int kThreads = 8;
constexpr int kPoolSize = 4;
constexpr long kWarm = 20;       // consecutive successes before the restart
constexpr long kRecovered = 50;  // consecutive successes after it
constexpr auto kOutage = std::chrono::seconds(2);
constexpr auto kRecoveryBound = std::chrono::seconds(60);
constexpr double kMaxCallSeconds = 30.0;  // PoolAcquireTimeout is 10s

struct Worker {
  std::atomic<long> successes{0};
  std::atomic<long> failures{0};
  std::atomic<long> consecutive{0};  // successes in a row, all begun in the current epoch
  std::atomic<double> slowest{0.0};  // longest connect+query+disconnect, seconds
  std::mutex mutex;
  std::map<std::string, long> states;  // SQLSTATE -> count
  std::string last_error;
  std::thread thread;
};

class Server {
 public:
  Server()
      : script_(env_required("ODBCPOOL_TEST_PG_SERVER")),
        datadir_(env_required("ODBCPOOL_TEST_PG_DATADIR")),
        port_(env_required("ODBCPOOL_TEST_PG_PORT")) {}
  // Whatever happened, the other tests find the server running.
  ~Server() {
    if (stopped_) start();
  }
  ChildResult stop() {
    stopped_ = true;
    return run_program({POOL_DRILL_BASH, script_, "stop", datadir_}, std::chrono::seconds(120));
  }
  ChildResult start() {
    const ChildResult result = run_program({POOL_DRILL_BASH, script_, "start", datadir_, port_},
                                           std::chrono::seconds(180));
    if (result.exited && result.status == 0) stopped_ = false;
    return result;
  }

 private:
  std::string script_, datadir_, port_;
  bool stopped_ = false;
};

TEST(RestartDrill, EveryThreadRecoversAfterARestart) {
  Server server;
  const std::string app = app_name("drill_restart");
  const std::string cs =
      pooled_string(app, "PoolMaxSize=" + std::to_string(kPoolSize) + ";PoolAcquireTimeout=10s");
  Env env;
  std::array<Worker, kThreads> workers;
  std::atomic<bool> stop{false};
  std::atomic<int> epoch{0};

  for (Worker& w : workers) {
    w.thread = std::thread([&] {
      while (!stop.load()) {
        const int began = epoch.load();
        const auto started = Clock::now();
        bool ok = false;
        std::string state, error;
        try {
          Connection c(env.get());
          c.connect(cs);
          if (c.query_int("SELECT pg_backend_pid()") <= 0) throw DrillError("no pid", "");
          c.disconnect();
          ok = true;
        } catch (const DrillError& e) {
          state = e.sqlstate().empty() ? "(none)" : e.sqlstate();
          error = e.what();
        }
        const double took = Seconds(Clock::now() - started).count();
        if (took > w.slowest.load()) w.slowest.store(took);
        if (ok) {
          ++w.successes;
          if (began == epoch.load()) ++w.consecutive;
        } else {
          ++w.failures;
          w.consecutive = 0;
          {
            std::lock_guard<std::mutex> lock(w.mutex);
            ++w.states[state];
            w.last_error = error;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    });
  }
  auto stop_workers = [&] {
    stop = true;
    for (Worker& w : workers) {
      if (w.thread.joinable()) w.thread.join();
    }
  };
  // Joins the workers however the test body is left (an exception too).
  struct Joiner {
    std::function<void()> join;
    ~Joiner() { join(); }
  } joiner{stop_workers};
  // Every thread has kTarget consecutive successes begun in this epoch, or
  // the bound passes.
  auto wait_all = [&](long target, Clock::duration bound) {
    const auto deadline = Clock::now() + bound;
    for (;;) {
      bool all = true;
      for (Worker& w : workers) all = all && w.consecutive.load() >= target;
      if (all) return true;
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  auto report = [&] {
    std::string text;
    for (int i = 0; i < kThreads; ++i) {
      Worker& w = workers[i];
      std::lock_guard<std::mutex> lock(w.mutex);
      text += "\n  thread " + std::to_string(i) + ": " + std::to_string(w.successes.load()) +
              " ok, " + std::to_string(w.failures.load()) + " failed, " +
              std::to_string(w.consecutive.load()) + " in a row now, slowest call " +
              std::to_string(w.slowest.load()) + " s";
      for (const auto& [state, count] : w.states) {
        text += "; " + state + " x" + std::to_string(count);
      }
      if (!w.last_error.empty()) text += "\n    last error: " + w.last_error;
    }
    return text;
  };

  // 1. Warm: every thread in service before the restart.
  if (!wait_all(kWarm, std::chrono::seconds(60))) {
    stop_workers();
    FAIL() << "not every thread reached " << kWarm
           << " consecutive successes before the restart:" << report();
  }
  long failures_before = 0;
  for (Worker& w : workers) failures_before += w.failures.load();

  // 2. The outage.
  const ChildResult stopped = server.stop();
  if (!(stopped.exited && stopped.status == 0)) {
    stop_workers();
    FAIL() << "postgres-server stop " << stopped.describe();
  }
  epoch = 1;
  std::this_thread::sleep_for(kOutage);
  const ChildResult started = server.start();
  if (!(started.exited && started.status == 0)) {
    stop_workers();
    FAIL() << "postgres-server start " << started.describe();
  }
  const auto back = Clock::now();
  long failures_during = 0;
  for (Worker& w : workers) failures_during += w.failures.load();
  failures_during -= failures_before;

  // 3. Recovery: only operations begun after the server is back count.
  epoch = 2;
  for (Worker& w : workers) w.consecutive = 0;
  const bool recovered = wait_all(kRecovered, kRecoveryBound);
  const double recovery_seconds = Seconds(Clock::now() - back).count();
  stop_workers();

  std::cout << "[ drill    ] outage " << Seconds(kOutage).count() << " s (+ stop/start), "
            << failures_during << " failed calls meanwhile; full service "
            << (recovered ? "after " + std::to_string(recovery_seconds) + " s" : "never")
            << report() << std::endl;

  EXPECT_EQ(failures_before, 0) << "calls failed before the restart:" << report();
  EXPECT_GT(failures_during, 0) << "no call failed while the server was down: was it?";
  EXPECT_TRUE(recovered) << "not every thread reached " << kRecovered
                         << " consecutive successes within " << Seconds(kRecoveryBound).count()
                         << " s of the restart:" << report();
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_LT(workers[i].slowest.load(), kMaxCallSeconds)
        << "thread " << i << " had a call hang for " << workers[i].slowest.load() << " s";
  }

  // No leak: the pool holds at most its maximum, all on the new server.
  Admin admin;
  EXPECT_LE(admin.backends(app).size(), static_cast<std::size_t>(kPoolSize));
}

}  // namespace
}  // namespace drills
