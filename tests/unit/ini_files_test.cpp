// Which odbc.ini files unixODBC reads, and listing DSNs without creating the
// user's file. ODBCINI and ODBCSYSINI point at a directory of the suite's own,
// so the real ini files are neither read nor written; once, because
// libodbcinst reads ODBCSYSINI only the first time it needs it.
#include "ini_files.h"

#include <gtest/gtest.h>
#include <odbcinst.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace odbcpool {
namespace {

namespace fs = std::filesystem;
using Names = std::vector<std::string>;

class IniFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("odbcpool-ini-files-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    user_ = (dir_ / "user.ini").string();
    setenv("ODBCSYSINI", dir_.c_str(), 1);
    setenv("ODBCINI", user_.c_str(), 1);
  }
  static void TearDownTestSuite() {
    unsetenv("ODBCSYSINI");
    unsetenv("ODBCINI");
    fs::remove_all(dir_);
  }
  void SetUp() override {
    fs::remove(dir_ / "odbc.ini");
    fs::remove(user_);
  }
  void TearDown() override { SQLSetConfigMode(ODBC_BOTH_DSN); }
  static void write(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

  static inline fs::path dir_;
  static inline std::string user_;
};

TEST_F(IniFilesTest, FilesFollowTheEnvironment) {
  EXPECT_EQ(user_odbc_ini(), user_);
  EXPECT_EQ(system_odbc_ini(), (dir_ / "odbc.ini").string());
  EXPECT_EQ(odbcinst_ini(), (dir_ / "odbcinst.ini").string());
  setenv("ODBCINSTINI", "/elsewhere/drivers.ini", 1);
  EXPECT_EQ(odbcinst_ini(), "/elsewhere/drivers.ini");
  unsetenv("ODBCINSTINI");
}

// unixODBC takes the home directory from the password database, not $HOME.
TEST_F(IniFilesTest, UserFileIsInThePasswordDatabaseHome) {
  unsetenv("ODBCINI");
  const char* home = std::getenv("HOME");
  const std::string saved = home != nullptr ? home : "";
  setenv("HOME", "/nonexistent-home", 1);
  const passwd* entry = getpwuid(getuid());
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(user_odbc_ini(), std::string(entry->pw_dir) + "/.odbc.ini");
  setenv("HOME", saved.c_str(), 1);
  setenv("ODBCINI", user_.c_str(), 1);
}

TEST_F(IniFilesTest, ListingWithoutAUserFileReadsTheSystemOneAndCreatesNothing) {
  write(dir_ / "odbc.ini", "[first]\nDriver=x\n\n[second]\nDriver=y\n");
  EXPECT_EQ(configured_dsn_names(), (Names{"first", "second"}));
  EXPECT_FALSE(fs::exists(user_)) << "listing DSNs created " << user_;
}

TEST_F(IniFilesTest, UserDsnsComeBeforeSystemOnes) {
  write(dir_ / "odbc.ini", "[system_dsn]\nDriver=x\n");
  write(user_, "[user_dsn]\nDriver=y\n");
  EXPECT_EQ(configured_dsn_names(), (Names{"user_dsn", "system_dsn"}));
}

TEST_F(IniFilesTest, TheConfigModeChoosesTheFile) {
  write(dir_ / "odbc.ini", "[system_dsn]\nDriver=x\n");
  ASSERT_TRUE(SQLSetConfigMode(ODBC_USER_DSN));
  EXPECT_EQ(configured_dsn_names(), Names{});
  EXPECT_FALSE(fs::exists(user_));
  ASSERT_TRUE(SQLSetConfigMode(ODBC_SYSTEM_DSN));
  EXPECT_EQ(configured_dsn_names(), Names{"system_dsn"});
}

TEST_F(IniFilesTest, NoFilesAtAllListNothingAndCreateNothing) {
  EXPECT_EQ(configured_dsn_names(), Names{});
  EXPECT_FALSE(fs::exists(user_));
  EXPECT_FALSE(fs::exists(dir_ / "odbc.ini"));
}

TEST_F(IniFilesTest, ALongListIsReadWhole) {
  std::string text;
  Names expected;
  for (int i = 0; i < 2000; ++i) {
    expected.push_back("dsn_with_a_longish_name_" + std::to_string(i));
    text += "[" + expected.back() + "]\nDriver=x\n";
  }
  write(dir_ / "odbc.ini", text);
  EXPECT_EQ(configured_dsn_names(), expected);
}

}  // namespace
}  // namespace odbcpool
