// Passwords never reach the terminal: any key whose name contains "pwd" or
// "password" (PWD, Password, SSLPassword, ...), case-insensitive, is shown
// as ***.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connection_string.h"

namespace odbcpool::cli {

inline constexpr const char* kMask = "***";

bool is_secret_key(std::string_view key);

// The value to print for a key.
std::string shown_value(std::string_view key, const std::string& value);

// The connection string as text, secrets masked.
std::string masked_text(const ConnectionString& connection_string);

// `text` with every occurrence of each secret replaced by ***: for messages
// that come from elsewhere (a driver's diagnostics) and might echo one.
std::string scrub(std::string text, const std::vector<std::string>& secrets);

}  // namespace odbcpool::cli
