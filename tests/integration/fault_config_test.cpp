// odbcpool through the unixODBC Driver Manager against the fault driver (a
// test double): the fault driver itself, connect failures and the errors
// odbcpool raises for its configuration (DESIGN.md sections 3 and 6).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "fault_harness.h"

namespace {

using fault::Client;
using fault::Control;
using fault::describe;
using fault::find_state;

class FaultConfig : public ::testing::Test {
 protected:
  void SetUp() override { fault::Harness::instance(); }
};

// The double, straight through the Driver Manager: if this fails, the other
// tests' failures say nothing about odbcpool.
TEST_F(FaultConfig, FaultDriverWorksDirectly) {
  Control control("direct");
  Client client;
  auto r = client.connect(control.direct());
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  long value = 0;
  r = client.execute("SELECT 42", &value);
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_EQ(value, 42);
  EXPECT_GT(client.connection_id(), 0);
  EXPECT_EQ(control.count("connects"), 1);
  EXPECT_EQ(control.count("live"), 1);
  control.set("execute=fail");
  r = client.execute("UPDATE t SET x = 1");
  EXPECT_EQ(r.rc, SQL_ERROR);
  EXPECT_NE(find_state(r.diags, "42000"), nullptr) << describe(r.diags);
  ASSERT_TRUE(client.disconnect().ok());
  EXPECT_EQ(control.count("disconnects"), 1);
  EXPECT_EQ(control.count("live"), 0);

  control.set("connect=fail");
  r = client.connect(control.direct());
  EXPECT_EQ(r.rc, SQL_ERROR);
  const auto* d = find_state(r.diags, "08001");
  ASSERT_NE(d, nullptr) << describe(r.diags);
  EXPECT_NE(d->message.find("[fault] connection refused"), std::string::npos) << d->message;
}

// The target's own diagnostic comes through odbcpool unchanged, and a failed
// connect does not keep the slot it was opened in.
TEST_F(FaultConfig, ConnectFailureShowsTargetDiagnostic) {
  Control control("connect-fail", "connect=fail");
  const std::string text = control.pooled("PoolMaxSize=1;PoolAcquireTimeout=200ms");
  for (int i = 0; i < 3; ++i) {
    Client client;
    auto r = client.connect(text);
    EXPECT_EQ(r.rc, SQL_ERROR) << "attempt " << i;
    const auto* d = find_state(r.diags, "08001");
    ASSERT_NE(d, nullptr) << "attempt " << i << ": " << describe(r.diags);
    EXPECT_NE(d->message.find("[fault] connection refused"), std::string::npos) << d->message;
  }
  EXPECT_EQ(control.count("connect_attempts"), 3);
  EXPECT_EQ(control.count("connects"), 0);

  control.set("connect=ok");
  Client client;
  auto r = client.connect(text);
  EXPECT_TRUE(r.ok()) << "the pool kept a slot for a failed connect: " << describe(r.diags);
  EXPECT_EQ(control.count("connects"), 1);
}

TEST_F(FaultConfig, TargetLibraryThatCannotBeLoadedIsIM003) {
  Client client;
  auto r = client.connect("DRIVER={odbcpool};TargetDriver=/nonexistent/lib.so;PoolMaxSize=1");
  EXPECT_EQ(r.rc, SQL_ERROR);
  const auto* d = find_state(r.diags, "IM003");
  ASSERT_NE(d, nullptr) << describe(r.diags);
  EXPECT_NE(d->message.find("/nonexistent/lib.so"), std::string::npos) << d->message;
}

TEST_F(FaultConfig, UnknownTargetDsnIsIM002) {
  Client client;
  auto r = client.connect("DRIVER={odbcpool};TargetDSN=no_such_fault_dsn");
  EXPECT_EQ(r.rc, SQL_ERROR);
  const auto* d = find_state(r.diags, "IM002");
  ASSERT_NE(d, nullptr) << describe(r.diags);
  EXPECT_NE(d->message.find("no_such_fault_dsn"), std::string::npos) << d->message;
}

struct BadValue {
  const char* key;
  const char* value;
};

class FaultBadValue : public FaultConfig, public ::testing::WithParamInterface<BadValue> {};

TEST_P(FaultBadValue, IsHY000NamingKeyValueAndSource) {
  Control control("bad-value");
  const BadValue& bad = GetParam();
  Client client;
  auto r = client.connect(control.pooled(std::string(bad.key) + "=" + bad.value));
  EXPECT_EQ(r.rc, SQL_ERROR);
  const auto* d = find_state(r.diags, "HY000");
  ASSERT_NE(d, nullptr) << describe(r.diags);
  EXPECT_NE(d->message.find(bad.key), std::string::npos) << d->message;
  EXPECT_NE(d->message.find(std::string("'") + bad.value + "'"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("connection string"), std::string::npos) << d->message;
  EXPECT_EQ(control.count("connect_attempts"), 0) << "a bad setting must fail before any connect";
}

INSTANTIATE_TEST_SUITE_P(Values, FaultBadValue,
                         ::testing::Values(BadValue{"PoolMaxSize", "abc"},
                                           BadValue{"PoolAcquireTimeout", "-1"},
                                           BadValue{"PoolValidation", "maybe"}),
                         [](const ::testing::TestParamInfo<BadValue>& info) {
                           return std::string(info.param.key);
                         });

TEST_F(FaultConfig, UnknownPoolKeyIsWarning01S00) {
  Control control("unknown-key");
  Client client;
  auto r = client.connect(control.pooled("PoolFoo=1"));
  EXPECT_EQ(r.rc, SQL_SUCCESS_WITH_INFO) << describe(r.diags);
  const auto* d = find_state(r.diags, "01S00");
  ASSERT_NE(d, nullptr) << describe(r.diags);
  EXPECT_NE(d->message.find("PoolFoo"), std::string::npos) << d->message;
  if (r.ok()) {
    EXPECT_GT(client.connection_id(), 0);
    EXPECT_TRUE(client.disconnect().ok());
  }
}

// TargetDSN: odbcpool wraps a DSN of the fault driver; the fault driver reads
// Control= from that DSN's section.
TEST_F(FaultConfig, PooledDsnWrappingAFaultDsn) {
  const std::string control = fault::Harness::instance().dir() + "/dsn.ctl";
  Client client;
  auto r = client.connect_dsn("fault_pooled");
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  const long id = client.connection_id();
  EXPECT_GT(id, 0);
  ASSERT_TRUE(client.disconnect().ok());
  r = client.connect_dsn("fault_pooled");
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_EQ(client.connection_id(), id);
  long (*count)(const char*, const char*) = reinterpret_cast<long (*)(const char*, const char*)>(
      fault::Harness::instance().fault_symbol("fault_count"));
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count(control.c_str(), "connects"), 1);
}

// A chain of two odbcpool DSNs that ends at a real driver works, pooled.
TEST_F(FaultConfig, AChainThroughTwoPooledDsnsReachesTheTarget) {
  const std::string control = fault::Harness::instance().dir() + "/chain.ctl";
  Client client;
  auto r = client.connect_dsn("fault_chain");
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  long value = 0;
  r = client.execute("SELECT 42", &value);
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_EQ(value, 42);
  const long id = client.connection_id();
  ASSERT_TRUE(client.disconnect().ok());
  r = client.connect_dsn("fault_chain");
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_EQ(client.connection_id(), id);
  long (*count)(const char*, const char*) = reinterpret_cast<long (*)(const char*, const char*)>(
      fault::Harness::instance().fault_symbol("fault_count"));
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count(control.c_str(), "connects"), 1);
}

