// Drill (issue 10 point 1), the reset on return: with the defaults, the next
// borrower of the same PostgreSQL backend sees none of the server-side
// session state the previous one left (SET, TEMP tables, PREPAREd
// statements, advisory locks), while the settings the connection was opened
// with (ConnSettings, PoolInitStatement) stay. PoolResetStatement=none keeps
// that state, as documented. A SQLite pool with the default runs nothing on
// return and keeps working. Every case has a pool of one connection of its
// own, so the second borrower gets the first one's backend, which each case
// checks (a reset that failed would close it and open another).
#include <gtest/gtest.h>

#include <string>

#include "drill_support.h"

namespace drills {
namespace {

// Two borrows of a one-connection pool, one after the other; the second is
// left connected for the checks.
class TwoBorrows {
 public:
  explicit TwoBorrows(const std::string& tag, const std::string& extra = "")
      : app_(app_name(tag)),
        cs_(pooled_string(app_, "PoolMaxSize=1" + (extra.empty() ? "" : ";" + extra))),
        first_(env_.get()),
        second_(env_.get()) {
    first_.connect(cs_);
    first_pid_ = first_.query_int("SELECT pg_backend_pid()");
  }

  Connection& first() { return first_; }
  const std::string& app() const { return app_; }

  // Returns the first borrower's connection and borrows again.
  Connection& second() {
    if (first_.connected()) first_.disconnect();
    second_.connect(cs_);
    const long long pid = second_.query_int("SELECT pg_backend_pid()");
    EXPECT_EQ(pid, first_pid_) << "the next borrower did not get the same backend: the "
                                  "connection was not returned to the pool";
    return second_;
  }
  long long pid() const { return first_pid_; }

