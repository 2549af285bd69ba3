// Drill 1, reuse: a pool of one connection serves a thousand connect /
// query / disconnect cycles from a single PostgreSQL backend, also when the
// application allocates and frees its ODBC environment around every cycle
// (the Driver Manager then unloads the driver; the pool must survive that).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "drill_support.h"

namespace drills {
namespace {

constexpr int kCycles = 1000;

std::string pids_text(const std::set<long long>& pids) {
  std::string text;
  for (long long pid : pids) text += (text.empty() ? "" : ", ") + std::to_string(pid);
  return "{" + text + "}";
}

std::string tag_for(const std::string& dsn, const std::string& variant) {
  return "drill_reuse_" + variant + (dsn == "pg_ansi_pooled" ? "_a" : "_u");
}

class ReuseDrill : public ::testing::TestWithParam<std::string> {};

TEST_P(ReuseDrill, OneBackendForAThousandCycles) {
  const std::string app = app_name(tag_for(GetParam(), "handles"));
  const std::string cs = pooled_string(app, "PoolMaxSize=1", GetParam());
  Env env;
  std::set<long long> pids;
  for (int i = 0; i < kCycles; ++i) {
    Connection c(env.get());
    c.connect(cs);
    pids.insert(c.query_int("SELECT pg_backend_pid()"));
    c.disconnect();
  }
  EXPECT_EQ(pids.size(), 1u) << "backend pids seen over " << kCycles
                             << " cycles: " << pids_text(pids);
  Admin admin;
  const auto open = admin.backends(app);
  EXPECT_EQ(std::set<long long>(open.begin(), open.end()), pids)
      << "the backends of " << app << " on the server are not the one the pool lent";
}

TEST_P(ReuseDrill, OneBackendWhenTheEnvironmentIsFreedEveryCycle) {
  const std::string app = app_name(tag_for(GetParam(), "env"));
  const std::string cs = pooled_string(app, "PoolMaxSize=1", GetParam());
  std::set<long long> pids;
  for (int i = 0; i < kCycles; ++i) {
    SQLHENV env = SQL_NULL_HENV;
    ASSERT_TRUE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env)))
        << "cycle " << i;
    ASSERT_TRUE(SQL_SUCCEEDED(
        SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0)))
        << "cycle " << i;
    {
      Connection c(env);
      c.connect(cs);
      pids.insert(c.query_int("SELECT pg_backend_pid()"));
      c.disconnect();
    }
    ASSERT_EQ(SQLFreeHandle(SQL_HANDLE_ENV, env), SQL_SUCCESS) << "cycle " << i;
  }
  EXPECT_EQ(pids.size(), 1u) << "backend pids seen over " << kCycles
                             << " cycles: " << pids_text(pids);
  Admin admin;
  const auto open = admin.backends(app);
  EXPECT_EQ(std::set<long long>(open.begin(), open.end()), pids)
      << "the backends of " << app << " on the server are not the one the pool lent";
}

INSTANTIATE_TEST_SUITE_P(Dsn, ReuseDrill,
                         ::testing::Values(std::string("pg_unicode_pooled"),
                                           std::string("pg_ansi_pooled")),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace drills
