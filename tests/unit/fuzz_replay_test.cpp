// Replays the fuzzers' seed inputs and saved corpus (tests/fuzz/corpus) in
// every build, so that compilers without libFuzzer check them too; an input
// that once broke a property stays a regression test once saved there.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../fuzz/fuzz_checks.h"

namespace odbcpool {
namespace {

// tests/fuzz/corpus/<name>, found from this file's path.
std::vector<std::filesystem::path> corpus_files(const std::string& name) {
  const auto dir =
      std::filesystem::path(__FILE__).parent_path().parent_path() / "fuzz" / "corpus" / name;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(FuzzReplay, ConnectionStringSeeds) {
  for (const std::string& input : fuzz::connection_string_seeds()) {
    EXPECT_EQ(fuzz::check_connection_string(input), "") << ::testing::PrintToString(input);
  }
}

TEST(FuzzReplay, ConnectionStringCorpus) {
  const auto files = corpus_files("connection_string");
  for (const auto& file : files) {
    EXPECT_EQ(fuzz::check_connection_string(read_file(file)), "") << file;
  }
  RecordProperty("inputs", static_cast<int>(files.size()));
}

TEST(FuzzReplay, UnicodeSeeds) {
  for (const std::string& input : fuzz::unicode_seeds()) {
    EXPECT_EQ(fuzz::check_unicode(input), "") << ::testing::PrintToString(input);
  }
}

TEST(FuzzReplay, UnicodeCorpus) {
  const auto files = corpus_files("unicode");
  for (const auto& file : files) EXPECT_EQ(fuzz::check_unicode(read_file(file)), "") << file;
  RecordProperty("inputs", static_cast<int>(files.size()));
}

TEST(FuzzReplay, ConnectPathSeeds) {
  for (const std::string& input : fuzz::connect_path_seeds()) {
    EXPECT_EQ(fuzz::check_connect_path(input), "") << ::testing::PrintToString(input);
  }
}

TEST(FuzzReplay, ConnectPathCorpus) {
  const auto files = corpus_files("connect_path");
  for (const auto& file : files) EXPECT_EQ(fuzz::check_connect_path(read_file(file)), "") << file;
  RecordProperty("inputs", static_cast<int>(files.size()));
}

// The connection-string corpus is application input too.
TEST(FuzzReplay, ConnectPathOverConnectionStringCorpus) {
  for (const auto& file : corpus_files("connection_string")) {
    EXPECT_EQ(fuzz::check_connect_path(read_file(file)), "") << file;
  }
}

// Every seed in both harnesses: the inputs are just bytes to each.
TEST(FuzzReplay, SeedsCrossed) {
  for (const std::string& input : fuzz::unicode_seeds()) {
    EXPECT_EQ(fuzz::check_connection_string(input), "") << ::testing::PrintToString(input);
  }
  for (const std::string& input : fuzz::connection_string_seeds()) {
    EXPECT_EQ(fuzz::check_unicode(input), "") << ::testing::PrintToString(input);
  }
}

}  // namespace
}  // namespace odbcpool
