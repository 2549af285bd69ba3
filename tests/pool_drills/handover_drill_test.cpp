// Drill 4, clean hand-over: borrower A turns autocommit off, raises the
// isolation level to SERIALIZABLE, inserts a row in an open transaction and
// disconnects without committing. Borrower B gets the same backend (the pool
// holds one connection) and must find it as a fresh connection would be:
// autocommit on, the original isolation level, no open transaction, and A's
// row rolled back.
#include <gtest/gtest.h>

#include <string>

#include "drill_support.h"

namespace drills {
namespace {

TEST(HandoverDrill, NextBorrowerGetsAFreshSession) {
  const std::string app = app_name("drill_handover");
  const std::string table = app;  // private to this process
  const std::string cs = pooled_string(app, "PoolMaxSize=1");
  Env env;
  Admin admin;
  Connection& direct = admin.connection();
  direct.execute("DROP TABLE IF EXISTS " + table);
  direct.execute("CREATE TABLE " + table + " (tag text NOT NULL)");

  // What a fresh connection reports.
  Connection fresh(env.get());
  fresh.connect(direct_string());
  const SQLULEN fresh_isolation = fresh.get_attr(SQL_ATTR_TXN_ISOLATION);
  const std::string fresh_isolation_name = fresh.query("SHOW transaction_isolation");
  ASSERT_EQ(fresh.get_attr(SQL_ATTR_AUTOCOMMIT), static_cast<SQLULEN>(SQL_AUTOCOMMIT_ON));
  ASSERT_NE(fresh_isolation, static_cast<SQLULEN>(SQL_TXN_SERIALIZABLE))
      << "the drill needs a server default other than SERIALIZABLE";
  fresh.disconnect();

  // Borrower A.
  long long pid_a = 0;
  {
    Connection a(env.get());
    a.connect(cs);
    pid_a = a.query_int("SELECT pg_backend_pid()");
    EXPECT_EQ(a.get_attr(SQL_ATTR_TXN_ISOLATION), fresh_isolation)
        << "a new pooled connection should report what a direct one does";
    a.set_attr(SQL_ATTR_AUTOCOMMIT, SQL_AUTOCOMMIT_OFF);
    a.set_attr(SQL_ATTR_TXN_ISOLATION, SQL_TXN_SERIALIZABLE);
    a.execute("INSERT INTO " + table + " (tag) VALUES ('from A')");
    // The drill's premises: A really is inside a serializable transaction.
    ASSERT_EQ(a.get_attr(SQL_ATTR_AUTOCOMMIT), static_cast<SQLULEN>(SQL_AUTOCOMMIT_OFF));
    ASSERT_EQ(a.get_attr(SQL_ATTR_TXN_ISOLATION), static_cast<SQLULEN>(SQL_TXN_SERIALIZABLE));
    ASSERT_EQ(a.query("SHOW transaction_isolation"), "serializable");
    ASSERT_EQ(admin.backend_state(pid_a), "idle in transaction");

    const SQLRETURN rc = a.try_disconnect();
    ASSERT_TRUE(SQL_SUCCEEDED(rc)) << "SQLDisconnect with an open transaction returned " << rc
                                   << ": " << describe(a.last_diagnostics());
  }

  // Between the two borrowers: idle in the pool, nothing left open.
  EXPECT_EQ(admin.backend_state(pid_a), "idle")
      << "the returned connection's backend should be idle, not in a transaction";
  EXPECT_EQ(direct.query_int("SELECT count(*) FROM " + table), 0) << "A's insert was committed";

  // Borrower B.
  Connection b(env.get());
  b.connect(cs);
  const long long pid_b = b.query_int("SELECT pg_backend_pid()");
  ASSERT_EQ(pid_b, pid_a) << "PoolMaxSize=1: B should have been lent A's connection";
  EXPECT_EQ(b.get_attr(SQL_ATTR_AUTOCOMMIT), static_cast<SQLULEN>(SQL_AUTOCOMMIT_ON));
  EXPECT_EQ(b.get_attr(SQL_ATTR_TXN_ISOLATION), fresh_isolation);
  EXPECT_EQ(b.query("SHOW transaction_isolation"), fresh_isolation_name);
  EXPECT_EQ(b.query_int("SELECT count(*) FROM " + table), 0) << "B sees A's row";
  // With autocommit on every statement starts its own transaction, so
  // now() (the transaction's start) is the statement's start; a transaction
  // left open by A would have started earlier.
  EXPECT_EQ(b.query("SELECT CASE WHEN now() = statement_timestamp() THEN 'new' ELSE 'old' END"),
            "new")
      << "B's statement ran inside a transaction that was already open";
  EXPECT_EQ(admin.backend_state(pid_b), "idle");
  // Autocommit is really on at the server: B's insert is visible to others
  // without a commit.
  b.execute("INSERT INTO " + table + " (tag) VALUES ('from B')");
  EXPECT_EQ(direct.query_int("SELECT count(*) FROM " + table + " WHERE tag = 'from B'"), 1)
      << "B's insert is not committed: autocommit is off on the physical connection";
  b.disconnect();

  direct.execute("DROP TABLE " + table);
}

}  // namespace
}  // namespace drills
