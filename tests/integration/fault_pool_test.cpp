// Pool semantics (DESIGN.md section 4) through the unixODBC Driver Manager,
// against the fault driver (a test double) that fails, hangs and dies on
// demand. Every test has its own control file, hence its own pool.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <set>
#include <thread>

#include "fault_harness.h"

namespace {

using fault::Client;
using fault::Control;
using fault::describe;
using fault::find_state;
using fault::seconds_since;
using Clock = std::chrono::steady_clock;

class FaultPool : public ::testing::Test {
 protected:
  void SetUp() override { fault::Harness::instance(); }
  // Timings are reported, never asserted tightly.
  void observe(const std::string& what, double seconds) {
    std::printf("[ observe  ] %s: %.3f s\n", what.c_str(), seconds);
    RecordProperty(what, std::to_string(seconds));
  }
};

TEST_F(FaultPool, ReusesOnePhysicalConnection) {
  Control control("reuse");
  const std::string text = control.pooled("PoolMaxSize=1");
  Client client;
  std::set<long> ids;
  for (int i = 0; i < 100; ++i) {
    auto r = client.connect(text);
    ASSERT_TRUE(r.ok()) << "cycle " << i << ": " << describe(r.diags);
    ids.insert(client.connection_id());
    ASSERT_TRUE(client.disconnect().ok()) << "cycle " << i;
  }
  EXPECT_EQ(control.count("connects"), 1);
  EXPECT_EQ(control.count("disconnects"), 0);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids.count(-1), 0u);
}

// Programs that allocate and free their environment around every unit of
// work must be pooled too (the Driver Manager frees its driver environment).
TEST_F(FaultPool, ReusesAcrossEnvironmentFrees) {
  Control control("reuse-env");
  const std::string text = control.pooled("PoolMaxSize=1");
  std::set<long> ids;
  for (int i = 0; i < 100; ++i) {
    Client client;  // SQLAllocHandle(ENV) ... SQLFreeHandle(ENV) every cycle
    auto r = client.connect(text);
    ASSERT_TRUE(r.ok()) << "cycle " << i << ": " << describe(r.diags);
    ids.insert(client.connection_id());
    ASSERT_TRUE(client.disconnect().ok()) << "cycle " << i;
  }
  EXPECT_EQ(control.count("connects"), 1);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids.count(-1), 0u);
}

TEST_F(FaultPool, ExhaustedPoolFailsWithHYT01) {
  Control control("exhaust");
  Client holder;
  auto r = holder.connect(control.pooled("PoolMaxSize=1;PoolAcquireTimeout=500ms"));
  ASSERT_TRUE(r.ok()) << describe(r.diags);

  Client second;
  const auto start = Clock::now();
  r = second.connect(control.pooled("PoolMaxSize=1;PoolAcquireTimeout=500ms"));
  const double took = seconds_since(start);
  observe("exhausted borrow failed after", took);
  EXPECT_EQ(r.rc, SQL_ERROR);
  const auto* d = find_state(r.diags, "HYT01");
  ASSERT_NE(d, nullptr) << describe(r.diags);
  const std::string& m = d->message;
  EXPECT_TRUE(m.find("500ms") != std::string::npos || m.find("0.5s") != std::string::npos) << m;
  EXPECT_TRUE(m.find("size 1") != std::string::npos ||
              m.find("PoolMaxSize 1") != std::string::npos ||
              m.find("PoolMaxSize=1") != std::string::npos)
      << m;
  EXPECT_LT(took, 5.0) << "more than 10x PoolAcquireTimeout";
  EXPECT_EQ(control.count("connects"), 1);
}

