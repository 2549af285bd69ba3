// The log's settings without a database: parsing LogLevel, LogFile,
// LogMaxSize and LogMaxFiles as the key catalogue describes them, the
// fallback to stderr, rotation, the line pattern and masking.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>

#include "logging.h"
#include "setting_keys.h"
#include "temp_dir.h"

namespace odbcpool {
namespace {

using testing::TempDir;

const char* kWhere = "odbcinst.ini [odbcpool]";

LogSettings parse(const IniSection& section) {
  return parse_log_settings(section, kWhere);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int count_lines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n' ? 1 : 0;
  return n;
}

// Everything written to file descriptor 2 while it lives.
class CapturedStderr {
 public:
  explicit CapturedStderr(const std::string& path) : path_(path) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~CapturedStderr() { restore(); }
  std::string text() {
    restore();
    return read_file(path_);
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  std::string path_;
  int saved_ = -1;
};

TEST(LogSettings, DefaultsAreTheCataloguesDefaults) {
  const LogSettings s = parse({});
  EXPECT_TRUE(s.warnings.empty());
  EXPECT_EQ(s.level, spdlog::level::warn);
  EXPECT_EQ(s.file, find_setting_key("LogFile")->default_value);
  EXPECT_EQ(std::to_string(s.max_size), find_setting_key("LogMaxSize")->default_value);
  EXPECT_EQ(std::to_string(s.max_files), find_setting_key("LogMaxFiles")->default_value);
  EXPECT_STREQ(find_setting_key("LogLevel")->default_value, "warn");
}

TEST(LogSettings, EveryLevelOfTheCatalogueParses) {
  const std::map<std::string, spdlog::level::level_enum> expected = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},   {"off", spdlog::level::off}};
  const KeyInfo* key = find_setting_key("LogLevel");
  ASSERT_NE(key, nullptr);
  ASSERT_EQ(key->choices.size(), expected.size());
  for (const char* choice : key->choices) {
    const LogSettings s = parse({{"LogLevel", choice}});
    EXPECT_TRUE(s.warnings.empty()) << choice;
    EXPECT_EQ(s.level, expected.at(choice)) << choice;
  }
  EXPECT_EQ(parse({{"loglevel", " DEBUG "}}).level, spdlog::level::debug);
  EXPECT_EQ(parse({{"LogLevel", "Warning"}}).level, spdlog::level::warn);
}

TEST(LogSettings, ABadLevelIsOneWarningAndWarn) {
  const LogSettings s = parse({{"LogLevel", "chatty"}});
  EXPECT_EQ(s.level, spdlog::level::warn);
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0],
            "invalid LogLevel 'chatty' in odbcinst.ini [odbcpool]: expected trace, debug, info, "
            "warn, error or off; using warn");
}

TEST(LogSettings, SizesTakeKMG) {
  EXPECT_EQ(parse({{"LogMaxSize", "0"}}).max_size, 0u);
  EXPECT_EQ(parse({{"LogMaxSize", "12345"}}).max_size, 12345u);
  EXPECT_EQ(parse({{"LogMaxSize", "64k"}}).max_size, 64u * 1024);
  EXPECT_EQ(parse({{"LogMaxSize", "64K"}}).max_size, 64u * 1024);
  EXPECT_EQ(parse({{"LogMaxSize", "10M"}}).max_size, 10u * 1024 * 1024);
  EXPECT_EQ(parse({{"LogMaxSize", "2 G"}}).max_size, 2ull * 1024 * 1024 * 1024);
  for (const char* bad : {"", "-1", "1.5M", "10MB", "ten", "5T", "k"}) {
    const LogSettings s = parse({{"LogMaxSize", bad}});
    EXPECT_EQ(s.max_size, 0u) << bad;
    ASSERT_EQ(s.warnings.size(), 1u) << bad;
    EXPECT_NE(s.warnings[0].find("invalid LogMaxSize '" + std::string(bad) + "'"),
              std::string::npos)
        << s.warnings[0];
  }
}

TEST(LogSettings, FileCountsFromOneToAThousand) {
  EXPECT_EQ(parse({{"LogMaxFiles", "1"}}).max_files, 1u);
  EXPECT_EQ(parse({{"LogMaxFiles", "1000"}}).max_files, 1000u);
  for (const char* bad : {"0", "1001", "-3", "three", ""}) {
    const LogSettings s = parse({{"LogMaxFiles", bad}});
    EXPECT_EQ(s.max_files, 5u) << bad;
    EXPECT_EQ(s.warnings.size(), 1u) << bad;
  }
}

TEST(LogSettings, FileIsAPathStderrOrSyslog) {
  EXPECT_EQ(parse({{"LogFile", " /var/log/odbcpool.log "}}).file, "/var/log/odbcpool.log");
  EXPECT_EQ(parse({{"LogFile", "syslog"}}).file, "syslog");
  EXPECT_EQ(parse({{"LogFile", ""}}).file, "stderr");
}

