// Drill 6b, fork: every call on a handle inherited across fork() fails in
// the child and sends nothing to the server (issue 10). The parent holds an
// open transaction across the fork; whatever the child does with its copy of
// the connection, the parent's transaction is still open afterwards, on the
// same backend, and commits intact.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "drill_support.h"

namespace drills {
namespace {

constexpr auto kChildTimeout = std::chrono::seconds(30);

enum ChildStatus {
  kChildOk = 0,
  kChildCallNotRefused = 20,  // a call on an inherited handle reached the target
  kChildWrongError = 21,      // refused, but not with 08003 naming fork()
  kChildCleanupFailed = 22,   // SQLDisconnect or SQLFreeHandle on the copy failed
};

// The refusal every call on an inherited handle must get.
int expect_refused(const char* call, SQLRETURN rc, SQLSMALLINT type, SQLHANDLE handle) {
  if (rc != SQL_ERROR) {
    std::fprintf(stderr, "child: %s on an inherited handle returned %d\n", call, rc);
    return kChildCallNotRefused;
  }
  const auto records = diagnostics(type, handle);
  if (records.empty() || records.front().sqlstate != "08003" ||
      records.front().message.find("fork()") == std::string::npos) {
    std::fprintf(stderr, "child: %s refused with: %s\n", call, describe(records).c_str());
    return kChildWrongError;
  }
  return kChildOk;
}

int clean_up(SQLHSTMT statement, SQLHDBC copy) {
  if (SQLFreeHandle(SQL_HANDLE_STMT, statement) != SQL_SUCCESS) {
    std::fprintf(stderr, "child: SQLFreeHandle(STMT): %s\n",
                 describe(diagnostics(SQL_HANDLE_STMT, statement)).c_str());
    return kChildCleanupFailed;
  }
  if (SQLDisconnect(copy) != SQL_SUCCESS) {
    std::fprintf(stderr, "child: SQLDisconnect: %s\n",
                 describe(diagnostics(SQL_HANDLE_DBC, copy)).c_str());
    return kChildCleanupFailed;
  }
  if (SQLFreeHandle(SQL_HANDLE_DBC, copy) != SQL_SUCCESS) return kChildCleanupFailed;
  return kChildOk;
}

using ChildAction = std::function<int(SQLHDBC copy, SQLHSTMT statement)>;

// The parent opens a transaction and inserts a row on a pooled connection,
// with a statement allocated; the child runs `action` on its copies and
// leaves with exit(). Then the parent's backend must still be idle in its
// transaction, and the row must be there after the parent commits.
void parent_transaction_survives(const std::string& tag, const ChildAction& action) {
  const std::string app = app_name(tag);
  const std::string table = app;
  Env env;
  Admin admin;
  admin.connection().execute("DROP TABLE IF EXISTS " + table);
  admin.connection().execute("CREATE TABLE " + table + " (v int NOT NULL)");

  Connection held(env.get());
  held.connect(pooled_string(app, "PoolMaxSize=2"));
  held.set_attr(SQL_ATTR_AUTOCOMMIT, SQL_AUTOCOMMIT_OFF);
  held.execute("INSERT INTO " + table + " VALUES (1)");
  const long long parent_backend = held.query_int("SELECT pg_backend_pid()");
  SQLHSTMT statement = SQL_NULL_HSTMT;
  ASSERT_EQ(SQLAllocHandle(SQL_HANDLE_STMT, held.get(), &statement), SQL_SUCCESS);
  ASSERT_EQ(admin.backend_state(parent_backend), "idle in transaction");

  std::fflush(nullptr);
  const auto started = Clock::now();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(std::chrono::duration_cast<std::chrono::seconds>(kChildTimeout).count());
    int status = kChildOk;
    try {
      status = action(held.get(), statement);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child: %s\n", e.what());
      status = 99;
    }
    std::fflush(nullptr);
    std::exit(status);  // the driver's exit-time code runs in the child too
  }
  const ChildResult result = wait_child(pid, started, kChildTimeout);
  EXPECT_TRUE(result.exited && result.status == kChildOk) << "child " << result.describe();

  EXPECT_EQ(admin.backend_state(parent_backend), "idle in transaction")
      << "the child ended or broke the parent's transaction";
  EXPECT_EQ(SQLFreeHandle(SQL_HANDLE_STMT, statement), SQL_SUCCESS);
  EXPECT_EQ(held.query_int("SELECT pg_backend_pid()"), parent_backend);
  EXPECT_EQ(SQLEndTran(SQL_HANDLE_DBC, held.get(), SQL_COMMIT), SQL_SUCCESS)
      << describe(diagnostics(SQL_HANDLE_DBC, held.get()));
  held.disconnect();
  EXPECT_EQ(admin.connection().query_int("SELECT count(*) FROM " + table), 1)
      << "the parent's row did not survive the child";
  admin.connection().execute("DROP TABLE " + table);
}

TEST(ForkInheritedDrill, ChildExitingNormallyLeavesTheParentsTransactionOpen) {
  parent_transaction_survives("drill_fork_tx_exit", [](SQLHDBC, SQLHSTMT) { return kChildOk; });
}

TEST(ForkInheritedDrill, ChildDisconnectingItsCopySendsNothing) {
  parent_transaction_survives("drill_fork_tx_disconnect", [](SQLHDBC copy, SQLHSTMT statement) {
    return clean_up(statement, copy);
  });
}

TEST(ForkInheritedDrill, EveryCallOnTheCopyIsRefused) {
  parent_transaction_survives("drill_fork_tx_refused", [](SQLHDBC copy, SQLHSTMT statement) {
    auto* sql = const_cast<SQLCHAR*>(reinterpret_cast<const SQLCHAR*>("SELECT pg_backend_pid()"));
    int status = expect_refused("SQLExecDirect", SQLExecDirect(statement, sql, SQL_NTS),
                                SQL_HANDLE_STMT, statement);
    if (status != kChildOk) return status;
    SQLHSTMT fresh = SQL_NULL_HSTMT;
    status = expect_refused("SQLAllocHandle(STMT)", SQLAllocHandle(SQL_HANDLE_STMT, copy, &fresh),
                            SQL_HANDLE_DBC, copy);
    if (status != kChildOk) return status;
    status = expect_refused("SQLEndTran(ROLLBACK)", SQLEndTran(SQL_HANDLE_DBC, copy, SQL_ROLLBACK),
                            SQL_HANDLE_DBC, copy);
    if (status != kChildOk) return status;
    status = expect_refused("SQLEndTran(COMMIT)", SQLEndTran(SQL_HANDLE_DBC, copy, SQL_COMMIT),
                            SQL_HANDLE_DBC, copy);
    if (status != kChildOk) return status;
    SQLUINTEGER autocommit = 0;
    status = expect_refused("SQLGetConnectAttr",
                            SQLGetConnectAttr(copy, SQL_ATTR_AUTOCOMMIT, &autocommit, 0, nullptr),
                            SQL_HANDLE_DBC, copy);
    if (status != kChildOk) return status;
    status = expect_refused("SQLCancel", SQLCancel(statement), SQL_HANDLE_STMT, statement);
    if (status != kChildOk) return status;
    return clean_up(statement, copy);
  });
}

}  // namespace
}  // namespace drills