// A target that hangs in connect: the borrower gets an error, and a second
// borrower waiting for the same pool is not blocked forever.
TEST_F(FaultPool, HangingConnectIsBounded) {
  const long hang_ms = 3000;
  Control control("connect-hang", "connect=hang\nconnect_delay_ms=" + std::to_string(hang_ms));
  const std::string text = control.pooled("PoolMaxSize=1;PoolAcquireTimeout=300ms");

  struct Outcome {
    fault::Result result;
    double seconds = -1;
  };
  Outcome first, second;
  std::atomic<bool> first_done{false}, second_done{false};
  const auto start = Clock::now();
  std::thread a([&] {
    Client client;
    first.result = client.connect(text);
    first.seconds = seconds_since(start);
    first_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::thread b([&] {
    Client client;
    second.result = client.connect(text);
    second.seconds = seconds_since(start) - 0.1;
    second_done = true;
  });
  // Bounded: far above anything reasonable, far below "forever".
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while ((!first_done || !second_done) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(first_done && second_done) << "a connect is still blocked after 60 s";
  a.join();
  b.join();
  observe("hanging connect: first borrower (opens) got its error after", first.seconds);
  observe("hanging connect: second borrower (waits) got its error after", second.seconds);
  std::printf("[ observe  ] first: %s[ observe  ] second: %s", describe(first.result.diags).c_str(),
              describe(second.result.diags).c_str());
  EXPECT_EQ(first.result.rc, SQL_ERROR);
  EXPECT_FALSE(first.result.diags.empty());
  EXPECT_EQ(second.result.rc, SQL_ERROR);
  EXPECT_FALSE(second.result.diags.empty());
  EXPECT_LT(second.seconds, 10 * 0.3)
      << "the waiting borrower was held past 10x PoolAcquireTimeout";

  // The pool recovers once the target does.
  control.set("connect=ok");
  Client client;
  auto r = client.connect(text);
  EXPECT_TRUE(r.ok()) << describe(r.diags);
}

TEST_F(FaultPool, FailedValidationOpensANewConnection) {
  Control control("validate-fail");
  const std::string text = control.pooled("PoolMaxSize=2;PoolValidationBypass=0");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long first = client.connection_id();
  ASSERT_TRUE(client.disconnect().ok());

  control.set("validate=fail");
  auto r = client.connect(text);
  EXPECT_EQ(r.rc, SQL_SUCCESS) << "the application must see no error: " << describe(r.diags);
  ASSERT_TRUE(r.ok());
  const long second = client.connection_id();
  EXPECT_NE(second, first);
  EXPECT_GT(second, 0);
  EXPECT_EQ(control.count("connects"), 2);
  EXPECT_EQ(control.count("disconnects"), 1) << "the connection that failed validation is closed";
  EXPECT_GE(control.count("exec:SELECT 1"), 1) << "no validation query ran";
}

TEST_F(FaultPool, ValidationHangIsCutByPoolValidationTimeout) {
  Control control("validate-hang");
  const std::string text =
      control.pooled("PoolMaxSize=2;PoolValidationBypass=0;PoolValidationTimeout=1s");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long first = client.connection_id();
  ASSERT_TRUE(client.disconnect().ok());

  control.set("validate=hang");  // SELECT 1 sleeps 10 s unless the query timeout cuts it
  const auto start = Clock::now();
  auto r = client.connect(text);
  const double took = seconds_since(start);
  observe("borrow over a hanging validation took", took);
  EXPECT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_NE(client.connection_id(), first);
  EXPECT_LT(took, 5.0) << "PoolValidationTimeout=1s did not bound the validation";
}

TEST_F(FaultPool, DeadAttributeDiscardsIdleConnection) {
  Control control("dead-attr");
  const std::string text =
      control.pooled("PoolMaxSize=2;PoolValidation=dead-attr;PoolValidationBypass=0");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long first = client.connection_id();
  ASSERT_TRUE(client.disconnect().ok());
  control.set("dead=1");
  auto r = client.connect(text);
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_NE(client.connection_id(), first);
  EXPECT_EQ(control.count("connects"), 2);
  EXPECT_EQ(control.count("exec:SELECT 1"), 0) << "dead-attr must not run the query";
}

// A connection that reported 08S01 is closed, not returned.
TEST_F(FaultPool, LinkFailureClosesTheConnection) {
  Control control("08s01");
  const std::string text = control.pooled("PoolMaxSize=1");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long first = client.connection_id();

  control.set("execute=08S01");
  auto r = client.execute("SELECT 5");
  EXPECT_EQ(r.rc, SQL_ERROR);
  const auto* d = find_state(r.diags, "08S01");
  ASSERT_NE(d, nullptr) << describe(r.diags);
  EXPECT_NE(d->message.find("[fault] communication link failure"), std::string::npos) << d->message;
  control.set("");

  r = client.disconnect();
  EXPECT_TRUE(r.ok()) << "disconnect of a broken connection: " << describe(r.diags);
  EXPECT_EQ(control.count("disconnects"), 1) << "the broken connection was not closed";
  EXPECT_EQ(control.count("live"), 0);

  r = client.connect(text);
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  const long second = client.connection_id();
  EXPECT_NE(second, first);
  EXPECT_GT(second, 0);
  EXPECT_EQ(control.count("connects"), 2);
}

// After a 08xxx error the idle connections of that pool are re-validated
// before reuse, even inside the bypass window: a healthy one survives...
TEST_F(FaultPool, LinkFailureRevalidatesIdleConnections) {
  Control control("08s01-revalidate");
  const std::string text = control.pooled("PoolMaxSize=2;PoolValidationBypass=1h");
  Client broken, idle;
  ASSERT_TRUE(broken.connect(text).ok());
  ASSERT_TRUE(idle.connect(text).ok());
  const long idle_id = idle.connection_id();
  ASSERT_TRUE(idle.disconnect().ok());

  control.set("execute=08S01");
  EXPECT_EQ(broken.execute("SELECT 5").rc, SQL_ERROR);
  control.set("");
  EXPECT_TRUE(broken.disconnect().ok());
  const long validations = control.count("exec:SELECT 1");

  Client next;
  auto r = next.connect(text);
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_EQ(control.count("exec:SELECT 1"), validations + 1)
      << "the idle connection was not re-validated after the 08S01";
  EXPECT_EQ(next.connection_id(), idle_id) << "a healthy idle connection should survive";
  EXPECT_EQ(control.count("connects"), 2);
}

// ... and a dead one (a database restart kills them all, but the driver's
// dead-connection attribute still says "alive") is replaced.
TEST_F(FaultPool, LinkFailureDiscardsIdleConnectionsThatFailRevalidation) {
  Control control("08s01-restart");
  const std::string text = control.pooled("PoolMaxSize=2;PoolValidationBypass=1h");
  Client broken, idle;
  ASSERT_TRUE(broken.connect(text).ok());
  ASSERT_TRUE(idle.connect(text).ok());
  const long broken_id = broken.connection_id();
  const long idle_id = idle.connection_id();
  ASSERT_TRUE(idle.disconnect().ok());

  control.set("execute=08S01");
  EXPECT_EQ(broken.execute("SELECT 5").rc, SQL_ERROR);
  control.set("validate=fail");  // the server restarted: every old session is gone
  EXPECT_TRUE(broken.disconnect().ok());

  Client next;
  auto r = next.connect(text);
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  const long id = next.connection_id();
  EXPECT_NE(id, idle_id) << "a connection that fails validation was handed out";
  EXPECT_NE(id, broken_id);
  EXPECT_EQ(control.count("connects"), 3);
  EXPECT_EQ(control.count("disconnects"), 2);
}

TEST_F(FaultPool, InitStatementOncePerConnectionResetStatementOnEveryReturn) {
  Control control("init-reset");
  const std::string text =
      control.pooled("PoolMaxSize=2;PoolInitStatement=SET INIT;PoolResetStatement=DISCARD ALL");
  Client client;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(client.connect(text).ok()) << "cycle " << i;
    ASSERT_TRUE(client.disconnect().ok()) << "cycle " << i;
  }
  EXPECT_EQ(control.count("connects"), 1);
  EXPECT_EQ(control.count("exec:SET INIT"), 1);
  EXPECT_EQ(control.count("exec:DISCARD ALL"), 10);

  Client a, b;  // two at once: a second physical connection
  ASSERT_TRUE(a.connect(text).ok());
  ASSERT_TRUE(b.connect(text).ok());
  EXPECT_EQ(control.count("connects"), 2);
  EXPECT_EQ(control.count("exec:SET INIT"), 2);
  EXPECT_EQ(control.count("exec:DISCARD ALL"), 10) << "reset ran on a borrow, not on a return";
  ASSERT_TRUE(a.disconnect().ok());
  ASSERT_TRUE(b.disconnect().ok());
  EXPECT_EQ(control.count("exec:DISCARD ALL"), 12);
}

// On return: roll back, then restore the attributes (in that order: turning
// autocommit back on first would commit the application's work).
TEST_F(FaultPool, ReturnRollsBackAndRestoresAttributes) {
  Control control("reset-attrs");
  const std::string text = control.pooled("PoolMaxSize=1");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long id = client.connection_id();
  ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectAttr(client.dbc(), SQL_ATTR_AUTOCOMMIT,
                                              reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_OFF),
                                              SQL_IS_UINTEGER)));
  ASSERT_TRUE(client.execute("UPDATE t SET x = 1").ok());
  ASSERT_TRUE(client.disconnect().ok());
  EXPECT_GE(control.count("rollbacks"), 1);
  EXPECT_EQ(control.count("commits"), 0) << "the application's open transaction was committed";

  ASSERT_TRUE(client.connect(text).ok());
  EXPECT_EQ(client.connection_id(), id);
  SQLUINTEGER autocommit = 12345;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLGetConnectAttr(client.dbc(), SQL_ATTR_AUTOCOMMIT, &autocommit,
                                              sizeof autocommit, nullptr)));
  EXPECT_EQ(autocommit, static_cast<SQLUINTEGER>(SQL_AUTOCOMMIT_ON));
}