TEST(Logger, LinesCarryTimePidThreadAndLevel) {
  TempDir dir("odbcpool-log");
  LogSettings s;
  s.file = dir.path() + "/odbcpool.log";
  s.level = spdlog::level::info;
  auto logger = make_logger(s);
  logger->info("pool '{}': hello", "orders (bob)");
  logger->debug("not at info");
  const std::string text = read_file(s.file);  // flushed on every line
  const std::regex line("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} odbcpool\\[" +
                        std::to_string(::getpid()) +
                        ":\\d+\\] info: pool 'orders \\(bob\\)': hello\n");
  EXPECT_TRUE(std::regex_match(text, line)) << text;
}

TEST(Logger, AFileThatCannotBeOpenedGivesStderrAndExactlyOneWarning) {
  TempDir dir("odbcpool-log");
  std::ofstream(dir.path() + "/not-a-directory") << "x";
  LogSettings s;
  s.file = dir.path() + "/not-a-directory/odbcpool.log";
  s.level = spdlog::level::info;
  CapturedStderr err(dir.path() + "/stderr.txt");
  auto logger = make_logger(s);
  logger->info("pool 'p': after the fallback");
  const std::string text = err.text();
  EXPECT_EQ(count_lines(text), 2) << text;
  std::size_t first = text.find("cannot open LogFile '" + s.file + "'");
  EXPECT_NE(first, std::string::npos) << text;
  EXPECT_EQ(text.find("cannot open LogFile", first + 1), std::string::npos) << text;
  EXPECT_NE(text.find("logging to stderr"), std::string::npos) << text;
  EXPECT_NE(text.find("info: pool 'p': after the fallback"), std::string::npos) << text;
}

TEST(Logger, SettingWarningsAreLoggedOnceEach) {
  TempDir dir("odbcpool-log");
  LogSettings s = parse(
      {{"LogLevel", "loud"}, {"LogFile", dir.path() + "/odbcpool.log"}, {"LogMaxFiles", "0"}});
  auto logger = make_logger(s);
  const std::string text = read_file(dir.path() + "/odbcpool.log");
  EXPECT_EQ(count_lines(text), 2) << text;
  EXPECT_NE(text.find("warning: invalid LogLevel 'loud'"), std::string::npos) << text;
  EXPECT_NE(text.find("warning: invalid LogMaxFiles '0'"), std::string::npos) << text;
}

TEST(Logger, RotatesAtLogMaxSizeKeepingLogMaxFiles) {
  TempDir dir("odbcpool-log");
  LogSettings s;
  s.file = dir.path() + "/odbcpool.log";
  s.level = spdlog::level::info;
  s.max_size = 2048;
  s.max_files = 2;
  auto logger = make_logger(s);
  for (int i = 0; i < 200; ++i) logger->info("pool 'p': line {} of a log that rotates", i);
  namespace fs = std::filesystem;
  EXPECT_TRUE(fs::exists(dir.path() + "/odbcpool.log"));
  EXPECT_TRUE(fs::exists(dir.path() + "/odbcpool.1.log"));
  EXPECT_TRUE(fs::exists(dir.path() + "/odbcpool.2.log"));
  EXPECT_FALSE(fs::exists(dir.path() + "/odbcpool.3.log"));
  for (const char* name : {"/odbcpool.log", "/odbcpool.1.log", "/odbcpool.2.log"}) {
    EXPECT_LE(fs::file_size(dir.path() + name), 2048u) << name;
  }
  EXPECT_NE(read_file(dir.path() + "/odbcpool.log").find("line 199 "), std::string::npos);
}

TEST(Masking, ConnectionStringsLoseEverySecret) {
  const ConnectionString cs = ConnectionString::parse(
      "DSN=orders;UID=bob;PWD=hunter2;Password={with;semi}};colon};SSLKeyPwd=k3y;"
      "AuthToken=t0k;Servername=db1");
  const std::string m = masked(cs);
  for (const char* secret : {"hunter2", "with;semi", "colon", "k3y", "t0k"}) {
    EXPECT_EQ(m.find(secret), std::string::npos) << secret << " in " << m;
  }
  EXPECT_NE(m.find("DSN=orders"), std::string::npos) << m;
  EXPECT_NE(m.find("UID=bob"), std::string::npos) << m;
  EXPECT_NE(m.find("Servername=db1"), std::string::npos) << m;
  EXPECT_NE(m.find("PWD=***"), std::string::npos) << m;
}

TEST(Masking, FreeTextLosesKeyValueSecrets) {
  EXPECT_EQ(masked(std::string_view("connect failed: DRIVER={x};pwd = s3cret;UID=u")),
            "connect failed: DRIVER={x};pwd = ***;UID=u");
  EXPECT_EQ(masked(std::string_view("PASSWORD=abc")), "PASSWORD=***");
  EXPECT_EQ(masked(std::string_view("Password={a}}b;c};next=1")), "Password=***;next=1");
  EXPECT_EQ(masked(std::string_view("password authentication failed for user \"bob\"")),
            "password authentication failed for user \"bob\"");
  EXPECT_EQ(masked(std::string_view("a=1;b==2;=3;pwd=")), "a=1;b==2;=3;pwd=***");
}

}  // namespace
}  // namespace odbcpool
