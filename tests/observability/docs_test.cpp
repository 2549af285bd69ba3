// docs/configuration.md against the key catalogue (setting_keys.cpp): every
// key has a section with the catalogue's default and accepted values, and
// the page documents no key the catalogue does not know.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "setting_keys.h"

namespace odbcpool {
namespace {

std::string configuration_page() {
  std::ifstream in(std::string(ODBCPOOL_DOCS_DIR) + "/configuration.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text from "### <name>" to the next heading.
std::string section(const std::string& page, const std::string& name) {
  const std::string heading = "\n### " + name + "\n";
  const std::size_t begin = page.find(heading);
  if (begin == std::string::npos) return {};
  std::size_t end = page.find("\n#", begin + heading.size());
  if (end == std::string::npos) end = page.size();
  return page.substr(begin, end - begin);
}

TEST(ConfigurationDocs, EveryKeyWithTheCataloguesDefaultAndAcceptedValues) {
  const std::string page = configuration_page();
  ASSERT_FALSE(page.empty()) << "docs/configuration.md not found";
  for (const KeyInfo& key : setting_keys()) {
    const std::string text = section(page, key.name);
    ASSERT_FALSE(text.empty()) << "no section for " << key.name;
    const std::string default_line = *key.default_value == '\0'
                                         ? std::string("- Default: none\n")
                                         : "- Default: `" + std::string(key.default_value) + "`\n";
    EXPECT_NE(text.find(default_line), std::string::npos) << key.name << ":\n" << text;
    EXPECT_NE(text.find("- Accepted: " + std::string(key.accepted) + "\n"), std::string::npos)
        << key.name << ":\n"
        << text;
  }
}

TEST(ConfigurationDocs, NoKeyTheCatalogueDoesNotKnow) {
  std::istringstream lines(configuration_page());
  std::string line;
  int keys = 0;
  bool in_keys = false;
  while (std::getline(lines, line)) {
    if (line.rfind("## ", 0) == 0) in_keys = line != "## Where settings come from";
    if (!in_keys || line.rfind("### ", 0) != 0) continue;
    const std::string name = line.substr(4);
    EXPECT_NE(find_setting_key(name), nullptr) << name;
    ++keys;
  }
  EXPECT_EQ(keys, static_cast<int>(setting_keys().size()));
}

}  // namespace
}  // namespace odbcpool