TEST_F(FaultPool, PoolingNoConnectsEveryTime) {
  Control control("pooling-no");
  const std::string text = control.pooled("Pooling=no");
  std::set<long> ids;
  Client client;
  for (int i = 0; i < 20; ++i) {
    auto r = client.connect(text);
    ASSERT_TRUE(r.ok()) << "cycle " << i << ": " << describe(r.diags);
    ids.insert(client.connection_id());
    ASSERT_TRUE(client.disconnect().ok());
  }
  EXPECT_EQ(control.count("connects"), 20);
  EXPECT_EQ(control.count("disconnects"), 20);
  EXPECT_EQ(control.count("live"), 0);
  EXPECT_EQ(ids.size(), 20u);
}

TEST_F(FaultPool, ThreadsShareASmallPool) {
  Control control("threads");
  const std::string text = control.pooled("PoolMaxSize=2;PoolAcquireTimeout=10s");
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        Client client;
        if (!client.connect(text).ok() || client.connection_id() <= 0 ||
            !client.disconnect().ok()) {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors, 0);
  EXPECT_LE(control.count("connects"), 2);
  EXPECT_LE(control.count("live"), 2);
}

// A statement the application left open (with a pending result) is freed on
// the target when the connection goes back, and the next borrower is fine.
TEST_F(FaultPool, ReturnFreesTheApplicationsStatements) {
  Control control("stmt-cleanup");
  const std::string text = control.pooled("PoolMaxSize=1");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long id = client.connection_id();
  ASSERT_TRUE(client.leave_open("SELECT 5") != SQL_NULL_HSTMT);
  ASSERT_TRUE(client.leave_open("SELECT 6") != SQL_NULL_HSTMT);
  EXPECT_EQ(control.count("statements"), 2);
  ASSERT_TRUE(client.disconnect().ok());
  EXPECT_EQ(control.count("statements"), 0) << "the target's statements leaked into the pool";
  ASSERT_TRUE(client.connect(text).ok());
  EXPECT_EQ(client.connection_id(), id);
  long value = 0;
  EXPECT_TRUE(client.execute("SELECT 7", &value).ok());
  EXPECT_EQ(value, 7);
}

