// Writes the seed inputs of fuzz_checks.h as files, one directory per
// fuzzer, for libFuzzer to start from: write_seeds <directory>.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_checks.h"

namespace {

void write_all(const std::filesystem::path& dir, const std::vector<std::string>& seeds) {
  std::filesystem::create_directories(dir);
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    std::ofstream out(dir / ("seed-" + std::to_string(i)), std::ios::binary);
    out.write(seeds[i].data(), static_cast<std::streamsize>(seeds[i].size()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <directory>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root = argv[1];
  write_all(root / "connection_string", odbcpool::fuzz::connection_string_seeds());
  write_all(root / "unicode", odbcpool::fuzz::unicode_seeds());
  write_all(root / "connect_path", odbcpool::fuzz::connect_path_seeds());
  return 0;
}
