// libFuzzer harness: the UTF-8/UTF-16 converters and prefix functions take
// any input and keep their promises (see fuzz_checks.h).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string failure =
      odbcpool::fuzz::check_unicode(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!failure.empty()) {
    std::fprintf(stderr, "unicode_fuzzer: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