// An ordinary SQL error is the application's business: the connection stays.
TEST_F(FaultPool, NonConnectionErrorKeepsTheConnection) {
  Control control("42000");
  const std::string text = control.pooled("PoolMaxSize=1");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long id = client.connection_id();
  control.set("execute=fail");
  auto r = client.execute("SELECT 5");
  EXPECT_EQ(r.rc, SQL_ERROR);
  EXPECT_NE(find_state(r.diags, "42000"), nullptr) << describe(r.diags);
  control.set("");
  ASSERT_TRUE(client.disconnect().ok());
  ASSERT_TRUE(client.connect(text).ok());
  EXPECT_EQ(client.connection_id(), id);
  EXPECT_EQ(control.count("disconnects"), 0);
}

// PostgreSQL's admin-shutdown class (57P01) is a connection failure too.
TEST_F(FaultPool, AdminShutdownClosesTheConnection) {
  Control control("57p01");
  const std::string text = control.pooled("PoolMaxSize=1");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long id = client.connection_id();
  auto r = client.execute("RAISE 57P01");
  EXPECT_NE(find_state(r.diags, "57P01"), nullptr) << describe(r.diags);
  ASSERT_TRUE(client.disconnect().ok());
  EXPECT_EQ(control.count("disconnects"), 1);
  ASSERT_TRUE(client.connect(text).ok());
  EXPECT_NE(client.connection_id(), id);
}