// A connect that would come back to itself fails at once, naming the chain,
// rather than waiting out PoolAcquireTimeout (30 s here, the default) and
// reporting an empty pool as exhausted.
void expect_refused_at_once(const std::function<fault::Result(Client&)>& connect,
                            const std::vector<std::string>& words) {
  Client client;
  const auto start = std::chrono::steady_clock::now();
  const auto r = connect(client);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.rc, SQL_ERROR);
  const auto* d = find_state(r.diags, "HY000");
  ASSERT_NE(d, nullptr) << describe(r.diags);
  EXPECT_NE(d->message.find("[odbcpool] the DSN chain loops: "), std::string::npos) << d->message;
  for (const auto& word : words) EXPECT_NE(d->message.find(word), std::string::npos) << d->message;
  EXPECT_LT(elapsed, std::chrono::seconds(5)) << "the loop was not refused at once";
}

TEST_F(FaultConfig, ATwoStepDsnLoopIsRefusedAtOnce) {
  const std::string ini = fault::Harness::instance().dir() + "/odbc.ini";
  expect_refused_at_once(
      [](Client& c) { return c.connect_dsn("fault_loop_a"); },
      {"fault_loop_a -> fault_loop_b -> fault_loop_a",
       "fault_loop_a has TargetDSN=fault_loop_b in odbc.ini [fault_loop_a] (" + ini + ")",
       "fault_loop_b has TargetDSN=fault_loop_a in odbc.ini [fault_loop_b] (" + ini + ")"});
  expect_refused_at_once(
      [](Client& c) { return c.connect("DRIVER={odbcpool};TargetDSN=fault_loop_b"); },
      {"(connection string) -> fault_loop_b -> fault_loop_a -> fault_loop_b"});
}