 private:
  Env env_;
  std::string app_;
  std::string cs_;
  Connection first_;
  Connection second_;
  long long first_pid_ = 0;
};

long long advisory_locks_of(long long pid) {
  Admin admin;
  return admin.connection().query_int(
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = " + std::to_string(pid));
}

// ---- the defaults: nothing reaches the next borrower

TEST(ResetDrill, SearchPathDoesNotReachTheNextBorrower) {
  TwoBorrows b("drill_reset_path");
  const std::string before = b.first().query("SHOW search_path");
  b.first().execute("SET search_path TO pg_catalog");
  ASSERT_EQ(b.first().query("SHOW search_path"), "pg_catalog");
  EXPECT_EQ(b.second().query("SHOW search_path"), before);
}

TEST(ResetDrill, StatementTimeoutDoesNotReachTheNextBorrower) {
  TwoBorrows b("drill_reset_timeout");
  const std::string before = b.first().query("SHOW statement_timeout");
  b.first().execute("SET statement_timeout = '1234ms'");
  ASSERT_EQ(b.first().query("SHOW statement_timeout"), "1234ms");
  EXPECT_EQ(b.second().query("SHOW statement_timeout"), before);
}

TEST(ResetDrill, TempTableDoesNotReachTheNextBorrower) {
  TwoBorrows b("drill_reset_temp");
  b.first().execute("CREATE TEMP TABLE odbcpool_reset_temp (x int)");
  ASSERT_EQ(b.first().query("SELECT to_regclass('odbcpool_reset_temp')::text"),
            "odbcpool_reset_temp");
  EXPECT_EQ(b.second().query("SELECT to_regclass('odbcpool_reset_temp')::text"), "");
}

TEST(ResetDrill, PreparedStatementDoesNotReachTheNextBorrower) {
  TwoBorrows b("drill_reset_prepare");
  b.first().execute("PREPARE odbcpool_reset_plan AS SELECT 1");
  ASSERT_EQ(b.first().query_int("SELECT count(*) FROM pg_prepared_statements"), 1);
  EXPECT_EQ(b.second().query_int("SELECT count(*) FROM pg_prepared_statements"), 0);
}

TEST(ResetDrill, AdvisoryLockIsReleasedForTheNextBorrower) {
  TwoBorrows b("drill_reset_lock");
  b.first().execute("SELECT pg_advisory_lock(42)");
  ASSERT_EQ(advisory_locks_of(b.pid()), 1);
  b.second();
  EXPECT_EQ(advisory_locks_of(b.pid()), 0) << "the advisory lock outlived its borrower";
}

TEST(ResetDrill, ConnSettingsStatementTimeoutStaysForTheNextBorrower) {
  // psqlODBC carries out a query timeout with SET statement_timeout and then
  // sets 0: the reset must not give it one, or this value would be lost.
  Env env;
  const std::string app = app_name("drill_reset_conn_timeout");
  const std::string cs = "DSN=" + std::string(kPooledDsn) +
                         ";ConnSettings={SET application_name='" + app +
                         "';SET statement_timeout='4321ms'};PoolMaxSize=1";
  Connection first(env.get());
  first.connect(cs);
  const long long pid = first.query_int("SELECT pg_backend_pid()");
  ASSERT_EQ(first.query("SHOW statement_timeout"), "4321ms");
  first.execute("SET statement_timeout = '1234ms'");
  first.disconnect();
  Connection next(env.get());
  next.connect(cs);
  EXPECT_EQ(next.query_int("SELECT pg_backend_pid()"), pid);
  EXPECT_EQ(next.query("SHOW statement_timeout"), "4321ms");
}

TEST(ResetDrill, OpeningSettingsStayForTheNextBorrower) {
  // ConnSettings (application_name) and PoolInitStatement are session
  // settings as well; DISCARD ALL alone would drop them.
  TwoBorrows b("drill_reset_opening", "PoolInitStatement=SET work_mem = '7MB'");
  ASSERT_EQ(b.first().query("SHOW work_mem"), "7MB");
  b.first().execute("SET work_mem = '9MB'");
  b.first().execute("SET application_name = 'somebody_else'");
  Connection& next = b.second();
  EXPECT_EQ(next.query("SHOW work_mem"), "7MB");
  EXPECT_EQ(next.query("SHOW application_name"), b.app());
}

TEST(ResetDrill, DiscardRunsOutsideTheTransactionAutocommitOffLeftOpen) {
  // The application turned autocommit off and returned the connection in
  // an open transaction: the reset rolls back and restores autocommit
  // before DISCARD ALL, which refuses to run in a transaction block (and
  // would close the connection, giving the next borrower another backend).
  TwoBorrows b("drill_reset_manual");
  b.first().set_attr(SQL_ATTR_AUTOCOMMIT, SQL_AUTOCOMMIT_OFF);
  b.first().execute("CREATE TEMP TABLE odbcpool_reset_manual (x int)");
  b.first().execute("SELECT pg_advisory_lock(43)");
  b.first().execute("COMMIT");
  b.first().execute("INSERT INTO odbcpool_reset_manual VALUES (1)");
  b.first().execute("PREPARE odbcpool_reset_manual_plan AS SELECT 2");
  Connection& next = b.second();
  EXPECT_EQ(next.get_attr(SQL_ATTR_AUTOCOMMIT), static_cast<SQLULEN>(SQL_AUTOCOMMIT_ON));
  EXPECT_EQ(next.query("SELECT to_regclass('odbcpool_reset_manual')::text"), "");
  EXPECT_EQ(next.query_int("SELECT count(*) FROM pg_prepared_statements"), 0);
  EXPECT_EQ(advisory_locks_of(b.pid()), 0);
  EXPECT_EQ(next.query("SELECT current_setting('transaction_isolation')"), "read committed");
}

// ---- psqlODBC's own server-side prepared statements (UseServerSidePrepare)

// SQLPrepare once, SQLExecute `times` with a parameter, return the sum.
long long prepared_sum(Connection& c, int times) {
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  EXPECT_TRUE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, c.get(), &stmt)));
  SQLCHAR sql[] = "SELECT CAST(? AS integer) + 1";
  SQLRETURN rc = SQLPrepare(stmt, sql, SQL_NTS);
  EXPECT_TRUE(SQL_SUCCEEDED(rc)) << describe(diagnostics(SQL_HANDLE_STMT, stmt));
  SQLINTEGER param = 0;
  SQLLEN param_length = 0;
  rc = SQLBindParameter(stmt, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0, &param, 0,
                        &param_length);
  EXPECT_TRUE(SQL_SUCCEEDED(rc)) << describe(diagnostics(SQL_HANDLE_STMT, stmt));
  long long sum = 0;
  for (int i = 0; i < times; ++i) {
    param = i;
    rc = SQLExecute(stmt);
    EXPECT_TRUE(SQL_SUCCEEDED(rc))
        << "execute " << i << ": " << describe(diagnostics(SQL_HANDLE_STMT, stmt));
    if (!SQL_SUCCEEDED(rc)) break;
    SQLINTEGER value = 0;
    SQLLEN length = 0;
    rc = SQLFetch(stmt);
    EXPECT_TRUE(SQL_SUCCEEDED(rc)) << describe(diagnostics(SQL_HANDLE_STMT, stmt));
    SQLGetData(stmt, 1, SQL_C_SLONG, &value, 0, &length);
    sum += value;
    SQLCloseCursor(stmt);
  }
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);
  return sum;
}

