// ODBCINSTGetProperties describes every key of the catalogue: its default as
// the value, its help, its choices and a prompt type that fits.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "private_odbc_ini.h"
#include "setting_keys.h"
#include "setup_library.h"

namespace odbcpool::setup_test {
namespace {

using Properties = PrivateOdbcIni;

HODBCINSTPROPERTY new_property(const char* name) {
  auto* p = static_cast<HODBCINSTPROPERTY>(std::calloc(1, sizeof(ODBCINSTPROPERTY)));
  std::strcpy(p->szName, name);
  return p;
}

// As ODBCINSTDestructProperties frees: one free() per aPromptData, pszHelp
// and property.
void free_properties(HODBCINSTPROPERTY p) {
  while (p != nullptr) {
    HODBCINSTPROPERTY next = p->pNext;
    std::free(p->aPromptData);
    std::free(p->pszHelp);
    std::free(p);
    p = next;
  }
}

std::vector<std::string> prompt_data(const ODBCINSTPROPERTY& p) {
  std::vector<std::string> out;
  for (char** item = p.aPromptData; item != nullptr && *item != nullptr; ++item) {
    out.push_back(*item);
  }
  return out;
}

std::vector<const ODBCINSTPROPERTY*> list(HODBCINSTPROPERTY first) {
  std::vector<const ODBCINSTPROPERTY*> out;
  for (HODBCINSTPROPERTY p = first; p != nullptr; p = p->pNext) out.push_back(p);
  return out;
}

// Checks the properties after `skip` of odbcinst's own against the catalogue.
void expect_catalogue(const std::vector<const ODBCINSTPROPERTY*>& properties, std::size_t skip) {
  const auto& keys = setting_keys();
  ASSERT_EQ(properties.size(), skip + keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const KeyInfo& key = keys[i];
    const ODBCINSTPROPERTY& p = *properties[skip + i];
    SCOPED_TRACE(key.name);
    EXPECT_STREQ(p.szName, key.name);
    EXPECT_STREQ(p.szValue, key.default_value);
    ASSERT_NE(p.pszHelp, nullptr);
    const std::string help = p.pszHelp;
    EXPECT_EQ(help.rfind(key.help, 0), 0u) << help;
    EXPECT_NE(help.find(key.accepted), std::string::npos) << help;

    const std::string name = key.name;
    if (key.kind == KeyKind::Target) {
      EXPECT_EQ(p.nPromptType, ODBCINST_PROMPTTYPE_COMBOBOX);
    } else if (name == "LogFile" || name == "MetricsFile") {
      EXPECT_EQ(p.nPromptType, ODBCINST_PROMPTTYPE_FILENAME);
      EXPECT_EQ(p.aPromptData, nullptr);
    } else if (key.kind == KeyKind::Text && !key.choices.empty()) {
      // Named values offered, SQL accepted too (PoolResetStatement).
      EXPECT_EQ(p.nPromptType, ODBCINST_PROMPTTYPE_COMBOBOX);
      EXPECT_EQ(prompt_data(p), std::vector<std::string>(key.choices.begin(), key.choices.end()));
    } else if (!key.choices.empty()) {
      EXPECT_EQ(p.nPromptType, ODBCINST_PROMPTTYPE_LISTBOX);
      EXPECT_EQ(prompt_data(p), std::vector<std::string>(key.choices.begin(), key.choices.end()));
    } else {
      EXPECT_EQ(p.nPromptType, ODBCINST_PROMPTTYPE_TEXTEDIT);
      EXPECT_EQ(p.aPromptData, nullptr);
    }
  }
}

const ODBCINSTPROPERTY* find(const std::vector<const ODBCINSTPROPERTY*>& properties,
                             const std::string& name) {
  for (const ODBCINSTPROPERTY* p : properties) {
    if (name == p->szName) return p;
  }
  return nullptr;
}

TEST_F(Properties, EveryCatalogueKeyIsDescribed) {
  SetupLibrary library;
  HODBCINSTPROPERTY first = new_property("Name");
  first->pNext = new_property("Description");
  first->pNext->pNext = new_property("Driver");
  ASSERT_EQ(library.get_properties()(first->pNext->pNext), ODBCINST_SUCCESS);
  const auto properties = list(first);
  EXPECT_STREQ(properties[0]->szName, "Name");
  EXPECT_STREQ(properties[2]->szName, "Driver");
  expect_catalogue(properties, 3);
  free_properties(first);
}

TEST_F(Properties, TargetsOfferWhatIsConfigured) {
  SetupLibrary library;
  HODBCINSTPROPERTY first = new_property("Driver");
  ASSERT_EQ(library.get_properties()(first), ODBCINST_SUCCESS);
  const auto properties = list(first);
  const ODBCINSTPROPERTY* dsn = find(properties, "TargetDSN");
  const ODBCINSTPROPERTY* driver = find(properties, "TargetDriver");
  ASSERT_NE(dsn, nullptr);
  ASSERT_NE(driver, nullptr);
  EXPECT_EQ(prompt_data(*dsn), std::vector<std::string>{kSqliteDsn});
  // odbcpool itself is not offered as a target.
  EXPECT_EQ(prompt_data(*driver), std::vector<std::string>{"SQLite3"});
  free_properties(first);
}

TEST_F(Properties, ThroughLibodbcinstAsConfigurationToolsAsk) {
  HODBCINSTPROPERTY first = nullptr;
  ASSERT_EQ(ODBCINSTConstructProperties(const_cast<char*>(kDriver), &first), ODBCINST_SUCCESS);
  const auto properties = list(first);
  ASSERT_GE(properties.size(), 3u);
  EXPECT_STREQ(properties[0]->szName, "Name");
  EXPECT_STREQ(properties[1]->szName, "Description");
  EXPECT_STREQ(properties[2]->szName, "Driver");
  expect_catalogue(properties, 3);
  // The library is unloaded by now: everything must live in odbcinst's blocks.
  const ODBCINSTPROPERTY* level = find(properties, "LogLevel");
  ASSERT_NE(level, nullptr);
  EXPECT_EQ(prompt_data(*level).back(), "off");
  EXPECT_EQ(ODBCINSTSetProperty(first, const_cast<char*>("PoolMaxSize"), const_cast<char*>("7")),
            ODBCINST_SUCCESS);
  EXPECT_STREQ(find(list(first), "PoolMaxSize")->szValue, "7");
  EXPECT_EQ(ODBCINSTDestructProperties(&first), ODBCINST_SUCCESS);
  EXPECT_EQ(first, nullptr);
}

TEST_F(Properties, AnyPropertyOfTheListIsAppendedTo) {
  SetupLibrary library;
  HODBCINSTPROPERTY first = new_property("Name");
  first->pNext = new_property("Driver");
  // Given the first rather than the last, the keys still go at the end.
  ASSERT_EQ(library.get_properties()(first), ODBCINST_SUCCESS);
  expect_catalogue(list(first), 2);
  free_properties(first);
  EXPECT_EQ(library.get_properties()(nullptr), ODBCINST_ERROR);
}

}  // namespace
}  // namespace odbcpool::setup_test