TEST_F(FaultConfig, ATargetDriverThatIsOdbcpoolItselfIsRefusedAtOnce) {
  expect_refused_at_once([](Client& c) { return c.connect_dsn("fault_pool_of_pool"); },
                         {"fault_pool_of_pool -> odbcpool", "odbcpool's own library",
                          "TargetDriver=" ODBCPOOL_DRIVER_PATH});
  // By a symlink to it, and by its name in odbcinst.ini.
  const std::string link = fault::Harness::instance().dir() + "/odbcpool-link.so";
  ASSERT_EQ(::symlink(ODBCPOOL_DRIVER_PATH, link.c_str()), 0);
  expect_refused_at_once(
      [&](Client& c) { return c.connect("DRIVER={odbcpool};TargetDriver=" + link); },
      {"(connection string) -> odbcpool", "TargetDriver=" + link});
  expect_refused_at_once(
      [](Client& c) { return c.connect("DRIVER={odbcpool};TargetDriver={odbcpool}"); },
      {"(connection string) -> odbcpool", "TargetDriver=odbcpool in the connection string"});
}

// SQLGetInfo and SQLGetFunctions answer for the target (DESIGN.md section 5),
// directly and through odbcpool alike.
TEST_F(FaultConfig, InfoAndFunctionsAnswerForTheTarget) {
  Control control("info");
  for (const std::string& text : {control.direct(), control.pooled("PoolMaxSize=1")}) {
    SCOPED_TRACE(text);
    Client client;
    auto r = client.connect(text);
    ASSERT_TRUE(r.ok()) << describe(r.diags);
    SQLCHAR name[64] = {};
    SQLSMALLINT length = 0;
    ASSERT_TRUE(SQL_SUCCEEDED(SQLGetInfo(client.dbc(), SQL_DBMS_NAME, name, sizeof name, &length)));
    EXPECT_STREQ(reinterpret_cast<char*>(name), "FaultDB");
    SQLUSMALLINT exists = SQL_FALSE;
    ASSERT_TRUE(SQL_SUCCEEDED(SQLGetFunctions(client.dbc(), SQL_API_SQLGETDATA, &exists)));
    EXPECT_EQ(exists, SQL_TRUE);
    ASSERT_TRUE(SQL_SUCCEEDED(SQLGetFunctions(client.dbc(), SQL_API_SQLDESCRIBECOL, &exists)));
    EXPECT_EQ(exists, SQL_FALSE) << "the fault driver has no SQLDescribeCol";
  }
}

}  // namespace