constexpr long long kSumOf5 = 1 + 2 + 3 + 4 + 5;

TEST(ResetDrill, PreparedStatementReusedAcrossBorrows) {
  TwoBorrows b("drill_reset_plan");
  ASSERT_EQ(prepared_sum(b.first(), 5), kSumOf5);
  Connection& next = b.second();
  EXPECT_EQ(prepared_sum(next, 5), kSumOf5);
  EXPECT_EQ(prepared_sum(next, 5), kSumOf5);
  EXPECT_EQ(next.query_int("SELECT 41 + 1"), 42);
}

TEST(ResetDrill, PreparedStatementFreedInATransactionReusedAcrossBorrows) {
  // In a transaction psqlODBC defers closing a freed statement's plan;
  // after the rollback and DISCARD ALL it must not trip over it.
  TwoBorrows b("drill_reset_plan_tx");
  b.first().set_attr(SQL_ATTR_AUTOCOMMIT, SQL_AUTOCOMMIT_OFF);
  ASSERT_EQ(prepared_sum(b.first(), 5), kSumOf5);
  Connection& next = b.second();
  EXPECT_EQ(prepared_sum(next, 5), kSumOf5);
  next.set_attr(SQL_ATTR_AUTOCOMMIT, SQL_AUTOCOMMIT_OFF);
  EXPECT_EQ(prepared_sum(next, 5), kSumOf5);
  next.execute("COMMIT");
  EXPECT_EQ(prepared_sum(next, 5), kSumOf5);
}

// ---- PoolResetStatement=none: the documented trade-off

TEST(ResetDrill, NoneKeepsTheSessionStateForTheNextBorrower) {
  TwoBorrows b("drill_reset_none", "PoolResetStatement=none");
  b.first().execute("SET search_path TO pg_catalog");
  b.first().execute("SET statement_timeout = '1234ms'");
  b.first().execute("CREATE TEMP TABLE odbcpool_reset_none (x int)");
  b.first().execute("PREPARE odbcpool_reset_none_plan AS SELECT 1");
  b.first().execute("SELECT pg_advisory_lock(44)");
  Connection& next = b.second();
  EXPECT_EQ(next.query("SHOW search_path"), "pg_catalog");
  EXPECT_EQ(next.query("SHOW statement_timeout"), "1234ms");
  EXPECT_EQ(next.query("SELECT to_regclass('odbcpool_reset_none')::text"), "odbcpool_reset_none");
  EXPECT_EQ(next.query_int("SELECT count(*) FROM pg_prepared_statements"), 1);
  EXPECT_EQ(advisory_locks_of(b.pid()), 1);
  next.execute("SELECT pg_advisory_unlock_all()");
}

TEST(ResetDrill, CustomSqlIsRunAsWritten) {
  TwoBorrows b("drill_reset_sql", "PoolResetStatement=RESET search_path");
  const std::string before = b.first().query("SHOW search_path");
  b.first().execute("SET search_path TO pg_catalog");
  b.first().execute("SET work_mem = '9MB'");
  Connection& next = b.second();
  EXPECT_EQ(next.query("SHOW search_path"), before);
  EXPECT_EQ(next.query("SHOW work_mem"), "9MB") << "only the given SQL runs";
}

// ---- SQLite: auto runs nothing, and the pool goes on working

TEST(ResetDrill, SqliteWithAutoKeepsWorking) {
  Env env;
  const std::string cs =
      pooled_string(app_name("drill_reset_sqlite"), "PoolMaxSize=1", "sqlite_pooled");
  {
    Connection c(env.get());
    c.connect(cs);
    c.execute("CREATE TEMP TABLE odbcpool_reset_sqlite (x int)");
    c.execute("INSERT INTO odbcpool_reset_sqlite VALUES (7)");
    c.disconnect();
  }
  for (int i = 0; i < 3; ++i) {
    Connection c(env.get());
    c.connect(cs);
    // The same physical connection, not reset by any statement (SQLite
    // keeps a connection's TEMP tables; see docs/configuration.md).
    EXPECT_EQ(c.query_int("SELECT x FROM temp.odbcpool_reset_sqlite"), 7) << "borrow " << i;
    c.disconnect();
  }
}

}  // namespace
}  // namespace drills
