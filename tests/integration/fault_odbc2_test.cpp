// An ODBC 2 application through the unixODBC Driver Manager and odbcpool to
// the fault driver (a test double). With SQL_OV_ODBC2 the Driver Manager
// calls odbcpool's own ODBC 2 functions (SQLAllocStmt, SQLTransact, the
// *Option functions, SQLParamOptions), which map onto ODBC 3 (SQLSetParam
// needs a target that binds parameters: tests/conformance);
// SQLError, which it never calls while SQLGetDiagRec exists, is checked on
// the library itself.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <string>

#include "fault_harness.h"

namespace {

using fault::Control;

class FaultOdbc2 : public ::testing::Test {
 protected:
  void SetUp() override {
    fault::Harness::instance();
    ASSERT_TRUE(SQL_SUCCEEDED(SQLAllocEnv(&env_)));
    ASSERT_TRUE(SQL_SUCCEEDED(SQLAllocConnect(env_, &dbc_)));
  }
  void TearDown() override {
    SQLDisconnect(dbc_);
    SQLFreeConnect(dbc_);
    SQLFreeEnv(env_);
  }
  void connect(const Control& control) {
    const std::string in = control.pooled();
    SQLSMALLINT length = 0;
    ASSERT_TRUE(SQL_SUCCEEDED(SQLDriverConnect(dbc_, nullptr, (SQLCHAR*)in.c_str(), SQL_NTS,
                                               nullptr, 0, &length, SQL_DRIVER_NOPROMPT)))
        << fault::describe(fault::diagnostics(SQL_HANDLE_DBC, dbc_));
  }
  SQLHENV env_ = SQL_NULL_HENV;
  SQLHDBC dbc_ = SQL_NULL_HDBC;
};

TEST_F(FaultOdbc2, StatementsOptionsAndTransactions) {
  Control control("odbc2");
  connect(control);
  // SQLSetConnectOption -> SQLSetConnectAttr, which the target sees.
  ASSERT_TRUE(SQL_SUCCEEDED(SQLSetConnectOption(dbc_, SQL_AUTOCOMMIT, SQL_AUTOCOMMIT_OFF)));
  SQLUINTEGER autocommit = 99;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLGetConnectOption(dbc_, SQL_AUTOCOMMIT, &autocommit)));
  EXPECT_EQ(autocommit, static_cast<SQLUINTEGER>(SQL_AUTOCOMMIT_OFF));

  SQLHSTMT stmt = SQL_NULL_HSTMT;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLAllocStmt(dbc_, &stmt)));
  ASSERT_TRUE(SQL_SUCCEEDED(SQLSetStmtOption(stmt, SQL_MAX_ROWS, 7)));
  SQLULEN max_rows = 0;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLGetStmtOption(stmt, SQL_MAX_ROWS, &max_rows)));
  EXPECT_EQ(max_rows, 7u);

  SQLULEN processed = 0;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLParamOptions(stmt, 1, &processed)));
  SQLULEN paramset = 0;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLGetStmtAttr(stmt, SQL_ATTR_PARAMSET_SIZE, &paramset, 0, nullptr)))
      << fault::describe(fault::diagnostics(SQL_HANDLE_STMT, stmt));
  EXPECT_EQ(paramset, 1u);

  ASSERT_TRUE(SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR*)"SELECT 5", SQL_NTS)))
      << fault::describe(fault::diagnostics(SQL_HANDLE_STMT, stmt));
  ASSERT_TRUE(SQL_SUCCEEDED(SQLFetch(stmt)));
  SQLINTEGER value = 0;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLGetData(stmt, 1, SQL_C_SLONG, &value, 0, nullptr)));
  EXPECT_EQ(value, 5);
  ASSERT_TRUE(SQL_SUCCEEDED(SQLFreeStmt(stmt, SQL_DROP)));

  const long commits = control.count("commits");
  ASSERT_TRUE(SQL_SUCCEEDED(SQLTransact(SQL_NULL_HENV, dbc_, SQL_COMMIT)));
  EXPECT_EQ(control.count("commits"), commits + 1);
  ASSERT_TRUE(SQL_SUCCEEDED(SQLTransact(SQL_NULL_HENV, dbc_, SQL_ROLLBACK)));
  EXPECT_EQ(control.count("rollbacks"), 1);
}

