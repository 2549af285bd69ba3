// ConfigDSNW, which libodbcinst calls only for a setup library without
// ConfigDSN: the same code behind a UTF-16 to UTF-8 conversion.
#include <gtest/gtest.h>

#include "private_odbc_ini.h"
#include "setup_library.h"
#include "unicode.h"

namespace odbcpool::setup_test {
namespace {

using ConfigDsnWide = PrivateOdbcIni;

const SQLWCHAR* wide(const std::u16string& text) {
  return reinterpret_cast<const SQLWCHAR*>(text.c_str());
}

TEST_F(ConfigDsnWide, WritesUtf8) {
  SetupLibrary library;
  const std::string statement = "SELECT 'caf\xc3\xa9 \xe2\x82\xac'";
  const std::u16string driver = to_utf16(kDriver);
  const std::u16string attributes = to_utf16(multi_string(
      {"DSN=wide", std::string("TargetDSN=") + kSqliteDsn, "PoolInitStatement=" + statement}));
  ASSERT_TRUE(library.config_dsn_w()(nullptr, ODBC_ADD_SYS_DSN, wide(driver), wide(attributes)))
      << installer_errors();
  EXPECT_EQ(dsn_value("wide", "PoolInitStatement"), statement);
  EXPECT_NE(ini_section(system_ini(), "wide").find(statement), std::string::npos);

  const std::u16string bad = to_utf16(multi_string({"DSN=wide", "PoolMaxSize=-1"}));
  EXPECT_FALSE(library.config_dsn_w()(nullptr, ODBC_CONFIG_SYS_DSN, wide(driver), wide(bad)));
  EXPECT_NE(installer_errors().find("invalid value '-1' for PoolMaxSize"), std::string::npos)
      << installer_errors();
}

// Called directly, with libodbcinst in its default ODBC_BOTH_DSN mode, a
// request without _SYS_ is a user request, as SQLConfigDataSource makes it.
TEST_F(ConfigDsnWide, DirectRequestsChooseAFileAsSqlConfigDataSourceDoes) {
  SetupLibrary library;
  const std::u16string driver = to_utf16(kDriver);
  const std::string target = std::string("TargetDSN=") + kSqliteDsn;
  const std::u16string add = to_utf16(multi_string({"DSN=mine", target}));
  ASSERT_TRUE(library.config_dsn_w()(nullptr, ODBC_ADD_DSN, wide(driver), wide(add)))
      << installer_errors();
  EXPECT_NE(ini_section(user_ini(), "mine"), "");
  EXPECT_EQ(ini_section(system_ini(), "mine"), "");

  const std::u16string add_system = to_utf16(multi_string({"DSN=ours", target}));
  ASSERT_TRUE(library.config_dsn_w()(nullptr, ODBC_ADD_SYS_DSN, wide(driver), wide(add_system)))
      << installer_errors();
  UWORD mode = 99;
  ASSERT_TRUE(SQLGetConfigMode(&mode));
  EXPECT_EQ(mode, ODBC_BOTH_DSN) << "the caller's mode is restored";
  // Not a partial user copy of the system DSN.
  const std::u16string change = to_utf16(multi_string({"DSN=ours", "PoolMaxSize=3"}));
  EXPECT_FALSE(library.config_dsn_w()(nullptr, ODBC_CONFIG_DSN, wide(driver), wide(change)));
  EXPECT_NE(installer_errors().find("not found in " + user_ini()), std::string::npos)
      << installer_errors();
  EXPECT_EQ(ini_section(user_ini(), "ours"), "");
}

TEST_F(ConfigDsnWide, NullArgumentsAreRefused) {
  SetupLibrary library;
  const std::u16string attributes = to_utf16(multi_string({"DSN=wide"}));
  EXPECT_FALSE(library.config_dsn_w()(nullptr, ODBC_ADD_DSN, nullptr, wide(attributes)));
  EXPECT_EQ(installer_error_code(), static_cast<DWORD>(ODBC_ERROR_INVALID_NAME));
  const std::u16string driver = to_utf16(kDriver);
  EXPECT_FALSE(library.config_dsn_w()(nullptr, ODBC_ADD_DSN, wide(driver), nullptr));
  EXPECT_EQ(installer_error_code(), static_cast<DWORD>(ODBC_ERROR_INVALID_DSN));
  EXPECT_EQ(read_file(user_ini()), "");
}

}  // namespace
}  // namespace odbcpool::setup_test
