// ConfigDriver: registration is odbcinst's, and ODBC_CONFIG_DRIVER writes
// process-wide keys to odbcinst.ini [odbcpool]. The requests are made on the
// loaded library: unixODBC's SQLConfigDriver (2.3.11 to 2.3.14) never calls
// a setup library's ConfigDriver: built for 64 bits it fails with "Invalid
// driver or translator name" for every driver that has a Setup entry, and
// it does not pass ODBC_CONFIG_DRIVER on at all.
#include <gtest/gtest.h>

#include "private_odbc_ini.h"
#include "setup_library.h"
#include "unicode.h"

namespace odbcpool::setup_test {
namespace {

using ConfigDriverTest = PrivateOdbcIni;

// libodbcinst caches values it read and does not forget them when it writes
// odbcinst.ini, so what was written is read from the file.
std::string driver_section() {
  return ini_section(PrivateOdbcIni::driver_ini(), kDriver);
}

TEST_F(ConfigDriverTest, InstallAndRemoveNeedNothingFromTheSetupLibrary) {
  SetupLibrary library;
  const std::string before = read_file(driver_ini());
  for (WORD request : {ODBC_INSTALL_DRIVER, ODBC_REMOVE_DRIVER}) {
    WORD length = 99;
    char message[64] = "unchanged";
    EXPECT_TRUE(library.config_driver()(nullptr, request, kDriver, nullptr, message, sizeof message,
                                        &length))
        << installer_errors();
    EXPECT_EQ(length, 0);
    EXPECT_STREQ(message, "");
  }
  EXPECT_EQ(read_file(driver_ini()), before);
}

TEST_F(ConfigDriverTest, ConfigSetsProcessWideKeys) {
  SetupLibrary library;
  const std::string log_file = dir() + "/odbcpool.log";
  const std::string arguments =
      multi_string({"LogLevel=info", "logfile=" + log_file, "PoolMaxSize=30"});
  char message[256] = {};
  WORD length = 0;
  ASSERT_TRUE(library.config_driver()(nullptr, ODBC_CONFIG_DRIVER, kDriver, arguments.c_str(),
                                      message, sizeof message, &length))
      << installer_errors();
  EXPECT_EQ(length, std::string(message).size());
  EXPECT_NE(std::string(message).find("LogLevel LogFile PoolMaxSize"), std::string::npos)
      << message;
  const std::string section = driver_section();
  EXPECT_NE(section.find("LogLevel"), std::string::npos) << section;
  EXPECT_NE(section.find("info"), std::string::npos) << section;
  EXPECT_NE(section.find("LogFile"), std::string::npos) << section;
  EXPECT_NE(section.find(log_file), std::string::npos) << section;
  EXPECT_NE(section.find("Setup"), std::string::npos) << "registration kept: " << section;
  // A fresh process reads them as the driver will.
  const std::string query = run_odbcinst("-q -d -n odbcpool");
  EXPECT_NE(query.find("PoolMaxSize=30"), std::string::npos) << query;

  // An empty value removes the key.
  const std::string removal = multi_string({"PoolMaxSize="});
  ASSERT_TRUE(library.config_driver()(nullptr, ODBC_CONFIG_DRIVER, kDriver, removal.c_str(),
                                      nullptr, 0, nullptr))
      << installer_errors();
  EXPECT_EQ(driver_section().find("PoolMaxSize"), std::string::npos) << driver_section();
}

TEST_F(ConfigDriverTest, ConfigRefusesBadValuesAndForeignKeys) {
  SetupLibrary library;
  const std::string before = read_file(driver_ini());
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"LogLevel=loud"}, "invalid value 'loud' for LogLevel (from the ConfigDriver arguments)"},
      {{"PoolMaxSize=abc"}, "invalid value 'abc' for PoolMaxSize"},
      {{"LogMaxSize=10T"}, "invalid value '10T' for LogMaxSize"},
      {{"LogMaxFiles=0"}, "invalid value '0' for LogMaxFiles"},
      {{"LogLevel=info", "PoolMinIdle=50"}, "at most PoolMaxSize (10)"},
      {{"Driver=/tmp/other.so"}, "'Driver' is not an odbcpool setting"},
      {{"PoolMaxSze=3"}, "'PoolMaxSze' is not an odbcpool setting"},
      {{}, "no settings given"},
  };
  for (const auto& [attributes, expected] : cases) {
    const std::string arguments = multi_string(attributes);
    WORD length = 77;
    EXPECT_FALSE(library.config_driver()(nullptr, ODBC_CONFIG_DRIVER, kDriver, arguments.c_str(),
                                         nullptr, 0, &length));
    EXPECT_EQ(length, 0);
    EXPECT_EQ(installer_error_code(), static_cast<DWORD>(ODBC_ERROR_INVALID_KEYWORD_VALUE));
    const std::string message = installer_errors();
    EXPECT_NE(message.find(expected), std::string::npos) << message;
    EXPECT_NE(message.find("nothing was written"), std::string::npos) << message;
  }
  EXPECT_EQ(read_file(driver_ini()), before);
}

TEST_F(ConfigDriverTest, UnknownRequestsAreRefused) {
  SetupLibrary library;
  EXPECT_FALSE(library.config_driver()(nullptr, 42, kDriver, nullptr, nullptr, 0, nullptr));
  EXPECT_EQ(installer_error_code(), static_cast<DWORD>(ODBC_ERROR_INVALID_REQUEST_TYPE));
}

TEST_F(ConfigDriverTest, TheWideFormConvertsArgumentsAndMessage) {
  SetupLibrary library;
  const std::u16string arguments = to_utf16(multi_string({"LogLevel=debug"}));
  SQLWCHAR message[128] = {};
  WORD length = 0;
  ASSERT_TRUE(library.config_driver_w()(
      nullptr, ODBC_CONFIG_DRIVER, reinterpret_cast<const SQLWCHAR*>(u"odbcpool"),
      reinterpret_cast<const SQLWCHAR*>(arguments.c_str()), message, 128, &length))
      << installer_errors();
  const std::string narrow = to_utf8(std::u16string(reinterpret_cast<const char16_t*>(message)));
  EXPECT_EQ(length, narrow.size());
  EXPECT_NE(narrow.find("LogLevel"), std::string::npos) << narrow;
  EXPECT_NE(driver_section().find("debug"), std::string::npos) << driver_section();

  // A message longer than the buffer is cut, and the length says how long it was.
  SQLWCHAR small[8] = {};
  ASSERT_TRUE(library.config_driver_w()(nullptr, ODBC_CONFIG_DRIVER, nullptr,
                                        reinterpret_cast<const SQLWCHAR*>(arguments.c_str()), small,
                                        8, &length));
  EXPECT_EQ(std::u16string(reinterpret_cast<const char16_t*>(small)).size(), 7u);
  EXPECT_EQ(length, narrow.size());
}

}  // namespace
}  // namespace odbcpool::setup_test