TEST_F(FaultOdbc2, ErrorsReachAnOdbc2ApplicationWithOdbc2States) {
  Control control("odbc2-errors");
  connect(control);
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  ASSERT_TRUE(SQL_SUCCEEDED(SQLAllocStmt(dbc_, &stmt)));
  EXPECT_EQ(SQLFetch(stmt), SQL_ERROR);
  SQLCHAR state[6] = {};
  SQLINTEGER native = 0;
  SQLCHAR message[256] = {};
  SQLSMALLINT length = 0;
  ASSERT_EQ(SQLError(env_, dbc_, stmt, state, &native, message, sizeof message, &length),
            SQL_SUCCESS);
  EXPECT_STREQ(reinterpret_cast<char*>(state), "S1010");
  EXPECT_EQ(SQLError(env_, dbc_, stmt, state, &native, message, sizeof message, &length),
            SQL_NO_DATA);
  SQLFreeStmt(stmt, SQL_DROP);
}

// odbcpool's SQLError itself, called as the Driver Manager would if the
// driver had no SQLGetDiagRec: each record once, then SQL_NO_DATA.
TEST(Odbc2Library, SQLErrorHandsOutEachRecordOnce) {
  void* library = dlopen(ODBCPOOL_DRIVER_PATH, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(library, nullptr) << dlerror();
  using AllocEnv = SQLRETURN (*)(SQLHENV*);
  using SetEnvAttr = SQLRETURN (*)(SQLHENV, SQLINTEGER, SQLPOINTER, SQLINTEGER);
  using Error = SQLRETURN (*)(SQLHENV, SQLHDBC, SQLHSTMT, SQLCHAR*, SQLINTEGER*, SQLCHAR*,
                              SQLSMALLINT, SQLSMALLINT*);
  using FreeEnv = SQLRETURN (*)(SQLHENV);
  auto alloc_env = reinterpret_cast<AllocEnv>(dlsym(library, "SQLAllocEnv"));
  auto set_env_attr = reinterpret_cast<SetEnvAttr>(dlsym(library, "SQLSetEnvAttr"));
  auto error = reinterpret_cast<Error>(dlsym(library, "SQLError"));
  auto free_env = reinterpret_cast<FreeEnv>(dlsym(library, "SQLFreeEnv"));
  ASSERT_TRUE(alloc_env && set_env_attr && error && free_env);
  for (const char* alias : {"libodbcpool_LTX_SQLError", "libodbcpool_LTX_SQLErrorA"}) {
    EXPECT_EQ(dlsym(library, alias), reinterpret_cast<void*>(error)) << alias;
  }

  SQLHENV env = SQL_NULL_HENV;
  ASSERT_EQ(alloc_env(&env), SQL_SUCCESS);
  SQLCHAR state[6] = {};
  SQLINTEGER native = 0;
  SQLCHAR message[256] = {};
  SQLSMALLINT length = 0;
  EXPECT_EQ(error(env, nullptr, nullptr, state, &native, message, sizeof message, &length),
            SQL_NO_DATA);
  EXPECT_EQ(set_env_attr(env, 99999, nullptr, 0), SQL_ERROR);
  ASSERT_EQ(error(env, nullptr, nullptr, state, &native, message, sizeof message, &length),
            SQL_SUCCESS);
  EXPECT_STREQ(reinterpret_cast<char*>(state), "HY092");
  EXPECT_GT(length, 0);
  EXPECT_EQ(error(env, nullptr, nullptr, state, &native, message, sizeof message, &length),
            SQL_NO_DATA);
  EXPECT_EQ(error(nullptr, nullptr, nullptr, state, &native, message, sizeof message, &length),
            SQL_INVALID_HANDLE);
  EXPECT_EQ(free_env(env), SQL_SUCCESS);
}

}  // namespace
