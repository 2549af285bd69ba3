// Drill 6c, fork under load (issue 9): a child forked while other threads of
// the parent borrow, return and open connections must never inherit a lock
// of odbcpool's that one of them held. 500 children (or as many as fit in
// 50 s), each doing one connect, query and disconnect through the pool with
// a deadline; a hung child is killed and counted. Expect none, and the
// parent keeps working.
//
// The parent's threads go through the unixODBC Driver Manager, as
// applications do. The children call odbcpool's entry points directly,
// through pointers resolved in the parent before the first fork: libodbc
// takes a process-wide mutex in every call and has no fork handler, so a
// child that calls it while a parent thread was inside blocks in the Driver
// Manager before odbcpool is reached (seen: __lll_lock_wait <- libodbc.so.2
// <- SQLAllocHandle), and so would dlsym under glibc's loader lock. The
// child connects DSN-less, by library path, to the fault-injecting test
// driver (which no parent thread uses), with a connection string its
// thread resolved and cached in the parent, so nothing it does reads an ini
// file through libodbcinst or loads a library: what is left is odbcpool's.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "drill_support.h"

namespace drills {
namespace {

constexpr int kChildren = 500;
constexpr int kBusyThreads = 4;
constexpr auto kChildTimeout = std::chrono::seconds(5);

std::string sqlite_pooled(const std::string& extra) {
  return "DSN=sqlite_pooled;" + extra;
}

// odbcpool's own entry points, called without the Driver Manager.
struct Driver {
  decltype(&SQLAllocHandle) alloc = nullptr;
  decltype(&SQLSetEnvAttr) set_env = nullptr;
  decltype(&SQLDriverConnect) connect = nullptr;
  decltype(&SQLExecDirect) exec = nullptr;
  decltype(&SQLFetch) fetch = nullptr;
  decltype(&SQLGetData) get_data = nullptr;
  decltype(&SQLDisconnect) disconnect = nullptr;
  decltype(&SQLFreeHandle) free = nullptr;

  static Driver load() {
    void* lib = dlopen(ODBCPOOL_DRIVER_PATH, RTLD_NOW);
    if (lib == nullptr) throw DrillError(std::string("dlopen: ") + dlerror(), "");
    Driver d;
    d.alloc = reinterpret_cast<decltype(d.alloc)>(dlsym(lib, "SQLAllocHandle"));
    d.set_env = reinterpret_cast<decltype(d.set_env)>(dlsym(lib, "SQLSetEnvAttr"));
    d.connect = reinterpret_cast<decltype(d.connect)>(dlsym(lib, "SQLDriverConnect"));
    d.exec = reinterpret_cast<decltype(d.exec)>(dlsym(lib, "SQLExecDirect"));
    d.fetch = reinterpret_cast<decltype(d.fetch)>(dlsym(lib, "SQLFetch"));
    d.get_data = reinterpret_cast<decltype(d.get_data)>(dlsym(lib, "SQLGetData"));
    d.disconnect = reinterpret_cast<decltype(d.disconnect)>(dlsym(lib, "SQLDisconnect"));
    d.free = reinterpret_cast<decltype(d.free)>(dlsym(lib, "SQLFreeHandle"));
    if (!d.alloc || !d.set_env || !d.connect || !d.exec || !d.fetch || !d.get_data ||
        !d.disconnect || !d.free) {
      throw DrillError("libodbcpool.so lacks an entry point", "");
    }
    return d;
  }

