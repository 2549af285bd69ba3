// SQLBrowseConnect(W) through the unixODBC Driver Manager and odbcpool to
// the fault driver (a test double that asks for "Database"): questions reach
// the application, answers reach the target without odbcpool's keys, and a
// browsed connection is the application's alone, closed on disconnect.
#include <gtest/gtest.h>

#include <string>

#include "fault_harness.h"

namespace {

using fault::Client;
using fault::Control;
using fault::describe;
using fault::diagnostics;
using fault::has_state;

class FaultBrowse : public ::testing::Test {
 protected:
  void SetUp() override { fault::Harness::instance(); }
};

struct Step {
  SQLRETURN rc = SQL_ERROR;
  std::string out;
  SQLSMALLINT length = 0;
};

Step browse(SQLHDBC dbc, const std::string& in, SQLSMALLINT capacity = 1024) {
  Step s;
  std::string buffer(static_cast<std::size_t>(capacity) + 1, '\0');
  s.rc = SQLBrowseConnect(dbc, (SQLCHAR*)in.c_str(), SQL_NTS, (SQLCHAR*)buffer.data(), capacity,
                          &s.length);
  s.out = buffer.c_str();
  return s;
}

Step browse_wide(SQLHDBC dbc, const std::string& in) {
  Step s;
  std::u16string wide(in.begin(), in.end());  // ASCII only
  std::u16string buffer(1024, u'\0');
  s.rc = SQLBrowseConnectW(dbc, (SQLWCHAR*)wide.c_str(), SQL_NTS, (SQLWCHAR*)buffer.data(), 1024,
                           &s.length);
  for (char16_t c : buffer) {
    if (c == 0) break;
    s.out += static_cast<char>(c);
  }
  return s;
}

TEST_F(FaultBrowse, TheTargetsQuestionReachesTheApplicationAndTheAnswerConnects) {
  Control control("browse");
  Client client;
  const Step first = browse(client.dbc(), control.pooled());
  ASSERT_EQ(first.rc, SQL_NEED_DATA) << describe(diagnostics(SQL_HANDLE_DBC, client.dbc()));
  EXPECT_EQ(first.out, "DATABASE:Database=?");
  EXPECT_EQ(control.count("connects"), 0);

  // PoolMaxSize is odbcpool's own: it never reaches the target.
  const Step second = browse(client.dbc(), "Database=sales;PoolMaxSize=3");
  ASSERT_TRUE(SQL_SUCCEEDED(second.rc)) << describe(diagnostics(SQL_HANDLE_DBC, client.dbc()));
  EXPECT_EQ(control.count("browse_in:Database=sales;"), 1);
  EXPECT_NE(second.out.find("Database=sales"), std::string::npos) << second.out;
  EXPECT_EQ(control.count("connects"), 1);

  long value = 0;
  auto r = client.execute("SELECT 42", &value);
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_EQ(value, 42);
  r = client.disconnect();
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_EQ(control.count("disconnects"), 1) << "a browsed connection is never pooled";
  EXPECT_EQ(control.count("live"), 0);
}

// The fault driver has no wide entry points: odbcpool converts both ways.
TEST_F(FaultBrowse, AWideApplicationBrowsesAnAnsiTarget) {
  Control control("browse-wide");
  Client client;
  const Step first = browse_wide(client.dbc(), control.pooled());
  ASSERT_EQ(first.rc, SQL_NEED_DATA) << describe(diagnostics(SQL_HANDLE_DBC, client.dbc()));
  EXPECT_EQ(first.out, "DATABASE:Database=?");
  EXPECT_EQ(first.length, static_cast<SQLSMALLINT>(first.out.size()));
  const Step second = browse_wide(client.dbc(), "Database=w");
  ASSERT_TRUE(SQL_SUCCEEDED(second.rc)) << describe(diagnostics(SQL_HANDLE_DBC, client.dbc()));
  EXPECT_NE(second.out.find("Database=w"), std::string::npos) << second.out;
  EXPECT_TRUE(client.execute("SELECT 1").ok());
  EXPECT_TRUE(client.disconnect().ok());
}

TEST_F(FaultBrowse, ACompletedStringCutToTheBufferIsAWarningWithItsWholeLength) {
  Control control("browse-short");
  Client client;
  ASSERT_EQ(browse(client.dbc(), control.pooled()).rc, SQL_NEED_DATA);
  const Step done = browse(client.dbc(), "Database=a_rather_long_database_name", 8);
  ASSERT_EQ(done.rc, SQL_SUCCESS_WITH_INFO);
  EXPECT_TRUE(has_state(diagnostics(SQL_HANDLE_DBC, client.dbc()), "01004"));
  EXPECT_EQ(done.out.size(), 7u);
  EXPECT_GT(done.length, 8);
  EXPECT_TRUE(client.disconnect().ok());
}

TEST_F(FaultBrowse, DisconnectWhileBrowsingEndsItAndThePoolStillServes) {
  Control control("browse-abandon");
  Client client;
  ASSERT_EQ(browse(client.dbc(), control.pooled()).rc, SQL_NEED_DATA);
  SQLCHAR out[256];
  SQLSMALLINT length = 0;
  const std::string pooled = control.pooled();
  EXPECT_EQ(SQLDriverConnect(client.dbc(), nullptr, (SQLCHAR*)pooled.c_str(), SQL_NTS, out,
                             sizeof out, &length, SQL_DRIVER_NOPROMPT),
            SQL_ERROR)
      << "a connect in the middle of browsing is a sequence error";
  ASSERT_TRUE(SQL_SUCCEEDED(SQLDisconnect(client.dbc())));
  EXPECT_EQ(control.count("connects"), 0);
  auto r = client.connect(pooled);
  ASSERT_TRUE(r.ok()) << describe(r.diags);
  EXPECT_TRUE(client.execute("SELECT 1").ok());
}

TEST_F(FaultBrowse, AMissingTargetIsRefusedAtTheFirstStep) {
  Client client;
  const Step first = browse(client.dbc(), "DRIVER={odbcpool};TargetDriver={NoSuchDriver};");
  EXPECT_EQ(first.rc, SQL_ERROR);
  const auto diags = diagnostics(SQL_HANDLE_DBC, client.dbc());
  ASSERT_FALSE(diags.empty());
  EXPECT_NE(diags.front().message.find("NoSuchDriver"), std::string::npos) << describe(diags);
}

}  // namespace