// 08S01 from SQLExecute of a prepared statement counts as well as from
// SQLExecDirect.
TEST_F(FaultPool, LinkFailureInPreparedExecuteClosesTheConnection) {
  Control control("08s01-prepared");
  const std::string text = control.pooled("PoolMaxSize=1");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  const long id = client.connection_id();
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, client.dbc(), &stmt)));
  ASSERT_TRUE(SQL_SUCCEEDED(SQLPrepare(stmt, (SQLCHAR*)"SELECT 5", SQL_NTS)));
  control.set("execute=08S01");
  EXPECT_EQ(SQLExecute(stmt), SQL_ERROR);
  auto diags = fault::diagnostics(SQL_HANDLE_STMT, stmt);
  EXPECT_NE(find_state(diags, "08S01"), nullptr) << describe(diags);
  control.set("");
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);
  ASSERT_TRUE(client.disconnect().ok());
  EXPECT_EQ(control.count("disconnects"), 1);
  ASSERT_TRUE(client.connect(text).ok());
  EXPECT_NE(client.connection_id(), id);
}

// SQLCancel from another thread reaches the target while the statement runs.
TEST_F(FaultPool, CancelFromAnotherThreadReachesTheTarget) {
  Control control("cancel");
  Client client;
  ASSERT_TRUE(client.connect(control.pooled("PoolMaxSize=1")).ok());
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, client.dbc(), &stmt)));
  std::atomic<bool> done{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    for (int i = 0; i < 50 && !done; ++i) {
      SQLCancel(stmt);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const auto start = Clock::now();
  const SQLRETURN rc = SQLExecDirect(stmt, (SQLCHAR*)"SELECT SLEEP 5000", SQL_NTS);
  done = true;
  const double took = seconds_since(start);
  canceller.join();
  observe("canceled statement returned after", took);
  auto diags = fault::diagnostics(SQL_HANDLE_STMT, stmt);
  EXPECT_EQ(rc, SQL_ERROR);
  EXPECT_NE(find_state(diags, "HY008"), nullptr) << describe(diags);
  EXPECT_LT(took, 4.0);
  SQLFreeHandle(SQL_HANDLE_STMT, stmt);
}

// The hang test above asserts only that nothing blocks forever. DESIGN.md
// section 4 asks more: "a borrow that has to open a connection fails with the
// target's own diagnostic, promptly; it does not hang the caller past
// PoolAcquireTimeout". odbcpool gives the physical connect a login timeout
// from PoolAcquireTimeout, which the fault driver honours (the bound is
// generous: this is about not hanging, not about speed).
TEST_F(FaultPool, HangingConnectFailsWithinAcquireTimeout) {
  Control control("connect-hang-prompt", "connect=hang\nconnect_delay_ms=5000");
  Client client;
  const auto start = Clock::now();
  auto r = client.connect(control.pooled("PoolMaxSize=1;PoolAcquireTimeout=1s"));
  const double took = seconds_since(start);
  observe("hanging connect with PoolAcquireTimeout=1s failed after", took);
  EXPECT_EQ(r.rc, SQL_ERROR);
  EXPECT_LT(took, 2.5);
}

// An application's own SQL_ATTR_LOGIN_TIMEOUT: what happens to it when the
// pool has to open a connection (reported, not asserted).
TEST_F(FaultPool, ApplicationLoginTimeoutOnAPooledConnect) {
  Control control("login-timeout", "connect=hang\nconnect_delay_ms=3000");
  Client client;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectAttr(client.dbc(), SQL_ATTR_LOGIN_TIMEOUT,
                                              reinterpret_cast<SQLPOINTER>(1), SQL_IS_UINTEGER)));
  const auto start = Clock::now();
  auto r = client.connect(control.pooled("PoolMaxSize=1;PoolAcquireTimeout=5s"));
  observe("pooled connect with SQL_ATTR_LOGIN_TIMEOUT=1 over a 3 s hang failed after",
          seconds_since(start));
  std::printf("[ observe  ] %s", describe(r.diags).c_str());
  EXPECT_EQ(r.rc, SQL_ERROR);
}