  // One connect, SELECT 42 and disconnect; 0 when it answered 42.
  int cycle(const std::string& connection_string) const {
    SQLHENV env = SQL_NULL_HENV;
    SQLHDBC dbc = SQL_NULL_HDBC;
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    if (!SQL_SUCCEEDED(alloc(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env))) return 10;
    set_env(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    int status = 11;
    if (SQL_SUCCEEDED(alloc(SQL_HANDLE_DBC, env, &dbc))) {
      std::string text = connection_string;
      status = 12;
      if (SQL_SUCCEEDED(connect(dbc, nullptr, reinterpret_cast<SQLCHAR*>(text.data()), SQL_NTS,
                                nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT))) {
        status = 13;
        if (SQL_SUCCEEDED(alloc(SQL_HANDLE_STMT, dbc, &stmt))) {
          SQLCHAR sql[] = "SELECT 42";
          SQLINTEGER value = 0;
          if (SQL_SUCCEEDED(exec(stmt, sql, SQL_NTS)) && SQL_SUCCEEDED(fetch(stmt)) &&
              SQL_SUCCEEDED(get_data(stmt, 1, SQL_C_SLONG, &value, 0, nullptr))) {
            status = value == 42 ? 0 : 14;
          }
          free(SQL_HANDLE_STMT, stmt);
        }
        disconnect(dbc);
      }
      free(SQL_HANDLE_DBC, dbc);
    }
    free(SQL_HANDLE_ENV, env);
    return status;
  }
};

TEST(ForkStressDrill, ChildrenForkedUnderLoadNeverHang) {
  Env env;
  const Driver driver = Driver::load();
  // The child's target is the fault-injecting test driver, which no parent
  // thread uses: SQLite keeps a process-wide malloc mutex of its own with no
  // fork handler (a child forked while a parent thread is inside SQLite
  // hangs there), and the target's locks are not odbcpool's to make safe.
  const std::string child_string =
      std::string("DRIVER={odbcpool};TargetDriver=") + FAULT_DRIVER_PATH + ";PoolMaxSize=3";
  // The forking thread resolves (and caches) the child's connection string.
  ASSERT_EQ(driver.cycle(child_string), 0);
  // Several pools, so that children also inherit pools that are being
  // created and resized.
  std::atomic<bool> stop{false};
  std::atomic<long> parent_rounds{0}, parent_failures{0};
  std::vector<std::thread> busy;
  for (int t = 0; t < kBusyThreads; ++t) {
    busy.emplace_back([&, t] {
      int round = 0;
      while (!stop.load()) {
        try {
          Connection c(env.get());
          c.connect(sqlite_pooled("PoolMaxSize=3;PoolMinIdle=" + std::to_string(round++ % 2) +
                                  ";ApplicationName=stress" + std::to_string(t % 2)));
          if (c.query_int("SELECT 41 + 1") != 42) parent_failures.fetch_add(1);
          c.disconnect();
          parent_rounds.fetch_add(1);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "parent thread: %s\n", e.what());
          parent_failures.fetch_add(1);
        }
      }
    });
  }

  int hung = 0, failed = 0, forked = 0;
  const auto began = Clock::now();
  for (int i = 0; i < kChildren; ++i) {
    std::fflush(nullptr);
    const auto started = Clock::now();
    ++forked;
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      alarm(10);
      const int status = driver.cycle(child_string);
      std::fflush(nullptr);
      _exit(status);
    }
    const ChildResult result = wait_child(pid, started, kChildTimeout);
    if (result.timed_out) {
      ++hung;
    } else if (!result.exited || result.status != 0) {
      ++failed;
      std::fprintf(stderr, "child %d: %s\n", i, result.describe().c_str());
    }
    if (Clock::now() - began > std::chrono::seconds(50)) break;  // keep the drill short
  }
  stop = true;
  for (auto& t : busy) t.join();
  std::cout << "[ drill    ] " << forked << " children, " << hung << " hung, " << failed
            << " failed; the parent's threads did " << parent_rounds.load() << " cycles"
            << std::endl;

  EXPECT_EQ(hung, 0) << "children hung (killed after " << kChildTimeout.count() << " s)";
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(parent_failures.load(), 0);
  EXPECT_GT(parent_rounds.load(), 0);
  Connection c(env.get());
  c.connect(sqlite_pooled("PoolMaxSize=3;ApplicationName=stress0"));
  EXPECT_EQ(c.query_int("SELECT 41 + 1"), 42);
  c.disconnect();
}

}  // namespace
}  // namespace drills
