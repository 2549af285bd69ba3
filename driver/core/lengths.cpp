#include "lengths.h"

#include "errors.h"
#include "odbc.h"
#include "unicode.h"

namespace odbcpool {

template <class Int>
Int checked_length(std::size_t n, const char* what) {
  constexpr auto max = static_cast<std::size_t>(std::numeric_limits<Int>::max());
  if (n > max) {
    throw OdbcError("HY090", std::string(what) + " is " + std::to_string(n) +
                                 " long, more than the " + std::to_string(max) +
                                 " its ODBC length can carry");
  }
  return static_cast<Int>(n);
}

template SQLSMALLINT checked_length<SQLSMALLINT>(std::size_t, const char*);
template SQLINTEGER checked_length<SQLINTEGER>(std::size_t, const char*);

std::string shortened(std::string_view text, std::size_t keep) {
  const bool cut = text.size() > keep;
  const std::string_view shown = cut ? text.substr(0, utf8_prefix_fitting(text, keep)) : text;
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(shown.size() + 24);
  for (const char ch : shown) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
  if (cut) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

}  // namespace odbcpool
