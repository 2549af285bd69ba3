// Adding, changing and removing odbcpool DSNs through SQLConfigDataSource,
// the way applications and installers call the setup library.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "private_odbc_ini.h"

namespace odbcpool::setup_test {
namespace {

using ConfigDsn = PrivateOdbcIni;

const std::string kTarget = std::string("TargetDSN=") + kSqliteDsn;

TEST_F(ConfigDsn, AddsReadsChangesAndRemovesAUserDsn) {
  ASSERT_TRUE(config_data_source(ODBC_ADD_DSN, {"DSN=orders", "Description=Orders, pooled", kTarget,
                                                "PoolMaxSize=4", "PoolAcquireTimeout=2s"}))
      << installer_errors();
  EXPECT_EQ(dsn_value("orders", "Driver"), kDriver);
  EXPECT_EQ(dsn_value("orders", "Description"), "Orders, pooled");
  EXPECT_EQ(dsn_value("orders", "TargetDSN"), kSqliteDsn);
  EXPECT_EQ(dsn_value("orders", "PoolMaxSize"), "4");
  EXPECT_EQ(dsn_value("orders", "PoolAcquireTimeout"), "2s");
  EXPECT_NE(ini_section(user_ini(), "orders"), "");
  EXPECT_EQ(ini_section(system_ini(), "orders"), "");
  EXPECT_NE(run_odbcinst("-q -s").find("[orders]"), std::string::npos);

  ASSERT_TRUE(
      config_data_source(ODBC_CONFIG_DSN, {"DSN=orders", "poolmaxsize=8", "PoolAcquireTimeout="}))
      << installer_errors();
  EXPECT_EQ(dsn_value("orders", "PoolMaxSize"), "8");
  EXPECT_EQ(dsn_value("orders", "TargetDSN"), kSqliteDsn);
  const std::string section = ini_section(user_ini(), "orders");
  EXPECT_EQ(section.find("PoolAcquireTimeout"), std::string::npos) << section;
  EXPECT_EQ(section.find("poolmaxsize"), std::string::npos) << section;

  ASSERT_TRUE(config_data_source(ODBC_REMOVE_DSN, {"DSN=orders"})) << installer_errors();
  EXPECT_EQ(dsn_value("orders", "Driver"), "");
  EXPECT_EQ(ini_section(user_ini(), "orders"), "");
  EXPECT_EQ(run_odbcinst("-q -s").find("[orders]"), std::string::npos);
}

TEST_F(ConfigDsn, SystemRequestsUseTheSystemFile) {
  ASSERT_TRUE(config_data_source(ODBC_ADD_SYS_DSN, {"DSN=shared", kTarget})) << installer_errors();
  EXPECT_NE(ini_section(system_ini(), "shared").find("TargetDSN"), std::string::npos);
  EXPECT_EQ(ini_section(user_ini(), "shared"), "");

  ASSERT_TRUE(config_data_source(ODBC_CONFIG_SYS_DSN, {"DSN=shared", "PoolMinIdle=2"}))
      << installer_errors();
  EXPECT_EQ(dsn_value("shared", "PoolMinIdle"), "2");
  // A user request does not see the system DSN.
  EXPECT_FALSE(config_data_source(ODBC_CONFIG_DSN, {"DSN=shared", "PoolMinIdle=3"}));
  EXPECT_NE(installer_errors().find("not found in " + user_ini()), std::string::npos);

  ASSERT_TRUE(config_data_source(ODBC_REMOVE_SYS_DSN, {"DSN=shared"})) << installer_errors();
  EXPECT_EQ(ini_section(system_ini(), "shared"), "");
  EXPECT_NE(ini_section(system_ini(), kSqliteDsn), "");
}

TEST_F(ConfigDsn, AddingAgainReplacesTheDsn) {
  ASSERT_TRUE(config_data_source(ODBC_ADD_DSN, {"DSN=orders", kTarget, "PoolMaxSize=4"}));
  ASSERT_TRUE(config_data_source(ODBC_ADD_DSN, {"DSN=orders", "TargetDriver=SQLite3"}))
      << installer_errors();
  EXPECT_EQ(dsn_value("orders", "TargetDriver"), "SQLite3");
  EXPECT_EQ(dsn_value("orders", "TargetDSN"), "");
  EXPECT_EQ(dsn_value("orders", "PoolMaxSize"), "");
}

TEST_F(ConfigDsn, ChangesAreCheckedAgainstWhatIsStored) {
  ASSERT_TRUE(config_data_source(ODBC_ADD_DSN, {"DSN=orders", kTarget, "PoolMaxSize=4"}));
  const std::string before = read_file(user_ini());

  EXPECT_FALSE(config_data_source(ODBC_CONFIG_DSN, {"DSN=orders", "TargetDriver=SQLite3"}));
  EXPECT_NE(installer_errors().find("are both set"), std::string::npos) << installer_errors();
  EXPECT_FALSE(config_data_source(ODBC_CONFIG_DSN, {"DSN=orders", "PoolMinIdle=5"}));
  EXPECT_NE(installer_errors().find("at most PoolMaxSize (4)"), std::string::npos)
      << installer_errors();
  EXPECT_FALSE(config_data_source(ODBC_CONFIG_DSN, {"DSN=orders", "TargetDSN="}));
  EXPECT_NE(installer_errors().find("names no target"), std::string::npos) << installer_errors();
  EXPECT_EQ(read_file(user_ini()), before);

  ASSERT_TRUE(
      config_data_source(ODBC_CONFIG_DSN, {"DSN=orders", "TargetDSN=", "TargetDriver=SQLite3"}))
      << installer_errors();
  EXPECT_EQ(dsn_value("orders", "TargetDSN"), "");
  EXPECT_EQ(dsn_value("orders", "TargetDriver"), "SQLite3");
}

TEST_F(ConfigDsn, TheDriverSectionCountsAsAConnectWouldSeeIt) {
  ASSERT_TRUE(SQLWritePrivateProfileString(kDriver, "PoolMaxSize", "20", "ODBCINST.INI"));
  EXPECT_TRUE(config_data_source(ODBC_ADD_DSN, {"DSN=orders", kTarget, "PoolMinIdle=15"}))
      << installer_errors();
  EXPECT_FALSE(config_data_source(ODBC_ADD_DSN, {"DSN=other", kTarget, "PoolMinIdle=25"}));
  EXPECT_NE(installer_errors().find("at most PoolMaxSize (20)"), std::string::npos)
      << installer_errors();
}

TEST_F(ConfigDsn, OnlyOdbcpoolDsnsAreChangedOrRemoved) {
  const std::string before = read_file(system_ini());
  EXPECT_FALSE(
      config_data_source(ODBC_CONFIG_SYS_DSN, {std::string("DSN=") + kSqliteDsn, "Timeout=5"}));
  EXPECT_NE(installer_errors().find("uses driver 'SQLite3', not 'odbcpool'"), std::string::npos)
      << installer_errors();
  EXPECT_FALSE(config_data_source(ODBC_REMOVE_SYS_DSN, {std::string("DSN=") + kSqliteDsn}));
  EXPECT_FALSE(config_data_source(ODBC_ADD_SYS_DSN, {std::string("DSN=") + kSqliteDsn, kTarget}));
  EXPECT_NE(installer_errors().find("already exists"), std::string::npos) << installer_errors();
  EXPECT_EQ(read_file(system_ini()), before);
}

TEST_F(ConfigDsn, MissingDsnsAreReported) {
  EXPECT_FALSE(config_data_source(ODBC_CONFIG_DSN, {"DSN=nowhere", "PoolMaxSize=3"}));
  EXPECT_EQ(installer_error_code(), static_cast<DWORD>(ODBC_ERROR_INVALID_DSN));
  EXPECT_NE(installer_errors().find("data source 'nowhere' not found"), std::string::npos)
      << installer_errors();
  EXPECT_FALSE(config_data_source(ODBC_REMOVE_DSN, {"DSN=nowhere"}));
  EXPECT_NE(installer_errors().find("'nowhere' not found"), std::string::npos);
  EXPECT_FALSE(config_data_source(ODBC_ADD_DSN, {kTarget}));
  EXPECT_NE(installer_errors().find("no DSN attribute"), std::string::npos) << installer_errors();
  EXPECT_FALSE(config_data_source(ODBC_ADD_DSN, {"DSN=a;b", kTarget}));
  EXPECT_NE(installer_errors().find("not a valid data source name"), std::string::npos);
}

TEST_F(ConfigDsn, AWindowWithoutAttributesIsRefusedCleanly) {
  int not_a_window = 0;
  EXPECT_FALSE(config_data_source(ODBC_ADD_DSN, {}, &not_a_window));
  EXPECT_NE(installer_errors().find("has no dialog"), std::string::npos) << installer_errors();
  EXPECT_EQ(read_file(user_ini()), "");
  // With attributes the window is ignored.
  EXPECT_TRUE(config_data_source(ODBC_ADD_DSN, {"DSN=orders", kTarget}, &not_a_window))
      << installer_errors();
}

struct BadInput {
  const char* name;
  std::vector<std::string> attributes;
  std::vector<std::string> message_parts;
};

void PrintTo(const BadInput& input, std::ostream* out) {
  *out << input.name;
}

class ConfigDsnRefuses : public PrivateOdbcIni, public ::testing::WithParamInterface<BadInput> {};

TEST_P(ConfigDsnRefuses, WithAMessageAndWritesNothing) {
  const std::string user_before = read_file(user_ini());
  const std::string system_before = read_file(system_ini());
  std::vector<std::string> attributes = {"DSN=orders"};
  attributes.insert(attributes.end(), GetParam().attributes.begin(), GetParam().attributes.end());

  EXPECT_FALSE(config_data_source(ODBC_ADD_DSN, attributes));
  const std::string message = installer_errors();
  EXPECT_EQ(installer_error_code(), static_cast<DWORD>(ODBC_ERROR_INVALID_KEYWORD_VALUE));
  EXPECT_EQ(message.rfind("[odbcpool] ", 0), 0u) << message;
  for (const std::string& part : GetParam().message_parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  }
  EXPECT_NE(message.find("nothing was written"), std::string::npos) << message;
  EXPECT_EQ(read_file(user_ini()), user_before);
  EXPECT_EQ(read_file(system_ini()), system_before);
  EXPECT_EQ(dsn_value("orders", "Driver"), "");
}

INSTANTIATE_TEST_SUITE_P(
    BadValues, ConfigDsnRefuses,
    ::testing::Values(
        BadInput{"PoolMaxSizeZero",
                 {kTarget, "PoolMaxSize=0"},
                 {"'0'", "PoolMaxSize", "a whole number from 1 to 10000", "attributes"}},
        BadInput{"PoolMaxSizeNotANumber", {kTarget, "PoolMaxSize=lots"}, {"'lots'", "PoolMaxSize"}},
        BadInput{"DurationWithBadUnit",
                 {kTarget, "PoolAcquireTimeout=5x"},
                 {"'5x'", "PoolAcquireTimeout", "a duration from 0 to 365 days"}},
        BadInput{
            "DurationOverAYear", {kTarget, "PoolIdleTimeout=400d"}, {"'400d'", "PoolIdleTimeout"}},
        BadInput{"BooleanMaybe",
                 {kTarget, "Pooling=maybe"},
                 {"'maybe'", "Pooling", "yes/no, true/false"}},
        BadInput{"UnknownValidation",
                 {kTarget, "PoolValidation=sometimes"},
                 {"'sometimes'", "PoolValidation", "auto, query, dead-attr or none"}},
        BadInput{"UnknownLogLevel",
                 {kTarget, "LogLevel=loud"},
                 {"'loud'", "LogLevel", "trace, debug, info, warn, error or off"}},
        BadInput{"MetricsIntervalTooShort",
                 {kTarget, "MetricsInterval=10ms"},
                 {"'10ms'", "MetricsInterval", "at least 100ms"}},
        BadInput{"MinIdleAboveMaxSize",
                 {kTarget, "PoolMinIdle=11"},
                 {"'11'", "PoolMinIdle", "at most PoolMaxSize (10)"}},
        BadInput{"TypoInPoolKey", {kTarget, "PoolMaxSze=5"}, {"unknown odbcpool key 'PoolMaxSze'"}},
        BadInput{"NoTarget",
                 {"PoolMaxSize=5"},
                 {"DSN 'orders' names no target", "TargetDSN", "TargetDriver"}},
        BadInput{"EmptyTarget", {"TargetDSN="}, {"names no target"}},
        BadInput{"BothTargets",
                 {kTarget, "TargetDriver=SQLite3"},
                 {"TargetDSN 'sqlite_target'", "TargetDriver 'SQLite3'", "are both set"}},
        BadInput{"TargetIsItself", {"TargetDSN=Orders"}, {"names the pooled DSN itself"}},
        BadInput{"TargetDsnNotConfigured",
                 {"TargetDSN=no_such_dsn"},
                 {"TargetDSN 'no_such_dsn'", "is not a DSN of", "TargetDriver"}},
        BadInput{"AttributeWithoutValue",
                 {kTarget, "PoolMaxSize"},
                 {"'PoolMaxSize' is not of the form key=value"}},
        BadInput{"KeyTwice",
                 {kTarget, "PoolMaxSize=3", "poolmaxsize=4"},
                 {"poolmaxsize is given more than once"}}),
    [](const ::testing::TestParamInfo<BadInput>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace odbcpool::setup_test
