// libFuzzer harness: the path from SQLDriverConnect[W]'s input to the
// target's connection string (parse -> resolve -> target string) keeps its
// promises for long and odd inputs (see check_connect_path in fuzz_checks.h).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string failure = odbcpool::fuzz::check_connect_path(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!failure.empty()) {
    std::fprintf(stderr, "connect_path_fuzzer: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
