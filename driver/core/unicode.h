// UTF-8 <-> UTF-16 conversion at the ANSI/wide boundary. unixODBC's SQLWCHAR
// is a 16-bit unit holding UTF-16; SQLCHAR text is taken to be UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace odbcpool {

using WideString = std::u16string;
using WideView = std::u16string_view;

// Invalid input (a lone surrogate, a malformed or overlong UTF-8 sequence)
// becomes U+FFFD rather than an error: the text still gets through.
std::string to_utf8(WideView text);
WideString to_utf16(std::string_view text);

// Length of a UTF-8 string cut to at most max_bytes without splitting a
// character.
std::size_t utf8_prefix_fitting(std::string_view text, std::size_t max_bytes);
// Same for UTF-16 in code units, never splitting a surrogate pair.
std::size_t utf16_prefix_fitting(WideView text, std::size_t max_units);

}  // namespace odbcpool