// PoolValidationTimeout against a driver that ignores SQL_ATTR_QUERY_TIMEOUT
// (timeouts=ignore): "a validation that takes longer fails" (DESIGN.md
// section 3), so odbcpool's watchdog cancels it (SQLCancel) at the timeout
// and the borrow goes on with a new connection, well before the 10 s hang.
TEST_F(FaultPool, ValidationHangWithADriverIgnoringQueryTimeout) {
  Control control("validate-hang-ignore", "timeouts=ignore");
  const std::string text =
      control.pooled("PoolMaxSize=2;PoolValidationBypass=0;PoolValidationTimeout=1s");
  Client client;
  ASSERT_TRUE(client.connect(text).ok());
  ASSERT_TRUE(client.disconnect().ok());
  control.set("timeouts=ignore\nvalidate=hang");
  const auto start = Clock::now();
  auto r = client.connect(text);
  const double took = seconds_since(start);
  observe("borrow over a hanging validation, driver ignoring the query timeout, took", took);
  EXPECT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_LT(took, 5.0) << "PoolValidationTimeout=1s did not bound the validation";
}

// "No lock is held while a connection is opened, validated or closed": a
// borrower stuck validating does not hold up another borrower of the same pool.
TEST_F(FaultPool, SlowValidationDoesNotBlockOtherBorrowers) {
  Control control("slow-validation");
  const std::string text =
      control.pooled("PoolMaxSize=3;PoolValidationBypass=0;PoolValidationTimeout=2s");
  {
    Client warm;
    ASSERT_TRUE(warm.connect(text).ok());
  }                              // one idle connection
  control.set("validate=hang");  // its check will take 2 s (the query timeout)
  double a_took = -1, b_took = -1;
  const auto start = Clock::now();
  std::thread a([&] {
    Client client;
    client.connect(text);
    a_took = seconds_since(start);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::thread b([&] {
    const auto b_start = Clock::now();
    Client client;
    auto r = client.connect(text);  // no idle connection left: opens one
    b_took = seconds_since(b_start);
    EXPECT_TRUE(r.ok()) << describe(r.diags);
  });
  a.join();
  b.join();
  observe("borrower stuck in validation returned after", a_took);
  observe("other borrower meanwhile returned after", b_took);
  EXPECT_LT(b_took, 1.0) << "a validation in progress held up another borrower";
}

// A connect hanging in one pool does not hold up a connect to another pool.
TEST_F(FaultPool, HangingConnectDoesNotBlockOtherPools) {
  Control hanging("hang-other", "connect=hang\nconnect_delay_ms=3000");
  Control healthy("healthy-other");
  double took = -1;
  std::thread a([&] {
    Client client;
    client.connect(hanging.pooled("PoolMaxSize=1;PoolAcquireTimeout=10s"));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  {
    const auto start = Clock::now();
    Client client;
    auto r = client.connect(healthy.pooled("PoolMaxSize=1"));
    took = seconds_since(start);
    EXPECT_TRUE(r.ok()) << describe(r.diags);
  }
  a.join();
  observe("connect to a healthy pool while another pool's connect hangs took", took);
  EXPECT_LT(took, 1.0);
}

}  // namespace
