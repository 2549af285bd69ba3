// libFuzzer harness: ConnectionString::parse never crashes, fails only with
// ConnectionStringError naming an offset, and what it accepts survives
// to_string/parse unchanged (see fuzz_checks.h).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string failure = odbcpool::fuzz::check_connection_string(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!failure.empty()) {
    std::fprintf(stderr, "connection_string_fuzzer: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
