// The key catalogue agrees with the parser: every documented default parses
// to the built-in setting, and every key the parser reads is catalogued.
#include "setting_keys.h"

#include <gtest/gtest.h>

#include "connect_config.h"
#include "settings.h"

namespace odbcpool {
namespace {

PoolSettings parse_one(const std::string& key, const std::string& value) {
  ConnectConfig config;
  config.own[to_lower(key)] = ConfigValue{value, ConfigSource::DsnSection, "odbc.ini [t]"};
  return parse_settings(config);
}

TEST(SettingKeys, DefaultsParseToTheBuiltInSettings) {
  const PoolSettings built_in;
  for (const KeyInfo& k : setting_keys()) {
    if (k.kind == KeyKind::Target || k.kind == KeyKind::Log) continue;
    if (std::string(k.default_value).empty()) continue;
    PoolSettings s;
    ASSERT_NO_THROW(s = parse_one(k.name, k.default_value)) << k.name;
    EXPECT_EQ(s.pooling, built_in.pooling) << k.name;
    EXPECT_EQ(s.pool.max_size, built_in.pool.max_size) << k.name;
    EXPECT_EQ(s.pool.min_idle, built_in.pool.min_idle) << k.name;
    EXPECT_EQ(s.pool.acquire_timeout, built_in.pool.acquire_timeout) << k.name;
    EXPECT_EQ(s.pool.idle_timeout, built_in.pool.idle_timeout) << k.name;
    EXPECT_EQ(s.pool.max_lifetime, built_in.pool.max_lifetime) << k.name;
    EXPECT_EQ(s.pool.validation, built_in.pool.validation) << k.name;
    EXPECT_EQ(s.validation_query, built_in.validation_query) << k.name;
    EXPECT_EQ(s.pool.validation_bypass, built_in.pool.validation_bypass) << k.name;
    EXPECT_EQ(s.pool.validation_timeout, built_in.pool.validation_timeout) << k.name;
    EXPECT_EQ(s.pool.keepalive, built_in.pool.keepalive) << k.name;
    EXPECT_EQ(s.reset_on_return, built_in.reset_on_return) << k.name;
    EXPECT_EQ(s.reset, built_in.reset) << k.name;
    EXPECT_EQ(s.pool.leak_threshold, built_in.pool.leak_threshold) << k.name;
    EXPECT_EQ(s.metrics_interval, built_in.metrics_interval) << k.name;
  }
}

TEST(SettingKeys, ChoicesAreAccepted) {
  for (const KeyInfo& k : setting_keys()) {
    if (k.kind != KeyKind::Choice && k.kind != KeyKind::Boolean && k.choices.empty()) continue;
    EXPECT_FALSE(k.choices.empty()) << k.name;
    for (const char* choice : k.choices) {
      EXPECT_NO_THROW(parse_one(k.name, choice)) << k.name << "=" << choice;
    }
  }
}

TEST(PoolResetStatement, DefaultsToAuto) {
  const PoolSettings s;
  EXPECT_EQ(s.reset, ResetStatement::Auto);
  EXPECT_EQ(s.reset_statement, "");
  EXPECT_STREQ(find_setting_key("PoolResetStatement")->default_value, "auto");
}

TEST(PoolResetStatement, NamedValuesAnyCaseAndSpacing) {
  EXPECT_EQ(parse_one("PoolResetStatement", "auto").reset, ResetStatement::Auto);
  EXPECT_EQ(parse_one("PoolResetStatement", " AUTO ").reset, ResetStatement::Auto);
  EXPECT_EQ(parse_one("PoolResetStatement", "none").reset, ResetStatement::None);
  EXPECT_EQ(parse_one("PoolResetStatement", "None\t").reset, ResetStatement::None);
  EXPECT_EQ(parse_one("PoolResetStatement", "none").reset_statement, "");
}

TEST(PoolResetStatement, EmptyMeansNoneAsItAlwaysHas) {
  EXPECT_EQ(parse_one("PoolResetStatement", "").reset, ResetStatement::None);
  EXPECT_EQ(parse_one("PoolResetStatement", "   ").reset, ResetStatement::None);
}

TEST(PoolResetStatement, AnythingElseIsSqlRunAsWritten) {
  PoolSettings s = parse_one("PoolResetStatement", "  DISCARD ALL ");
  EXPECT_EQ(s.reset, ResetStatement::Sql);
  EXPECT_EQ(s.reset_statement, "DISCARD ALL");
  s = parse_one("PoolResetStatement", "RESET search_path");
  EXPECT_EQ(s.reset, ResetStatement::Sql);
  EXPECT_EQ(s.reset_statement, "RESET search_path");
  // A word that merely starts like a named value is SQL, not the value.
  s = parse_one("PoolResetStatement", "autovacuum_check()");
  EXPECT_EQ(s.reset, ResetStatement::Sql);
  s = parse_one("PoolResetStatement", "none_of_these()");
  EXPECT_EQ(s.reset, ResetStatement::Sql);
}

TEST(SettingKeys, EveryKeyHasHelpAndIsOwn) {
  for (const KeyInfo& k : setting_keys()) {
    EXPECT_TRUE(is_own_key(k.name)) << k.name;
    EXPECT_FALSE(std::string(k.help).empty()) << k.name;
    EXPECT_FALSE(std::string(k.accepted).empty()) << k.name;
    EXPECT_EQ(find_setting_key(to_lower(k.name)), &k) << k.name;
  }
  EXPECT_EQ(find_setting_key("UID"), nullptr);
  EXPECT_EQ(find_setting_key("PoolMax"), nullptr);
}

}  // namespace
}  // namespace odbcpool
