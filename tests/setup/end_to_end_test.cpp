// A DSN the setup library wrote works: the Driver Manager (libodbc) loads
// odbcpool for it, odbcpool opens the SQLite target, and SELECT 1 answers.
#include <sql.h>
#include <sqlext.h>

#include <gtest/gtest.h>

#include <string>

#include "private_odbc_ini.h"

namespace odbcpool::setup_test {
namespace {

using EndToEnd = PrivateOdbcIni;

std::string diagnostics(SQLSMALLINT type, SQLHANDLE handle) {
  std::string out;
  SQLCHAR state[6], text[1024];
  SQLINTEGER native;
  SQLSMALLINT length;
  for (SQLSMALLINT i = 1;
       SQLGetDiagRec(type, handle, i, state, &native, text, sizeof text, &length) == SQL_SUCCESS;
       ++i) {
    out += std::string(reinterpret_cast<char*>(state)) + " " + reinterpret_cast<char*>(text) + "\n";
  }
  return out;
}

// Connects through the DSN and returns what SELECT 1 gave, or -1.
long select_one_through(const std::string& dsn) {
  SQLHENV env = SQL_NULL_HENV;
  SQLHDBC dbc = SQL_NULL_HDBC;
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  long result = -1;
  EXPECT_TRUE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env)));
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
  EXPECT_TRUE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc)));
  const std::string in = "DSN=" + dsn;
  SQLCHAR out[1024];
  SQLSMALLINT out_length = 0;
  const SQLRETURN rc =
      SQLDriverConnect(dbc, nullptr, reinterpret_cast<SQLCHAR*>(const_cast<char*>(in.c_str())),
                       SQL_NTS, out, sizeof out, &out_length, SQL_DRIVER_NOPROMPT);
  EXPECT_TRUE(SQL_SUCCEEDED(rc)) << diagnostics(SQL_HANDLE_DBC, dbc);
  if (SQL_SUCCEEDED(rc)) {
    EXPECT_TRUE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt)));
    EXPECT_TRUE(SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR*)"SELECT 1", SQL_NTS)))
        << diagnostics(SQL_HANDLE_STMT, stmt);
    if (SQL_SUCCEEDED(SQLFetch(stmt))) {
      SQLINTEGER value = 0;
      SQLLEN indicator = 0;
      if (SQL_SUCCEEDED(SQLGetData(stmt, 1, SQL_C_SLONG, &value, 0, &indicator))) result = value;
    }
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    SQLDisconnect(dbc);
  }
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return result;
}

TEST_F(EndToEnd, ADsnWrappingATargetDsnConnects) {
  ASSERT_TRUE(
      config_data_source(ODBC_ADD_DSN, {"DSN=pooled_sqlite", std::string("TargetDSN=") + kSqliteDsn,
                                        "PoolMaxSize=2", "PoolValidation=query"}))
      << installer_errors();
  EXPECT_EQ(select_one_through("pooled_sqlite"), 1);
}

TEST_F(EndToEnd, ADsnNamingTheTargetDriverPassesItsOtherKeysOn) {
  ASSERT_TRUE(config_data_source(ODBC_ADD_SYS_DSN,
                                 {"DSN=pooled_driver", "TargetDriver=SQLite3",
                                  "Database=" + sqlite_database(), "PoolAcquireTimeout=5s"}))
      << installer_errors();
  EXPECT_EQ(dsn_value("pooled_driver", "Database"), sqlite_database());
  EXPECT_EQ(select_one_through("pooled_driver"), 1);
}

}  // namespace
}  // namespace odbcpool::setup_test
